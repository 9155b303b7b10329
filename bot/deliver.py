"""deliver(): do one job's Slack Web API work, exactly once, and say what happened.

A reply is posted with the job id in its message metadata. When an earlier attempt may have
reached Slack (a crash, a timeout, a 5xx), the channel or thread is read first: if the message
is there, the job is done; if it can't be read, nothing is posted and the job is tried again
later. A 429 is waited out by queueing the job for its Retry-After, not by a sleeping thread.
A share goes through the click's response_url, which has no history to read: it is sent at
most once, and a share that may have gone out is not sent again.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.history import TooMuchHistory, find_posted
from bot.render import escape_mrkdwn
from bot.state import Job
from bot.uploads import NO_CHART_HERE, upload_chart
from facts.model import Answer, Lang

logger = logging.getLogger(__name__)
REPLY_EVENT = "tradefact_reply"  # the message metadata that carries a reply's job id
MAX_ATTEMPTS = 10  # then the job fails (and is logged): about 15 minutes of backoff
_ERROR_CODE = re.compile(r"[a-z0-9_]{1,64}")  # Slack's error codes: not_in_channel, ...

Reply = dict[str, Any]
MakeReply = Callable[[str, Lang | None], tuple[Answer, Reply]]


@dataclass(frozen=True)
class Done:
    """Slack has the message: `found` if an earlier attempt had posted it."""

    ts: str | None
    found: bool = False


@dataclass(frozen=True)
class Retry:
    """Try again `after` seconds from now; `unsure` if this attempt may have reached Slack."""

    after: float
    unsure: bool
    error: str


@dataclass(frozen=True)
class Failed:
    """Give up: Slack refused it (nothing posted), or it may be posted and can't be checked."""

    error: str


Result = Done | Retry | Failed


def deliver(job: Job, client: WebClient, make: MakeReply) -> Result:
    """Do `job` once; never raises for Slack's or the network's failures."""
    if job.kind == "share":
        return _share(job, make, client.timeout)
    if job.kind == "respond":
        return _respond(job, make, client.timeout)
    if job.kind == "chart":
        return _chart(job, client, make)
    return _reply(job, client, make)


def _reply(job: Job, client: WebClient, make: MakeReply) -> Result:
    p = job.payload
    channel, thread_ts = str(p["channel"]), p.get("thread_ts")
    if job.unsure:
        try:
            ts = find_posted(client, channel, job.created_at, _is_job(job.id), thread_ts)
        except (SlackApiError, OSError, HTTPException, TooMuchHistory) as exc:
            method = "conversations.replies" if thread_ts else "conversations.history"
            return _failure(job, method, exc, looked=True)
        if ts is not None:
            return Done(ts, found=True)
    answer, message = make(str(p["question"]), p.get("lang"))
    metadata = {"event_type": REPLY_EVENT, "event_payload": {"job": job.id}}
    try:
        if p.get("edited"):
            edited = (str(p["edited"]), str(p.get("bot_user")))
            updated = _update_reply(client, channel, str(thread_ts), edited, message)
            if updated is not None:
                return Done(updated)
        response = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, metadata=metadata, **message
        )
    except (SlackApiError, OSError, HTTPException) as exc:
        result = _failure(job, "chat.postMessage", exc)
        fallback = p.get("fallback_url")
        if isinstance(result, Failed) and isinstance(exc, SlackApiError) and fallback:
            return _privately(str(fallback), message, result, client.timeout)
        return result
    ts = str(response.get("ts"))
    if p.get("chart") and answer.chart:  # after the text answer: it never waits for the chart
        _chart_into_thread(client, answer, channel, thread_ts or ts)
    return Done(ts)


def _update_reply(
    client: WebClient, channel: str, thread_ts: str, edited: tuple[str, str], message: Reply
) -> str | None:
    """Replace the bot's reply to an edited mention; its ts, or None if there is none to edit.

    The reply is the bot's first message after the mention (ts, bot user) in the thread.
    """
    mention_ts, bot_user = edited
    found = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    for posted in found.get("messages") or []:
        if posted.get("user") == bot_user and float(posted["ts"]) > float(mention_ts):
            client.chat_update(channel=channel, ts=posted["ts"], text=message["text"],
                               blocks=message["blocks"])  # fmt: skip
            return str(posted["ts"])
    return None


def _chart_into_thread(client: WebClient, answer: Answer, channel: str, thread_ts: str) -> None:
    """Upload the answer's chart; a failure is logged and leaves the text answer as it is."""
    try:
        upload_chart(client, answer, channel, thread_ts)
    except (SlackApiError, OSError, HTTPException) as exc:
        error = api_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.error("Chart upload failed: %s", error)


def _chart(job: Job, client: WebClient, make: MakeReply) -> Result:
    """The Chart button: the chart posted in the channel, or a private word why it can't be."""
    if job.unsure:  # an upload leaves no metadata to look for: at most once
        return Failed("files.completeUploadExternal: may have been posted; not posted again")
    p = job.payload
    answer, _ = make(str(p["question"]), p.get("lang"))
    who = str(p["user"])
    comment = f"Chart for <@{who}>: {escape_mrkdwn(str(p['question']))}"
    try:
        upload_chart(client, answer, str(p["channel"]), None, comment)
    except SlackApiError as exc:
        webhook = WebhookClient(
            url=str(p["response_url"]), timeout=client.timeout, retry_handlers=[]
        )
        with contextlib.suppress(OSError, HTTPException):
            webhook.send_dict({"text": NO_CHART_HERE, "response_type": "ephemeral",
                               "replace_original": False})  # fmt: skip
        return Failed(f"files_upload_v2: {api_error(exc)}")
    except (OSError, HTTPException) as exc:
        return _failure(job, "files_upload_v2", exc)
    return Done(None)


