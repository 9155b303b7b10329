"""Managing TradeFact from Slack: digest subscriptions, the App Home, and uninstalls.

The listeners (bot.manage_handlers) only read and write the state store and queue jobs; the
Web API work of those jobs (who is an admin, whether the bot is in the channel, views.publish,
views.open) is done here, by the runner, with the workspace's token, like every reply.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.client import HTTPException
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.deliver import Done, Failed, Result, Retry, api_error
from bot.digest import digest_message
from bot.home import Home, check_modal, version
from bot.state import Job, Preferences, StateDB, add_job
from bot.subscriptions import Schedule, Subscription, Subscriptions
from bot.workspaces import Installations, Workspace
from facts.digest import build_digest

logger = logging.getLogger(__name__)

JobHandler = Callable[[Job, WebClient], Result]
MAX_REPUBLISH = 100  # Homes rebuilt at once after a subscription changes (others on next open)


@dataclass(frozen=True)
class Manager:
    """What the management listeners and jobs share (built once by create_app)."""

    state: StateDB
    home: Home
    subscribers: str  # "anyone" or "admins" (TRADEFACT_SUBSCRIBERS)
    default_timezone: str
    installations: Installations | None = None  # OAuth mode
    text_check: bool = True  # the Home's "Check a text" button (bot.checking)
    clock: Callable[[], float] = time.time

    @property
    def subscriptions(self) -> Subscriptions:
        """The subscription table."""
        return Subscriptions(self.state)

    @property
    def preferences(self) -> Preferences:
        """Per-user settings (the language)."""
        return Preferences(self.state)

    def jobs(self) -> dict[str, JobHandler]:
        """The runner's handlers for this module's job kinds."""
        return {
            "subscription": self._change,
            "home": self._publish,
            "preview": self._preview,
            "check_modal": self._open_check,
        }

    # --- subscribe / unsubscribe (a job: it may ask Slack who is an admin, and who is in) ---

    def _change(self, job: Job, client: WebClient) -> Result:
        p = job.payload
        try:
            text = self._changed(p, client)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                return Retry(10.0, False, f"subscription: {api_error(exc)}")
            text = "Sorry, Slack refused a request while changing the digest; try again later."
            logger.error("Digest subscription change failed: %s", api_error(exc))
        except (OSError, HTTPException) as exc:  # saving and answering again are harmless
            backoff = min(300.0, 2.0**job.attempts)
            return Retry(backoff, False, f"subscription: {type(exc).__name__}")
        self._republish(Workspace.of(p))
        return _respond(str(p.get("response_url") or ""), text)

    def _changed(self, p: dict[str, Any], client: WebClient) -> str:
        channel, user = str(p["channel"]), str(p["user"])
        if self.subscribers == "admins" and not _is_admin(client, user):
            return "Only workspace admins can change this channel's digest."
        before = self.subscriptions.get(channel)
        if p["op"] == "unsubscribe":
            if before is not None and self._scope(before.workspace) != self._scope(Workspace.of(p)):
                return "This channel's digest was set up by another workspace."
            stopped = self.subscriptions.stop(channel, user, self.clock())
            if not stopped:
                return "This channel isn't subscribed to the weekly digest."
            return "Unsubscribed: this channel won't get the weekly digest any more."
        zone = self.default_timezone
        if p.get("timezone") is None:
            zone = _user_timezone(client, user) or zone
        base = Subscription(channel, Workspace.of(p), timezone=zone, changed_by=user)
        if before is not None:  # a new subscribe keeps what it doesn't mention
            base = replace(before, workspace=Workspace.of(p), active=True, changed_by=user)
        subscription = Schedule(**p["schedule"]).apply(base)
        self.subscriptions.save(subscription, self.clock())
        text = f"Subscribed: this channel gets the weekly digest {subscription.describe()}."
        if not _is_member(client, channel):
            text += (
                "\n:warning: I'm not in this channel yet, so I can't post here. Invite me with"
                " `/invite @TradeFact` (or the channel's details → Integrations → Add apps)."
            )
        return text

    def _republish(self, workspace: Workspace) -> None:
        """Queue a new Home for everyone of the workspace who was shown one (latest first)."""
        with self.state.transaction() as tx:
            rows = tx.execute(
                "SELECT user_id FROM home_views WHERE enterprise_id = ? AND team_id = ?"
                " ORDER BY published_at DESC LIMIT ?",
                (workspace.enterprise_id, workspace.team_id, MAX_REPUBLISH),
            ).fetchall()
            for (who,) in rows:
                add_job(tx, "home", {**workspace.fields(), "user": who}, self.clock())

    # --- the App Home ------------------------------------------------------------------------

    def home_version(self, workspace: Workspace, user: str) -> str:
        """The version of the Home the user should see now."""
        language = self.preferences.get("user", user, "language") or "en"
        return version(
            self.home.store,
            self.subscriptions.version(self._scope(workspace)),
            language,
            self.clock(),
        )

    def _scope(self, workspace: Workspace) -> Workspace | None:
        # One workspace (a bot token): every subscription is its own, seeded ones included.
        return workspace if self.installations is not None else None

    def shown(self, workspace: Workspace, user: str) -> str | None:
        """The version of the Home last published for the user."""
        with self.state.transaction() as tx:
            row = tx.execute(
                "SELECT version FROM home_views WHERE enterprise_id = ? AND team_id = ?"
                " AND user_id = ?",
                (workspace.enterprise_id, workspace.team_id, user),
            ).fetchone()
        return str(row[0]) if row else None

    def _publish(self, job: Job, client: WebClient) -> Result:
        workspace, user = Workspace.of(job.payload), str(job.payload["user"])
        view_version = self.home_version(workspace, user)
        try:
            channels = _user_channels(client, user)
            mine = [
                s
                for s in self.subscriptions.active(self._scope(workspace))
                if s.channel in channels
            ]
            language = self.preferences.get("user", user, "language") or "en"
            view = self.home.view(mine, language, view_version, self.text_check)
            client.views_publish(user_id=user, view=view)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                return Retry(10.0, False, f"views.publish: {api_error(exc)}")
            return Failed(f"views.publish: {api_error(exc)}")
        except (OSError, HTTPException) as exc:  # publishing again is harmless
            return Retry(
                min(300.0, 2.0**job.attempts), False, f"views.publish: {type(exc).__name__}"
            )
        with self.state.transaction() as tx:
            tx.execute(
                "INSERT INTO home_views (enterprise_id, team_id, user_id, version, published_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE"
                " SET version = excluded.version, published_at = excluded.published_at",
                (workspace.enterprise_id, workspace.team_id, user, view_version, self.clock()),
            )
        return Done(None)

    def _preview(self, job: Job, client: WebClient) -> Result:
        """This week's digest for a channel, sent to the user who asked, in a direct message."""
        p = job.payload
        message = preview_message(self, str(p["channel"]))
        try:
            response = client.chat_postMessage(channel=str(p["user"]), **message)
        except SlackApiError as exc:
            return Failed(f"chat.postMessage: {api_error(exc)}")
        except (OSError, HTTPException) as exc:
            return Failed(f"chat.postMessage: {type(exc).__name__}")
        return Done(str(response.get("ts")))

    def _open_check(self, job: Job, client: WebClient) -> Result:
        """The "Check a text" modal (views.open must follow the click within 3 seconds)."""
        try:
            client.views_open(trigger_id=str(job.payload["trigger_id"]), view=check_modal())
        except SlackApiError as exc:  # expired_trigger_id: the click is too old to answer
            return Failed(f"views.open: {api_error(exc)}")
        except (OSError, HTTPException) as exc:
            return Failed(f"views.open: {type(exc).__name__}")
        return Done(None)

    # --- uninstall -----------------------------------------------------------------------------

    def forget(self, workspace: Workspace) -> None:
        """Delete everything the bot holds about the workspace: its installation too."""
        with self.state.transaction() as tx:
            key = (workspace.enterprise_id, workspace.team_id)
            channels = [
                str(r[0])
                for r in tx.execute(
                    "SELECT channel FROM digest_subscriptions"
                    " WHERE enterprise_id = ? AND team_id = ?",
                    key,
                ).fetchall()
            ]
            users = [
                str(r[0])
                for r in tx.execute(
                    "SELECT user_id FROM home_views WHERE enterprise_id = ? AND team_id = ?", key
                ).fetchall()
            ]
            for channel in channels:
                tx.execute("DELETE FROM digest_posts WHERE channel = ?", (channel,))
                tx.execute("DELETE FROM thread_context WHERE channel = ?", (channel,))
                tx.execute(
                    "DELETE FROM preferences WHERE scope = 'channel' AND scope_id = ?", (channel,)
                )
            for user in users:
                tx.execute("DELETE FROM preferences WHERE scope = 'user' AND scope_id = ?", (user,))
            tx.execute(
                "DELETE FROM digest_subscriptions WHERE enterprise_id = ? AND team_id = ?", key
            )
            tx.execute("DELETE FROM home_views WHERE enterprise_id = ? AND team_id = ?", key)
            # Queued work for the workspace can't be done without its token.
            for job_id in _workspace_jobs(tx, workspace):
                tx.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        if self.installations is not None:
            self.installations.forget(workspace)
        logger.info(
            "Forgot workspace %s (enterprise %s): %d subscriptions, %d Home views",
            workspace.team_id or "-",
            workspace.enterprise_id or "-",
            len(channels),
            len(users),
        )


