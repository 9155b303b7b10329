"""run_schedule(): post each subscription's weekly digest once its time has passed, every week.

post_due() is one look at the subscriptions (what `tradefact digest` without --channel does);
the clock repeats it every minute, and at start catches up on a week missed while it was down.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import FrameType

from bot.config import DigestSettings, Settings
from bot.digest import Outcome, post_safely
from bot.ledger import Ledger
from bot.state import StateDB
from bot.subscriptions import Subscription, Subscriptions
from bot.workspaces import Clients, Installations, Workspace
from facts.digest import iso_week
from facts.store import FactStore

logger = logging.getLogger("bot.digest")  # one logger for everything about the digest

TICK = timedelta(minutes=1)  # how often the clock looks for due, missed or stuck digests
# How long the sweep waits before it asks again after Slack refused a post (not_in_channel,
# ratelimited, invalid_auth): hourly, as someone may have invited the bot in the meantime.
RETRY_FAILED_AFTER = timedelta(hours=1)


def digest_clients(settings: Settings, config: DigestSettings) -> Clients:
    """The Web API clients the digest posts with: the one token, or each installation's."""
    from bot.app import web_client

    installations = Installations.open(config.state, settings.client_id) if settings.oauth else None
    return Clients(lambda token: web_client(settings, token), settings.bot_token, installations)


def subscriptions_for(settings: Settings, config: DigestSettings, state: StateDB) -> Subscriptions:
    """The subscriptions in the state database; in single-workspace mode, seeded from
    TRADEFACT_DIGEST_CHANNELS (a channel unsubscribed from Slack stays unsubscribed)."""
    subscriptions = Subscriptions(state)
    if not settings.oauth and config.channels:
        subscriptions.seed(seeds(config), datetime.now(UTC).timestamp())
    return subscriptions


def seeds(settings: DigestSettings) -> list[Subscription]:
    """TRADEFACT_DIGEST_CHANNELS as subscriptions, at the cron's first time in a week."""
    zone = settings.timezone
    monday = datetime.combine(date(2025, 7, 7), time(), zone)  # any Monday
    first = settings.trigger().get_next_fire_time(None, monday) or monday
    weekday, minute = first.weekday(), first.hour * 60 + first.minute
    return [
        Subscription(c, Workspace(), weekday, minute, zone.key, "en") for c in settings.channels
    ]


def post_due(
    clients: Clients,
    ledger: Ledger,
    store: FactStore,
    subscriptions: Subscriptions,
    now: datetime,
    retry_failed_after: timedelta = timedelta(0),
    quiet: bool = False,
) -> list[Outcome]:
    """Post this week's digest to every active subscription whose weekly time has passed.

    Each with its workspace's token and in its language, once per channel-week (the ledger).
    `quiet`: skip channels whose week is already posted without a word (the clock's ticks).
    """
    outcomes = []
    for sub in subscriptions.active():
        day = sub.due_day(now)
        if day is None:
            continue
        week = iso_week(day)
        if quiet and (entry := ledger.get(sub.channel, week)) and entry.status == "posted":
            continue
        client = clients.client(sub.workspace)
        if client is None:  # uninstalled between the look and now
            outcomes.append(Outcome(sub.channel, week, "failed", error="workspace not installed"))
            continue
        outcomes.append(
            post_safely(
                client, ledger, store, sub.channel, day, now, retry_failed_after, sub.language
            )
        )
    return outcomes


def run_schedule(
    clients: Clients,
    ledger: Ledger,
    store: FactStore,
    subscriptions: Subscriptions,
    clock: Callable[[], datetime],
) -> int:
    """Post each subscription's digest once its weekly time has passed, until stopped.

    A tick every minute (TICK) posts what is due; on start, a week missed while the clock was
    down is posted at once, and a week Slack refused is retried at once (a restart is how a
    fixed token or an invitation takes effect); later ticks retry a refusal hourly.
    """
    from apscheduler.schedulers import SchedulerNotRunningError
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    def tick() -> None:
        outcomes = post_due(
            clients, ledger, store, subscriptions, clock(), RETRY_FAILED_AFTER, quiet=True
        )
        _log([o for o in outcomes if o.status != "done"])

    scheduler = BlockingScheduler(timezone=UTC)
    scheduler.add_job(tick, IntervalTrigger(seconds=TICK.total_seconds()), id="digest")

    def stop(signum: int, frame: FrameType | None) -> None:
        if not scheduler.running:  # stopped during the first catch-up: the ledger copes
            raise SystemExit(0)
        # A second signal can land while the first shutdown is under way.
        with contextlib.suppress(SchedulerNotRunningError):
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    # APScheduler logs every run of every job at INFO: sixty lines an hour from the tick alone.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    active = subscriptions.active()
    logger.info(
        "Digest for %d subscribed channel%s (%s); ledger %s",
        len(active),
        "" if len(active) == 1 else "s",
        ", ".join(f"{s.channel} {s.when()}" for s in active[:10]) or "none yet",
        ledger.state.name,
    )
    _log(post_due(clients, ledger, store, subscriptions, clock()))
    with contextlib.suppress(KeyboardInterrupt):
        scheduler.start()  # blocks until SIGTERM or Ctrl-C
    return 0


def _log(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        level = logging.INFO if outcome.status in ("posted", "found", "done") else logging.WARNING
        logger.log(level, "Digest %s", outcome.describe())
