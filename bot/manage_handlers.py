"""The management listeners: `/tradefact digest …`, the App Home's buttons, uninstall events.

They only read and write the state store and queue jobs (bot.manage does the Web API work):

    /tradefact digest subscribe [day] [time] [time zone] [en|es]
    /tradefact digest unsubscribe | status | preview
"""

from __future__ import annotations

import re
import time
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.home import (
    ASK_ACTION,
    CHECK_MODAL,
    CHECK_TEXT_ACTION,
    LANGUAGE_ACTION,
    PREVIEW_ACTION,
    UNSUBSCRIBE_ACTION,
)
from bot.manage import Manager, preview_message
from bot.render import escape_mrkdwn
from bot.subscriptions import LANGUAGES, ScheduleError, parse_schedule
from bot.worker import Inbox
from bot.workspaces import Workspace

_DIGEST = re.compile(r"\s*(digest)\b(.*)", re.IGNORECASE | re.DOTALL)
USAGE = (
    "*Weekly digest for this channel*\n"
    "• `/tradefact digest subscribe` — every Monday at 09:00 in your time zone, in English\n"
    "• `/tradefact digest subscribe friday 8:30 America/Mexico_City es` — a day, a time, a"
    " time zone and a language (`en` or `es`), each optional\n"
    "• `/tradefact digest unsubscribe` — stop it\n"
    "• `/tradefact digest status` — when it is posted\n"
    "• `/tradefact digest preview` — this week's digest, shown only to you"
)


def register_manage(app: App, manager: Manager, inbox: Inbox) -> None:
    """Add `/tradefact digest …`, the App Home and the uninstall events to `app`.

    Register before bot.handlers.register: the digest command is the /tradefact command whose
    text starts with "digest".
    """

    def is_digest(body: dict[str, Any]) -> bool:
        return bool(_DIGEST.match(str(body.get("text") or "")))

    @app.command("/tradefact", matchers=[is_digest])
    def digest_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        ack(**digest_reply(manager, inbox, command, context), response_type="ephemeral")

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        workspace, user = Workspace.from_context(context), str(event["user"])
        if manager.shown(workspace, user) == manager.home_version(workspace, user):
            return  # the Home the user has is current: nothing to publish
        job = {**workspace.fields(), "user": user}
        inbox.once("events", str(body["event_id"]), "home", job)

    @app.action(re.compile(ASK_ACTION.format(r"\d+")))
    def home_ask(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        user = str(body["user"]["id"])
        question = str(action.get("value") or "help")[:500]
        job = {**Workspace.from_context(context).fields(), "channel": user, "thread_ts": None}
        inbox.once("shares", _click_key(body, action), "reply", {**job, "question": question})

    @app.action(PREVIEW_ACTION)
    def home_preview(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        job = {**Workspace.from_context(context).fields(), "user": str(body["user"]["id"])}
        inbox.once(
            "shares", _click_key(body, action), "preview", {**job, "channel": action["value"]}
        )

    @app.action(UNSUBSCRIBE_ACTION)
    def home_unsubscribe(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        job = {
            **Workspace.from_context(context).fields(),
            "op": "unsubscribe",
            "channel": str(action["value"]),
            "user": str(body["user"]["id"]),
        }
        inbox.once("shares", _click_key(body, action), "subscription", job)

    @app.action(LANGUAGE_ACTION)
    def home_language(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        user = str(body["user"]["id"])
        chosen = str((action.get("selected_option") or {}).get("value") or "en")
        if chosen in LANGUAGES:
            manager.preferences.set("user", user, "language", chosen, manager.clock())
        job = {**Workspace.from_context(context).fields(), "user": user}
        inbox.once("shares", _click_key(body, action), "home", job)

    @app.action(CHECK_TEXT_ACTION)
    def home_check_text(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        job = {**Workspace.from_context(context).fields(), "trigger_id": body["trigger_id"]}
        inbox.once("shares", _click_key(body, {}), "check_modal", job)

    @app.view(CHECK_MODAL)
    def check_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        text = str(view["state"]["values"]["text"]["text"].get("value") or "").strip()
        if not text:
            ack(response_action="errors", errors={"text": "Paste a text with figures to check."})
            return
        ack()  # closes the modal; the check arrives in a message from TradeFact
        user = str(body["user"]["id"])
        job = {**Workspace.from_context(context).fields(), "channel": user, "thread_ts": None}
        key = f"check-modal:{view.get('id')}:{view.get('hash')}"
        inbox.once("shares", key, "reply", {**job, "question": f"check: {text}"})

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):
            manager.forget(Workspace.from_context(context))

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        manager.forget(Workspace.from_context(context))


def digest_reply(
    manager: Manager, inbox: Inbox, command: dict[str, Any], context: BoltContext
) -> dict[str, Any]:
    """The ephemeral answer to `/tradefact digest …` (changes are queued as a job)."""
    match = _DIGEST.match(str(command.get("text") or ""))
    words = (match[2] if match else "").split()
    verb, rest = (words[0].lower(), words[1:]) if words else ("help", [])
    channel = str(command.get("channel_id") or "")
    if verb == "status":
        return {"text": _status(manager, channel)}
    if verb == "preview":
        message = preview_message(manager, channel)
        return {"text": message["text"], "blocks": message["blocks"]}  # no metadata: ephemeral
    if verb not in ("subscribe", "unsubscribe"):
        return {"text": USAGE}
    if not channel.startswith(("C", "G")):
        return {"text": "Subscribe from the channel that should get the digest (not a DM)."}
    job: dict[str, Any] = {
        **Workspace.from_context(context).fields(),
        "channel": channel,
        "user": str(command.get("user_id") or ""),
        "response_url": str(command.get("response_url") or ""),
    }
    if verb == "unsubscribe":
        job["op"] = "unsubscribe"
    else:
        try:
            schedule = parse_schedule(rest)
        except ScheduleError as exc:
            return {"text": f"{escape_mrkdwn(str(exc))}\n\n{USAGE}"}
        job.update(op="subscribe", schedule=vars(schedule), timezone=schedule.timezone)
    inbox.once("events", f"command:{command.get('trigger_id') or time.time()}", "subscription", job)
    return {"text": "Working on it: you'll see the result here in a moment."}


def _status(manager: Manager, channel: str) -> str:
    subscription = manager.subscriptions.get(channel)
    if subscription is None or not subscription.active:
        return "This channel isn't subscribed. `/tradefact digest subscribe` starts the digest."
    return f"This channel gets the weekly digest {subscription.describe()}."


def _click_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    return f"click:{body['user']['id']}:{action.get('action_ts') or time.time()}"
