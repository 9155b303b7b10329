"""register(): the thin Slack listeners that hand a question to facts.answer.answer()."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from http.client import HTTPException
from logging import Logger
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltContext, BoltResponse, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.checking import CHECK_SHORTCUT, message_text, shortcut_fallback
from bot.dedupe import SeenEvents
from bot.render import (
    ASK_ACTION,
    SHOW_ALL_ACTION,
    escape_mrkdwn,
    render_blocks,
    render_mrkdwn,
    translate,
)
from bot.replies import Replies, Reply
from bot.uploads import ChartUploads
from facts.answer import answer as answer_question
from facts.context import Context
from facts.model import Answer
from facts.store import FactStore

SHARE_ACTION = "share_answer"
CHART_ACTION = "post_chart"
NO_CHART_HERE = (
    "I can't post the chart in this channel. Invite me with `/invite @TradeFact`, or ask me in"
    " a direct message."
)
SORRY = "Sorry, something went wrong while answering. Please try again in a moment."
MAX_BLOCKS = 50  # Block Kit's limit for one message
MAX_BUTTON_VALUE = 2000  # Block Kit's limit for a button's value
_NOT_SHAREABLE = frozenset({"help", "not_understood", "no_data"})
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# A person's message with "Also send to #channel" ticked, or with a file attached: still a question.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})
_ERROR_CODE = re.compile(r"[a-z0-9_]{1,64}")  # Slack's error codes: not_in_channel, ...


def register(app: App, store: FactStore) -> None:
    """Add the /tradefact command, the share button, mentions and DMs to `app`."""
    seen = SeenEvents()
    context = Context.build(store)  # names and claim verdicts, once per store
    replies = Replies(store, lambda question: answered(question, context))
    charts = ChartUploads()

    @app.middleware
    def acknowledge_rate_limit_notices(
        body: dict[str, Any], next: Callable[[], None], logger: Logger
    ) -> BoltResponse | None:
        # Slack tells an app it is over its event rate limit with a bare body of this type; it
        # wants a 200 like any delivery (repeated failures can get an app's events disabled).
        if body.get("type") == "app_rate_limited":
            minute = body.get("minute_rate_limited")
            logger.warning("Slack rate-limited this app's events (minute %s)", minute)
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.middleware
    def once_per_event(
        body: dict[str, Any], next: Callable[[], None], logger: Logger
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not seen.claim(event_id):
            logger.info("Event %s was already handled: acknowledged, not answered", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.command("/tradefact")
    def tradefact_command(ack: Ack, command: dict[str, Any]) -> None:
        question = question_from(command.get("text", ""))
        answer, reply = replies.get(question)
        ack(**ephemeral_reply(question, answer, reply), response_type="ephemeral")

    @app.action(SHARE_ACTION)
    def share_answer(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, logger: Logger
    ) -> None:
        ack()
        answer, reply = replies.get(action.get("value") or "help")
        # Through response_url, so sharing works in any channel, also one the bot isn't in.
        respond = respond_once(body["response_url"], client.timeout)
        shared = respond(**shared_reply(answer, body["user"]["id"], reply), **_IN_CHANNEL)
        if shared.status_code != 200:
            logger.error("Sharing failed: response_url answered HTTP %s", shared.status_code)
            return
        respond(delete_original=True)  # the ephemeral copy has done its job

    @app.action(CHART_ACTION)
    def post_chart(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        question = action.get("value") or "help"
        answer = replies.get(question)[0]
        channel = (body.get("channel") or {}).get("id") or ""
        who = body["user"]["id"]
        comment = (
            f"Chart for <@{who}>: {escape_mrkdwn(question)}" if _USER_ID.fullmatch(who) else ""
        )
        respond = respond_once(body["response_url"], client.timeout)

        def cannot_post(code: str) -> None:
            respond(text=NO_CHART_HERE, response_type="ephemeral", replace_original=False)

        charts.submit(client, answer, channel, None, comment, on_error=cannot_post)

    @app.action(SHOW_ALL_ACTION)
    def show_all(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        answer = replies.get(action.get("value") or "help")[0]
        everything = message_reply(replace(answer, glance=()))
        respond_once(body["response_url"], client.timeout)(**everything, **_EPHEMERAL_EXTRA)

    @app.action(re.compile(rf"^{ASK_ACTION}-\d+$"))
    def ask_suggestion(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        question = question_from(action.get("value") or "")
        answer, reply = replies.get(question)
        respond = respond_once(body["response_url"], client.timeout)
        respond(**ephemeral_reply(question, answer, reply), **_EPHEMERAL_EXTRA)

    @app.action(re.compile(".*"))
    def unknown_action(ack: Ack, action: dict[str, Any], logger: Logger) -> None:
        ack()  # an old message's button, or one this version no longer has: 200, and a log line
        logger.warning("Unknown action %r: acknowledged, nothing done", action.get("action_id"))

    @app.event("app_mention")
    def answer_mention(
        event: dict[str, Any], context: BoltContext, say: Say, client: WebClient
    ) -> None:
        if is_from_a_person(event):
            question = question_from(strip_mention(event.get("text", ""), context.bot_user_id))
            thread_ts = event.get("thread_ts") or event["ts"]
            answer, reply = replies.get(question)
            if event.get("edited") and update_reply(
                client, event["channel"], thread_ts, event["ts"], context.bot_user_id, reply
            ):
                return  # the answer to the edited question replaced the earlier one
            say(**reply, thread_ts=thread_ts)
            charts.submit(client, answer, event["channel"], thread_ts)

    @app.event("message")
    def answer_direct_message(event: dict[str, Any], say: Say, client: WebClient) -> None:
        if event.get("channel_type") == "im" and is_from_a_person(event):
            question = question_from(event.get("text", ""))
            answer, reply = replies.get(question)
            say(**reply, thread_ts=event.get("thread_ts"))
            charts.submit(client, answer, event["channel"], event.get("thread_ts"))

    @app.shortcut(CHECK_SHORTCUT)
    def check_the_numbers(
        ack: Ack, shortcut: dict[str, Any], client: WebClient, logger: Logger
    ) -> None:
        ack()
        message = shortcut.get("message") or {}
        reply = replies.get(f"check: {message_text(message)}")[1]
        channel = str((shortcut.get("channel") or {}).get("id") or "")
        try:  # in the message's thread, where the team can see the check
            thread = message.get("thread_ts") or message.get("ts")
            client.chat_postMessage(channel=channel, thread_ts=thread, **reply)
        except SlackApiError as error:  # not in the channel, someone else's DM, archived...
            logger.info("Check answered privately: chat.postMessage said %s", _api_error(error))
            respond = respond_once(shortcut["response_url"], client.timeout)
            respond(**shortcut_fallback(reply), response_type="ephemeral")

    @app.error
    def report_error(error: Exception, body: dict[str, Any], logger: Logger) -> BoltResponse | None:
        kind = body.get("command") or body.get("type") or "Slack"
        if isinstance(error, SlackApiError):
            logger.error("Slack API %s failed: %s", _api_method(error), _api_error(error))
        elif isinstance(error, (OSError, HTTPException)):  # bot.app.NoAnswerLog named the method
            logger.error("Failed to answer a Slack request (%s): %s", kind, type(error).__name__)
        else:
            logger.error("Failed to handle a Slack request (%s)", kind, exc_info=error)
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and reply_may_have_arrived(error):
            logger.error("Event %s is not answered again: Slack may have the reply", event_id)
        elif isinstance(event_id, str):
            seen.release(event_id)  # nothing was posted; the 500 makes Slack retry: let it through
        if "command" in body:
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": SORRY})
        return None


_IN_CHANNEL: Reply = {"response_type": "in_channel", "replace_original": False}
_EPHEMERAL_EXTRA: Reply = {"response_type": "ephemeral", "replace_original": False}
_NO_UNFURL: Reply = {"unfurl_links": False, "unfurl_media": False}


def question_from(text: str) -> str:
    """The question as the user typed it: Slack's &amp; &lt; &gt; decoded; empty means help."""
    plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    return plain or "help"


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove the bot's own <@U…> mentions (with or without a |label) from `text`."""
    if not bot_user_id:
        return text
    return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)