def _workspace_jobs(tx: Any, workspace: Workspace) -> list[str]:
    found = []
    for job_id, payload in tx.execute("SELECT id, payload FROM jobs").fetchall():
        data = json.loads(payload or "{}")
        if data and Workspace.of(data) == workspace:
            found.append(str(job_id))
    return found


def preview_message(manager: Manager, channel: str) -> dict[str, Any]:
    """This week's digest as it would be posted in `channel` (in its language)."""
    subscription = manager.subscriptions.get(channel)
    language = subscription.language if subscription and subscription.active else "en"
    zone = subscription.timezone if subscription else manager.default_timezone
    day = datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
    return digest_message(build_digest(manager.home.store, day, "es" if language == "es" else "en"))


def _respond(response_url: str, text: str) -> Result:
    if not response_url:
        return Done(None)
    try:
        sent = WebhookClient(url=response_url, timeout=10, retry_handlers=[]).send_dict(
            {"text": text, "response_type": "ephemeral", "replace_original": False}
        )
    except (OSError, HTTPException) as exc:  # at most once: a response_url keeps no history
        return Failed(f"response_url: {type(exc).__name__}")
    return (
        Done(None) if sent.status_code == 200 else Failed(f"response_url: HTTP {sent.status_code}")
    )


def _is_admin(client: WebClient, user: str) -> bool:
    info = client.users_info(user=user).get("user") or {}
    return any(info.get(k) for k in ("is_admin", "is_owner", "is_primary_owner"))


def _user_timezone(client: WebClient, user: str) -> str | None:
    """The user's IANA time zone as Slack has it, if this machine knows it."""
    try:
        zone = str((client.users_info(user=user).get("user") or {}).get("tz") or "")
        return ZoneInfo(zone).key if zone else None
    except (SlackApiError, ZoneInfoNotFoundError, ValueError):
        return None


def _is_member(client: WebClient, channel: str) -> bool:
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError:  # channel_not_found: a private channel the bot isn't in
        return False
    return bool(info.get("is_member"))


def _user_channels(client: WebClient, user: str) -> set[str]:
    channels: set[str] = set()
    cursor = None
    for _ in range(10):  # 10 pages of 1,000 channels
        page = client.users_conversations(
            user=user, types="public_channel,private_channel", limit=1000, cursor=cursor
        )
        channels.update(str(c["id"]) for c in page.get("channels") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return channels
