"""Post the weekly digest once per channel and ISO week (bot.schedule decides when).

Exactly once, step by step (the ledger is bot.ledger):
1. build and render the digest, so that a bug there leaves nothing in the ledger;
2. claim (channel, week) in one SQLite transaction: one run wins, the others see its claim;
3. post with chat.postMessage, the week in the message's metadata;
4. record Slack's ts.
A run that dies between 2 and 4 leaves a pending claim. When its lease has run out, the next run
takes it over but first looks for the week's metadata in the channel's history since the claim:
if Slack has the message, its ts is recorded and nothing is posted again (and if the history
can't be read, nothing is posted). When Slack answers with an error code nothing was posted, so
the row is marked failed and a later run may simply retry. A first claim also looks, in case the
ledger file was lost, but posts if the look fails.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from http.client import HTTPException
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError, DigestSettings
from bot.history import TooMuchHistory, find_posted
from bot.ledger import Claim, Ledger, Status, lock_name
from bot.render import render_digest_blocks, render_digest_text
from bot.state import Preferences, StateError, open_state
from facts.digest import Digest, build_digest, iso_week
from facts.store import FactStore

logger = logging.getLogger(__name__)

EVENT_TYPE = "tradefact_digest"  # the message metadata that marks a digest and its week

_ERROR_CODE = re.compile(r"[a-z0-9_]{1,64}")
OutcomeStatus = Literal["posted", "found", "done", "busy", "failed", "unknown"]


@dataclass(frozen=True)
class Outcome:
    """What one run did about one channel's digest for one week."""

    channel: str
    week: str
    # posted: sent now · found: Slack already had it (recorded now) · done: the ledger had it
    # busy: another run holds the claim · failed: Slack refused it · unknown: maybe sent; the
    # claim stays pending and is checked once its lease has run out
    status: OutcomeStatus
    ts: str | None = None
    error: str | None = None

    def describe(self) -> str:
        """One line for the command line and the log."""
        detail = f" (ts {self.ts})" if self.ts else f": {self.error}" if self.error else ""
        return f"{self.channel} {self.week}: {_WORDS[self.status]}{detail}"


_WORDS: dict[OutcomeStatus, str] = {
    "posted": "posted",
    "found": "already in the channel (recorded, not posted again)",
    "done": "already posted",
    "busy": "another run is posting it (a dead run's claim is taken over after its lease)",
    "failed": "not posted, Slack refused it",
    "unknown": "not known whether Slack got it; checked again later",
}
_NOT_WON: dict[Status, OutcomeStatus] = {"posted": "done", "pending": "busy", "failed": "failed"}


def open_ledger(settings: DigestSettings) -> Ledger:
    """The ledger in the state database (DATABASE_URL or TRADEFACT_STATE_DB); ConfigError if not."""
    try:
        return Ledger(open_state(settings.state, pool_size=4))  # a few threads at most
    except StateError as exc:
        raise ConfigError(str(exc)) from exc


def digest_message(digest: Digest) -> dict[str, Any]:
    """The chat.postMessage arguments (without the channel): text, blocks and metadata.

    The digest is in its language already (build_digest's `lang`: the subscription's or the
    channel's).
    """
    return {
        "text": render_digest_text(digest),
        "blocks": render_digest_blocks(digest),
        "metadata": {"event_type": EVENT_TYPE, "event_payload": {"week": digest.week}},
        # Citation links would otherwise unfold into previews that bury the figures.
        "unfurl_links": False,
        "unfurl_media": False,
    }


def post_digest(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    channel: str,
    day: date,
    now: datetime,
    retry_failed_after: timedelta = timedelta(0),
    language: str = "en",
) -> Outcome:
    """Post the digest for the week of `day` to `channel`, unless it is posted or being posted."""
    # The subscription's language, else the channel's choice (/tradefact idioma es canal).
    chosen = (
        language
        if language == "es"
        else Preferences(ledger.state).get("channel", channel, "language")
    )
    digest = build_digest(store, day, "es" if chosen == "es" else "en")
    message = digest_message(digest)
    week = iso_week(day)
    # Held through the look and the post: another clock, here or on another machine, sees
    # "busy" instead of taking over a claim whose post is still on its way. A crash frees it.
    with ledger.state.hold(lock_name(channel, week)) as held:
        if not held:
            return Outcome(channel, week, "busy")
        outcome = _claim_and_post(client, ledger, message, channel, day, now, retry_failed_after)
    if outcome.status == "posted" and outcome.ts:
        _chart_in_thread(client, digest, channel, outcome.ts)
    return outcome


def _chart_in_thread(client: WebClient, digest: Digest, channel: str, ts: str) -> None:
    """The 13-month chart in the digest's thread; a failure is logged, the digest stands."""
    from bot.chart import digest_chart_png  # matplotlib only when a digest is posted

    try:
        client.files_upload_v2(
            channel=channel,
            thread_ts=ts,
            content=digest_chart_png(digest),
            filename="tradefact-digest-chart.png",
            title=f"U.S. trade with {digest.partner}, the last 13 months",
        )
    except SlackApiError as exc:
        logger.error("Digest chart upload failed for %s: %s", channel, _code(exc))
    except (OSError, HTTPException) as exc:
        logger.error("Digest chart upload failed for %s: %s", channel, type(exc).__name__)