def is_from_a_person(event: dict[str, Any]) -> bool:
    """True for a message a person wrote: not a bot's, an edit, a join or another notice."""
    subtype = event.get("subtype")
    by_a_person = not subtype or subtype in PERSON_SUBTYPES
    return by_a_person and not event.get("bot_id") and bool(event.get("user"))


def update_reply(
    client: WebClient,
    channel: str,
    thread_ts: str,
    mention_ts: str,
    bot_user_id: str | None,
    reply: Reply,
) -> bool:
    """Replace the bot's reply to an edited mention with `reply`; False if there is none.

    Slack sends an edited mention as a new app_mention with the same ts and an `edited` field.
    The reply is the bot's first message after the mention in its thread (the thread keeps it;
    nothing is stored for it).
    """
    found = client.conversations_replies(channel=channel, ts=thread_ts, oldest=mention_ts, limit=50)
    for message in found.get("messages") or []:
        mine = bool(bot_user_id) and message.get("user") == bot_user_id
        if mine and float(message["ts"]) > float(mention_ts):
            client.chat_update(channel=channel, ts=message["ts"], text=reply["text"],
                               blocks=reply["blocks"])  # fmt: skip
            return True
    return False


def answered(question: str, context: Context) -> tuple[Answer, Reply]:
    """The answer to `question` and its chat.postMessage arguments (what Replies caches)."""
    answer = answer_question(context, question)
    return answer, message_reply(answer)