def _respond(job: Job, make: MakeReply, timeout: int) -> Result:
    """A suggestion's answer, or every figure of a cut list, shown to the clicker only."""
    from bot.handlers import ephemeral_reply, message_reply

    if job.unsure:  # a response_url keeps no history to look in: at most once
        return Failed("response_url: an earlier attempt may have answered; not sent again")
    p = job.payload
    question = str(p["question"])
    answer, reply = make(question, p.get("lang"))
    if p.get("all"):
        reply = message_reply(replace(answer, glance=()))
    else:
        reply = ephemeral_reply(question, answer, reply)
    webhook = WebhookClient(url=str(p["response_url"]), timeout=timeout, retry_handlers=[])
    try:
        sent = webhook.send_dict({**reply, "response_type": "ephemeral", "replace_original": False})
    except (OSError, HTTPException) as exc:
        return _failure(job, "response_url", exc)
    return (
        Done(None) if sent.status_code == 200 else Failed(f"response_url: HTTP {sent.status_code}")
    )


def _privately(url: str, message: Reply, refused: Failed, timeout: int) -> Result:
    """A shortcut's reply the bot may not post in the channel, shown to its user only."""
    from bot.checking import shortcut_fallback

    logger.info("Answered privately: %s", refused.error)
    webhook = WebhookClient(url=url, timeout=timeout, retry_handlers=[])
    try:  # at most once, like a share: a response_url has no history to look in
        sent = webhook.send_dict({**shortcut_fallback(message), "response_type": "ephemeral"})
    except (OSError, HTTPException) as exc:
        return Failed(f"response_url: {type(exc).__name__}")
    return (
        Done(None) if sent.status_code == 200 else Failed(f"response_url: HTTP {sent.status_code}")
    )


def _share(job: Job, make: MakeReply, timeout: int) -> Result:
    from bot.handlers import IN_CHANNEL, shared_reply  # the shape lives with the button

    if job.unsure:  # a response_url keeps no history to look in: at most once
        return Failed("response_url: an earlier attempt may have shared it; not sent again")
    p = job.payload
    answer, reply = make(str(p["question"]), p.get("lang"))
    webhook = WebhookClient(url=str(p["response_url"]), timeout=timeout, retry_handlers=[])
    try:
        shared = webhook.send_dict({**shared_reply(answer, str(p["user"]), reply), **IN_CHANNEL})
    except (OSError, HTTPException) as exc:
        return _failure(job, "response_url", exc)
    if shared.status_code == 429:
        return Retry(_retry_after(shared.headers), False, "response_url: HTTP 429")
    if shared.status_code != 200:
        return Failed(f"response_url: HTTP {shared.status_code}")
    with contextlib.suppress(OSError, HTTPException):  # if this fails, the ephemeral stays
        webhook.send_dict({"delete_original": True})  # it has done its job
    return Done(None)


def _is_job(job_id: str) -> Callable[[dict[str, Any]], bool]:
    def matches(metadata: dict[str, Any]) -> bool:
        payload = metadata.get("event_payload") or {}
        return metadata.get("event_type") == REPLY_EVENT and payload.get("job") == job_id

    return matches


def _failure(job: Job, method: str, exc: Exception, looked: bool = False) -> Result:
    """Retry or Failed for a Web API call that raised, by what it tells about Slack's state."""
    backoff = float(min(300, 2**job.attempts))
    unsure = looked or job.unsure  # a failed look leaves an earlier attempt as unsure as it was
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        error = f"{method}: {api_error(exc)}"
        if status == 429:
            return _limited(job, Retry(_retry_after(exc.response.headers), unsure, error))
        if status >= 500:  # Slack failed midway: it may have posted
            return _limited(job, Retry(backoff, True, error))
        return Failed(error)  # an error code: nothing was posted, and retrying won't change it
    error = f"{method}: {type(exc).__name__}"
    if isinstance(exc, TooMuchHistory):
        return Failed(f"{method}: too much history to rule out an earlier post; not sent again")
    # urllib raises URLError when it could not connect or send the whole request: not sent.
    sent = not isinstance(exc, URLError)
    return _limited(job, Retry(backoff, unsure or sent, error))


def _limited(job: Job, retry: Retry) -> Result:
    if job.attempts >= MAX_ATTEMPTS:
        return Failed(f"{retry.error} (gave up after {job.attempts} attempts)")
    return retry


def _retry_after(headers: Any) -> float:
    for name, values in dict(headers or {}).items():
        value = values[0] if isinstance(values, list) else values
        if name.lower() == "retry-after" and str(value).strip().isdigit():
            return float(value)
    return 1.0


def api_error(error: SlackApiError) -> str:
    """Slack's error code and HTTP status, e.g. "not_in_channel (HTTP 200)"."""
    data = error.response.data if isinstance(error.response.data, dict) else {}
    # Anything but a code is the SDK describing an odd answer, such as a proxy's whole HTML page.
    code = str(data.get("error") or "")
    code = code if _ERROR_CODE.fullmatch(code) else "no error code"
    return f"{code} (HTTP {error.response.status_code})"
