"""run_schedule(): post the weekly digest on its cron schedule, and catch up on a missed week."""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from types import FrameType

from slack_sdk import WebClient

from bot.config import DigestSettings
from bot.digest import Outcome, post_all
from bot.ledger import Ledger
from facts.store import FactStore

logger = logging.getLogger("bot.digest")  # one logger for everything about the digest

SWEEP_EVERY = timedelta(minutes=5)  # how often the scheduler looks for a missed or stuck week
# How long the sweep waits before it asks again after Slack refused a post (not_in_channel,
# ratelimited, invalid_auth): hourly, as someone may have invited the bot in the meantime.
RETRY_FAILED_AFTER = timedelta(hours=1)


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
    retry_failed_after: timedelta = RETRY_FAILED_AFTER,
) -> list[Outcome]:
    """Post this week's digest where it is due and missing, stuck, or refused a while ago."""
    day = due_day(settings, now)
    if day is None:
        return []
    return post_all(client, ledger, store, settings.channels, day, now, retry_failed_after)


def run_schedule(
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    settings: DigestSettings,
    clock: Callable[[], datetime],
) -> int:
    """Post the digest on schedule until stopped; on start, post a week that was missed."""
    from apscheduler.schedulers import SchedulerNotRunningError
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    def weekly() -> None:
        now = clock()
        day = now.astimezone(settings.timezone).date()
        _log(post_all(client, ledger, store, settings.channels, day, now))

    def sweep() -> None:
        outcomes = catch_up(client, ledger, store, settings, clock())
        # Every five minutes "already posted" would drown the log; the start says it once.
        _log([o for o in outcomes if o.status != "done"])

    scheduler = BlockingScheduler(timezone=settings.timezone)
    # Jobs may overlap (the sweep and the weekly run): the ledger lets only one of them post.
    scheduler.add_job(weekly, settings.trigger(), id="digest", misfire_grace_time=3600)
    scheduler.add_job(sweep, IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()), id="sweep")

    def stop(signum: int, frame: FrameType | None) -> None:
        if not scheduler.running:  # stopped during the first catch-up: the ledger copes
            raise SystemExit(0)
        # A second signal can land while the first shutdown is under way.
        with contextlib.suppress(SchedulerNotRunningError):
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    # APScheduler logs every run of every job at INFO: twelve lines an hour from the sweep alone.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    logger.info(
        "Digest for %s on %r in %s (next %s); ledger %s",
        ", ".join(settings.channels),
        settings.cron,
        settings.timezone.key,
        settings.trigger().get_next_fire_time(None, clock()),
        ledger.state.name,
    )
    # A week missed while the process was down is posted now, and a week Slack refused is
    # retried at once: a restart is how a fixed token takes effect.
    _log(catch_up(client, ledger, store, settings, clock(), timedelta(0)))
    with contextlib.suppress(KeyboardInterrupt):
        scheduler.start()  # blocks until SIGTERM or Ctrl-C
    return 0


def _log(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        level = logging.INFO if outcome.status in ("posted", "found", "done") else logging.WARNING
        logger.log(level, "Digest %s", outcome.describe())