def message_reply(answer: Answer) -> Reply:
    """chat.postMessage arguments for an answer."""
    return {"text": render_mrkdwn(answer), "blocks": render_blocks(answer), **_NO_UNFURL}


def ephemeral_reply(question: str, answer: Answer, reply: Reply | None = None) -> Reply:
    """The slash command's reply: the answer and, when it is worth sharing, a share button."""
    reply = message_reply(answer) if reply is None else reply
    if _shareable(question, answer, reply["blocks"]):
        return {**reply, "blocks": [*reply["blocks"], _share_button(question, answer)]}
    return reply


def shared_reply(answer: Answer, user_id: str, reply: Reply | None = None) -> Reply:
    """The answer as posted to the channel by the share button, attributed to `user_id`."""
    who = f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else "someone"
    credit = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by {who}"}]}
    reply = message_reply(answer) if reply is None else reply
    return {**reply, "blocks": [credit, *reply["blocks"][: MAX_BLOCKS - 1]]}


def _shareable(question: str, answer: Answer, blocks: list[dict[str, Any]]) -> bool:
    # The button carries the question, so it must fit a button value; sharing adds a block.
    return (
        answer.kind not in _NOT_SHAREABLE
        and not (answer.check is not None and answer.check.refused)  # no figure, or too long
        and len(question) <= MAX_BUTTON_VALUE
        and len(blocks) < MAX_BLOCKS
    )


def _share_button(question: str, answer: Answer) -> dict[str, Any]:
    buttons = [_button(SHARE_ACTION, translate("Share in channel", answer.lang), question)]
    if answer.chart:  # the ephemeral answer can't carry a file: a button posts the chart
        buttons.append(_button(CHART_ACTION, translate("Chart", answer.lang), question))
    return {"type": "actions", "block_id": "share", "elements": buttons}


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    text = {"type": "plain_text", "text": label}
    return {"type": "button", "action_id": action_id, "text": text, "value": value}


def respond_once(response_url: str, timeout: int) -> Callable[..., WebhookResponse]:
    """Bolt's respond() without its retry: after a reset, that may share twice (and log the URL)."""
    webhook = WebhookClient(url=response_url, timeout=timeout, retry_handlers=[])
    return lambda **message: webhook.send_dict(message)


def reply_may_have_arrived(error: Exception) -> bool:
    """True if a Web API call failed after Slack got it (HTTP 5xx, timeout, reset): don't resend."""
    if isinstance(error, SlackApiError):
        return error.response.status_code >= 500
    # urllib raises URLError when it could not connect or send the whole request; an error
    # while waiting for the answer comes as it is.
    return isinstance(error, (OSError, HTTPException)) and not isinstance(error, URLError)


def _api_method(error: SlackApiError) -> str:
    url = getattr(error.response, "api_url", "") or ""
    return str(url).rstrip("/").rsplit("/", 1)[-1] or "(unknown method)"


def _api_error(error: SlackApiError) -> str:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    # Anything but a code is the SDK describing an odd answer, such as a proxy's whole HTML page.
    code = str(data.get("error") or "")
    code = code if _ERROR_CODE.fullmatch(code) else "no error code"
    return f"{code} (HTTP {error.response.status_code})"
