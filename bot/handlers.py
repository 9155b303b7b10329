"""register(): the thin Slack listeners: answer a command, or record a job for the runner."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse

from bot.checking import CHECK_SHORTCUT, message_text
from bot.conversation import DM, Conversations
from bot.render import ASK_ACTION, SHOW_ALL_ACTION, render_blocks, render_mrkdwn, translate
from bot.replies import LiveReplies, Reply
from bot.state.tables import Scope
from bot.worker import Inbox
from bot.workspaces import Workspace
from facts.answer import answer as answer_question
from facts.context import Context
from facts.model import Answer, Lang

SHARE_ACTION = "share_answer"
CHART_ACTION = "post_chart"
SORRY = "Sorry, something went wrong while answering. Please try again in a moment."
MAX_BLOCKS = 50  # Block Kit's limit for one message
MAX_BUTTON_VALUE = 2000  # Block Kit's limit for a button's value
_NOT_SHAREABLE = frozenset({"help", "not_understood", "no_data"})
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# "/tradefact idioma es", "/tradefact language en", "... channel" / "... canal" for the channel.
LANGUAGE_CHOICE = re.compile(
    r"(language|idioma|lang)\s+(?P<lang>en|english|ingles|inglés|es|spanish|español|espanol)"
    r"(\s+(?P<where>channel|canal|this channel|este canal))?"
)
LANGUAGE_SET: dict[tuple[Lang, Scope], str] = {
    ("es", "user"): "Listo: le contestaré en español. (`/tradefact language en` para inglés)",
    ("en", "user"): "Done: I'll answer you in English. (`/tradefact idioma es` para español)",
    ("es", "channel"): "Listo: en este canal contestaré en español.",
    ("en", "channel"): "Done: in this channel I'll answer in English.",
}
# A person's message with "Also send to #channel" ticked, or with a file attached: still a question.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})


def register(app: App, replies: LiveReplies, inbox: Inbox, conversations: Conversations) -> None:
    """Add the /tradefact command, the share button, mentions and DMs to `app`.

    The command answers in the HTTP response (milliseconds). Everything that needs the Web API
    is recorded in the state store with its job, in one transaction, and acknowledged; the
    runner (bot.worker) posts it. A request already recorded (Slack's retry of an event, a
    replayed click) is acknowledged and nothing more.
    """

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

    @app.command("/tradefact")
    def tradefact_command(ack: Ack, command: dict[str, Any]) -> None:
        question = question_from(command.get("text", ""))
        user, channel = command.get("user_id") or "", command.get("channel_id") or ""
        if choice := LANGUAGE_CHOICE.fullmatch(question.lower().strip()):
            lang: Lang = "es" if choice.group("lang").startswith(("es", "sp")) else "en"
            where: Scope = "channel" if choice.group("where") else "user"
            conversations.choose_language(where, channel if where == "channel" else user, lang)
            ack(text=LANGUAGE_SET[(lang, where)], response_type="ephemeral")
            return
        answer, reply = replies.get(question, conversations.language(user, channel))
        ack(**ephemeral_reply(question, answer, reply), response_type="ephemeral")

    @app.action(SHARE_ACTION)
    def share_answer(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], logger: Logger, context: BoltContext
    ) -> None:
        job = {
            **Workspace.from_context(context).fields(),
            "response_url": body["response_url"],
            "question": action.get("value") or "help",
            "user": body["user"]["id"],
            "lang": _chosen(conversations, body),
        }
        if not inbox.once("shares", share_key(body, action), "share", job):
            logger.info("This answer was already shared: acknowledged, not shared again")
        ack()

    @app.action(CHART_ACTION)
    def post_chart(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], logger: Logger, context: BoltContext
    ) -> None:
        job = {
            **Workspace.from_context(context).fields(),
            "channel": (body.get("channel") or {}).get("id") or "",
            "question": action.get("value") or "help",
            "user": body["user"]["id"],
            "response_url": body["response_url"],
            "lang": _chosen(conversations, body),
        }
        if not inbox.once("shares", f"chart:{share_key(body, action)}", "chart", job):
            logger.info("This chart was already posted: acknowledged, not posted again")
        ack()

    @app.action(SHOW_ALL_ACTION)
    @app.action(re.compile(rf"^{ASK_ACTION}-\d+$"))
    def answer_privately(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], logger: Logger, context: BoltContext
    ) -> None:
        # "Show all" answers its question with every figure; a suggestion asks its question.
        job = {
            **Workspace.from_context(context).fields(),
            "response_url": body["response_url"],
            "question": question_from(action.get("value") or ""),
            "all": action.get("action_id") == SHOW_ALL_ACTION,
            "lang": _chosen(conversations, body),
        }
        key = f"{action.get('action_id')}:{action.get('action_ts') or body.get('trigger_id')}"
        if not inbox.once("shares", key, "respond", job):
            logger.info("This click was already answered: acknowledged, not answered again")
        ack()

    @app.action(re.compile(".*"))
    def unknown_action(ack: Ack, action: dict[str, Any], logger: Logger) -> None:
        ack()  # an old message's button, or one this version no longer has: 200, and a log line
        logger.warning("Unknown action %r: acknowledged, nothing done", action.get("action_id"))

    @app.event("app_mention")
    def answer_mention(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        if is_from_a_person(event, bot_user_id(body)):
            question = question_from(strip_mention(event.get("text", ""), bot_user_id(body)))
            thread_ts = event.get("thread_ts") or event["ts"]
            channel = event["channel"]
            if event.get("thread_ts"):  # in a thread: maybe a follow-up ("and in 2023?")
                question = conversations.read(channel, thread_ts, question).question
            conversations.remember(channel, thread_ts, question)
            # Slack sends an edited mention again, with the same ts and an `edited` field: the
            # job updates the earlier reply instead of posting a second one.
            edited = event["ts"] if event.get("edited") else None
            lang = conversations.language(str(event.get("user")), channel)
            _reply_once(inbox, body, context, channel, thread_ts, question, edited, lang)

    @app.event("message")
    def answer_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        bot = bot_user_id(body)
        if not is_from_a_person(event, bot):
            return
        channel, text = event["channel"], question_from(event.get("text", ""))
        if event.get("channel_type") == "im":
            asked = conversations.read(channel, event.get("thread_ts") or DM, text)
            conversations.remember(channel, event.get("thread_ts") or DM, asked.question)
            lang = conversations.language(str(event.get("user")), channel)
            _reply_once(
                inbox, body, context, channel, event.get("thread_ts"), asked.question, None, lang
            )
            return
        # A reply in a channel thread the bot answered, without a mention (a mention comes as
        # app_mention too): answered only when it is a follow-up of the thread's question.
        thread = event.get("thread_ts")
        if not thread or (bot and f"<@{bot}" in text):
            return
        if conversations.answered_here(channel, thread):
            asked = conversations.read(channel, thread, text)
            if asked.follow_up:
                conversations.remember(channel, thread, asked.question)
                lang = conversations.language(str(event.get("user")), channel)
                _reply_once(inbox, body, context, channel, thread, asked.question, None, lang)

    @app.shortcut(CHECK_SHORTCUT)
    def check_the_numbers(
        ack: Ack, shortcut: dict[str, Any], logger: Logger, context: BoltContext
    ) -> None:
        message = shortcut.get("message") or {}
        job = {
            **Workspace.from_context(context).fields(),
            "channel": str((shortcut.get("channel") or {}).get("id") or ""),
            # In the message's thread, where the team can see the check; privately through the
            # response_url if the bot can't post there (not in the channel, someone's DM...).
            "thread_ts": message.get("thread_ts") or message.get("ts"),
            "question": f"check: {message_text(message)}",
            "fallback_url": shortcut.get("response_url"),
        }
        key = f"check:{shortcut.get('trigger_id') or shortcut.get('action_ts') or ''}"
        if not inbox.once("shares", key, "reply", job):
            logger.info("This check was already requested: acknowledged, not checked again")
        ack()

    @app.error
    def report_error(error: Exception, body: dict[str, Any], logger: Logger) -> BoltResponse | None:
        kind = body.get("command") or body.get("type") or "Slack"
        logger.error("Failed to handle a Slack request (%s)", kind, exc_info=error)
        if "command" in body:
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": SORRY})
        return None  # a 500: Slack retries an event, and nothing of it was recorded


def _chosen(conversations: Conversations, body: dict[str, Any]) -> Lang | None:
    """The clicker's language, else the channel's (None: the question's own)."""
    channel = (body.get("channel") or {}).get("id") or ""
    return conversations.language(str((body.get("user") or {}).get("id") or ""), channel)


def _reply_once(
    inbox: Inbox,
    body: dict[str, Any],
    context: BoltContext,
    channel: str,
    thread_ts: str | None,
    question: str,
    edited: str | None = None,
    lang: Lang | None = None,
) -> None:
    workspace = Workspace.from_context(context).fields()  # whose token posts the reply
    job = {**workspace, "channel": channel, "thread_ts": thread_ts, "question": question}
    job["chart"] = True
    if lang:
        job["lang"] = lang
    if edited:
        job.update(edited=edited, bot_user=bot_user_id(body) or "")
    if not inbox.once("events", str(body["event_id"]), "reply", job):
        logging.getLogger(__name__).info(
            "Event %s was already handled: acknowledged, not answered", body["event_id"]
        )


def share_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    """What makes a click the same click: the channel and ts of the answer whose button it is."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    return f"{channel}:{container.get('message_ts') or action.get('action_ts') or ''}"


def bot_user_id(body: dict[str, Any]) -> str | None:
    """The bot's user ID from an event's authorizations (Slack sends it; no auth.test needed)."""
    for authorization in body.get("authorizations") or []:
        if authorization.get("is_bot") and isinstance(authorization.get("user_id"), str):
            return str(authorization["user_id"])
    return None


IN_CHANNEL: Reply = {"response_type": "in_channel", "replace_original": False}
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


def is_from_a_person(event: dict[str, Any], bot_user: str | None = None) -> bool:
    """True for a message a person wrote: not a bot's (this one's included), an edit, a join..."""
    user, subtype = event.get("user"), event.get("subtype")
    by_a_person = not subtype or subtype in PERSON_SUBTYPES
    return by_a_person and not event.get("bot_id") and bool(user) and user != bot_user


def answered(question: str, context: Context, lang: Lang | None = None) -> tuple[Answer, Reply]:
    """The answer to `question` and its chat.postMessage arguments (what Replies caches)."""
    answer = answer_question(context, question, lang)
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
