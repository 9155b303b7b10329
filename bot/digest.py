"""Post the weekly digest once per channel and ISO week, and schedule it.

Exactly once, step by step (the ledger is bot.ledger):
1. build and render the digest, so that a bug there leaves nothing in the ledger;
2. claim (channel, week) in one SQLite transaction: one run wins, the others see its claim;
3. post with chat.postMessage, the week in the message's metadata;
4. record Slack's ts.
A run that dies between 2 and 4 leaves a pending claim. When its lease has run out, the next run
takes it over but first looks for the week's metadata in the channel's history since the claim:
if Slack has the message, its ts is recorded and nothing is posted again. When Slack answers with
an error code nothing was posted, so the row is marked failed and a later run may simply retry.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from http.client import HTTPException
from types import FrameType
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError, DigestSettings
from bot.ledger import Claim, Ledger, Status
from bot.render import render_digest_blocks, render_digest_text
from facts.digest import Digest, build_digest, iso_week
from facts.store import FactStore

logger = logging.getLogger(__name__)

EVENT_TYPE = "tradefact_digest"  # the message metadata that marks a digest and its week
CLOCK_SKEW = timedelta(minutes=5)  # our clock and Slack's may disagree this much
HISTORY_PAGES = 20  # of 200 messages: more since a claim, and we can't tell, so we don't post
SWEEP_EVERY = timedelta(minutes=5)  # how often the scheduler looks for a missed or stuck week

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
    "busy": "another run is posting it",
    "failed": "not posted, Slack refused it",
    "unknown": "not known whether Slack got it; checked again later",
}


def open_ledger(settings: DigestSettings) -> Ledger:
    """The ledger at TRADEFACT_STATE_DB; ConfigError if it can't be created or read."""
    try:
        return Ledger(settings.state_db)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(f"TRADEFACT_STATE_DB {settings.state_db} cannot be used: {exc}") from exc


_NOT_WON: dict[Status, OutcomeStatus] = {"posted": "done", "pending": "busy", "failed": "failed"}


def digest_message(digest: Digest) -> dict[str, Any]:
    """The chat.postMessage arguments (without the channel): text, blocks and metadata."""
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
    *,
    retry_failed: bool = True,
) -> Outcome:
    """Post the digest for the week of `day` to `channel`, unless it is posted or being posted."""
    message = digest_message(build_digest(store, day))
    week = iso_week(day)
    claim = ledger.claim(channel, week, now, retry_failed=retry_failed)
    entry = claim.entry
    if not claim.won:
        return Outcome(channel, week, _NOT_WON[entry.status], entry.ts, entry.error)
    if claim.verify:
        try:
            ts = _find_posted(client, channel, week, entry.first_claimed_at)
        except (SlackApiError, OSError, HTTPException, _TooMuchHistory) as exc:
            return _unknown(ledger, claim, "conversations.history", exc, now)
        if ts is not None:
            ledger.mark_posted(channel, week, ts, now)
            logger.info("Digest %s for %s was already in the channel: recorded", week, channel)
            return Outcome(channel, week, "found", ts)
        if not ledger.holds(claim):  # the look took so long that another run took over
            return Outcome(channel, week, "busy")
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
    logger.info("Posted digest %s to %s (ts %s)", week, channel, ts)
    return Outcome(channel, week, "posted", ts)


def post_all(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    channels: Sequence[str],
    day: date,
    now: datetime,
    *,
    retry_failed: bool = True,
) -> list[Outcome]:
    """post_digest to each channel in turn; one channel's failure doesn't stop the others."""
    outcomes = []
    for channel in channels:
        try:
            outcome = post_digest(
                client, ledger, store, channel, day, now, retry_failed=retry_failed
            )
        except Exception:
            # Whatever went wrong, the other channels still get their digest. A claim left
            # pending here is checked and retried once its lease runs out.
            logger.exception("Digest for %s (%s) failed", channel, iso_week(day))
            outcome = Outcome(channel, iso_week(day), "unknown", error="unexpected error")
        outcomes.append(outcome)
    return outcomes


def due_day(settings: DigestSettings, now: datetime) -> date | None:
    """Today (in the digest's time zone) if this week's scheduled time has passed, else None."""
    local = now.astimezone(settings.timezone)
    monday = local.date() - timedelta(days=local.weekday())
    first = settings.trigger().get_next_fire_time(
        None, datetime.combine(monday, time(), settings.timezone)
    )
    return local.date() if first is not None and first <= local else None


def catch_up(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    settings: DigestSettings,
    now: datetime,
    *,
    retry_failed: bool,
) -> list[Outcome]:
    """Post this week's digest where it is due but missing, or stuck in a dead run's claim."""
    day = due_day(settings, now)
    if day is None:
        return []
    return post_all(client, ledger, store, settings.channels, day, now, retry_failed=retry_failed)


def run_schedule(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    settings: DigestSettings,
    clock: Callable[[], datetime],
) -> int:
    """Post the digest on schedule until stopped; on start, post a week that was missed."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    def weekly() -> None:
        now = clock()
        day = now.astimezone(settings.timezone).date()
        _log(post_all(client, ledger, store, settings.channels, day, now))

    def sweep(retry_failed: bool = False) -> None:
        _log(catch_up(client, ledger, store, settings, clock(), retry_failed=retry_failed))

    scheduler = BlockingScheduler(timezone=settings.timezone)
    # Jobs may overlap (the sweep and the weekly run): the ledger lets only one of them post.
    scheduler.add_job(weekly, settings.trigger(), id="digest", misfire_grace_time=3600)
    scheduler.add_job(sweep, IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()), id="sweep")

    def stop(signum: int, frame: FrameType | None) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    logger.info(
        "Digest scheduled for %s at %r (%s); state in %s",
        ", ".join(settings.channels),
        settings.cron,
        settings.timezone.key,
        ledger.path,
    )
    # A week missed while the process was down is posted now. Weeks that Slack refused are
    # retried too: a restart is how a fixed token or an invitation to the channel takes effect.
    sweep(retry_failed=True)
    with contextlib.suppress(KeyboardInterrupt):
        scheduler.start()  # blocks until SIGTERM or Ctrl-C
    return 0


class _TooMuchHistory(Exception):
    """More messages since the claim than we page through: we can't rule out an earlier post."""


def _find_posted(client: WebClient, channel: str, week: str, since: float) -> str | None:
    oldest = f"{since - CLOCK_SKEW.total_seconds():.6f}"
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("week") == week:
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None
    raise _TooMuchHistory(f"more than {HISTORY_PAGES * 200} messages since the claim")


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
    code = str(data.get("error") or f"HTTP {exc.response.status_code}")
    return code if len(code) < 80 else f"HTTP {exc.response.status_code}"  # not a whole HTML page


def _log(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        level = logging.INFO if outcome.status in ("posted", "found", "done") else logging.WARNING
        logger.log(level, "Digest %s", outcome.describe())