def _claim_and_post(
    client: WebClient,
    ledger: Ledger,
    message: dict[str, Any],
    channel: str,
    day: date,
    now: datetime,
    retry_failed_after: timedelta,
) -> Outcome:
    week = iso_week(day)
    claim = ledger.claim(channel, week, now, retry_failed_after)
    if not claim.won:
        entry = claim.entry
        return Outcome(channel, week, _NOT_WON[entry.status], entry.ts, entry.error)
    if claim.verify:
        found = _look_before_retrying(client, ledger, claim, now)
        if found is not None:
            return found
    elif claim.entry.attempts == 1:
        found = _look_in_case(client, ledger, claim, day, now)
        if found is not None:
            return found
    return _send(client, ledger, claim, message, now)


def _look_before_retrying(
    client: WebClient, ledger: Ledger, claim: Claim, now: datetime
) -> Outcome | None:
    """The outcome if the channel already has the week's digest or can't be read; else None."""
    channel, week = claim.entry.channel, claim.entry.week
    try:
        ts = _find_posted(client, channel, week, claim.entry.first_claimed_at)
    except (SlackApiError, OSError, HTTPException, TooMuchHistory) as exc:
        return _unknown(ledger, claim, "conversations.history", exc, now)
    if ts is not None:
        ledger.mark_posted(channel, week, ts, now)
        return Outcome(channel, week, "found", ts)
    if not ledger.holds(claim):  # the look took so long that another run took over
        return Outcome(channel, week, "busy")
    return None


def _look_in_case(
    client: WebClient, ledger: Ledger, claim: Claim, day: date, now: datetime
) -> Outcome | None:
    """A first claim: the week's digest may be in the channel if the ledger file was lost."""
    # A platform with an ephemeral disk loses the ledger at every restart, and the catch-up on
    # start would then post the week again. This look can't fail a post, only prevent a second.
    channel, week = claim.entry.channel, claim.entry.week
    monday = datetime.combine(day - timedelta(days=day.weekday()), time(), UTC)
    since = min(monday.timestamp() - 86400, claim.entry.first_claimed_at)  # any time zone's Monday
    try:
        ts = _find_posted(client, channel, week, since)
    except (SlackApiError, OSError, HTTPException, TooMuchHistory) as exc:
        code = _code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.warning(
            "Slack API conversations.history failed for %s (%s): %s; posting without the look",
            channel,
            week,
            code,
        )
        return None
    if ts is None:
        return None
    ledger.mark_posted(channel, week, ts, now)
    return Outcome(channel, week, "found", ts)


def _send(
    client: WebClient, ledger: Ledger, claim: Claim, message: dict[str, Any], now: datetime
) -> Outcome:
    channel, week = claim.entry.channel, claim.entry.week
    try:
        response = client.chat_postMessage(channel=channel, **message)
    except SlackApiError as exc:
        if exc.response.status_code >= 500:  # Slack failed midway: it may have posted
            return _unknown(ledger, claim, "chat.postMessage", exc, now)
        error = f"chat.postMessage: {_code(exc)}"
        logger.error("Slack API chat.postMessage failed for %s (%s): %s", channel, week, _code(exc))
        ledger.mark_failed(claim, error, now)
        return Outcome(channel, week, "failed", error=error)
    except (OSError, HTTPException) as exc:  # timeout or reset: the request may have arrived
        return _unknown(ledger, claim, "chat.postMessage", exc, now)
    ts = str(response["ts"])
    ledger.mark_posted(channel, week, ts, now)
    return Outcome(channel, week, "posted", ts)


def post_all(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    channels: Sequence[str],
    day: date,
    now: datetime,
    retry_failed_after: timedelta = timedelta(0),
) -> list[Outcome]:
    """post_digest to each channel in turn; one channel's failure doesn't stop the others."""
    return [
        post_safely(client, ledger, store, channel, day, now, retry_failed_after)
        for channel in channels
    ]


def post_safely(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    channel: str,
    day: date,
    now: datetime,
    retry_failed_after: timedelta = timedelta(0),
    language: str = "en",
) -> Outcome:
    """post_digest, with an unexpected error logged and reported as an outcome, not raised."""
    try:
        return post_digest(client, ledger, store, channel, day, now, retry_failed_after, language)
    except Exception:
        # Whatever went wrong, the other channels still get their digest. A claim left
        # pending here is checked and retried once its lease runs out.
        logger.exception("Digest for %s (%s) failed", channel, iso_week(day))
        return Outcome(channel, iso_week(day), "unknown", error="unexpected error")


def _find_posted(client: WebClient, channel: str, week: str, since: float) -> str | None:
    def matches(metadata: dict[str, Any]) -> bool:
        payload = metadata.get("event_payload") or {}
        return metadata.get("event_type") == EVENT_TYPE and payload.get("week") == week

    return find_posted(client, channel, since, matches)


def _unknown(ledger: Ledger, claim: Claim, method: str, exc: Exception, now: datetime) -> Outcome:
    channel, week = claim.entry.channel, claim.entry.week
    code = _code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
    error = f"{method}: {code}"
    logger.error(
        "Slack API %s failed for %s (%s): %s; not known whether the digest is in the channel,"
        " so it is checked again in %s before any retry",
        method,
        channel,
        week,
        code,
        ledger.lease,
    )
    ledger.mark_unknown(claim, error, now)
    return Outcome(channel, week, "unknown", error=error)


def _code(exc: SlackApiError) -> str:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    code = str(data.get("error") or "")
    # Slack's codes are snake_case words; anything else is the SDK describing an odd response.
    return code if _ERROR_CODE.fullmatch(code) else f"HTTP {exc.response.status_code}"
