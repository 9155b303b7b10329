"""Digest subscriptions: the command's schedule, the table on both backends, the clock, the Home."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakeslack import FakeSlackWithHistory
from slack_helpers import BOT_TOKEN
from slack_sdk.models.views import View

from bot.app import job_client, web_client
from bot.config import DigestSettings, Settings
from bot.home import MAX_SUBSCRIPTIONS, Home
from bot.ledger import Ledger
from bot.manage import Manager
from bot.schedule import post_due, seeds
from bot.state import Job, StateDB, open_state
from bot.subscriptions import (
    Schedule,
    ScheduleError,
    Subscription,
    Subscriptions,
    parse_schedule,
)
from bot.workspaces import Clients, Workspace
from facts.context import Context
from facts.store import FactStore

TEAM = Workspace("", "T0001")
POST = "chat.postMessage"
# Wednesday 2025-07-09 15:00 UTC = 10:00 in Chicago, 11:00 in New York
WEDNESDAY = datetime(2025, 7, 9, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "schedule"),
    [
        ("", Schedule()),
        ("monday 9:30 es", Schedule(0, 9 * 60 + 30, None, "es")),
        ("viernes 14:00 America/Mexico_City", Schedule(4, 14 * 60, "America/Mexico_City")),
        ("tue 2pm en", Schedule(1, 14 * 60, None, "en")),
        ("12am SUN", Schedule(6, 0)),
        ("miércoles 7", Schedule(2, 7 * 60)),
        ("UTC thursday", Schedule(3, None, "UTC")),
    ],
)
def test_the_subscribe_command_reads_a_day_a_time_a_zone_and_a_language(
    words: str, schedule: Schedule
) -> None:
    assert parse_schedule(words.split()) == schedule


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("someday", "'someday' is not a day, a time, a time zone or a language"),
        ("25:00", "'25:00' is not a day"),
        ("13pm", "'13pm' is not a time of day"),
        ("monday friday", "two weekdays given ('friday')"),
        ("Mars/Olympus", "'Mars/Olympus' is not a time zone"),
        ("<!channel>", "'<!channel>' is not a day"),
    ],
)
def test_a_word_it_cannot_read_is_named(words: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_schedule(words.split())


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2025, 7, 9, 14, 59, tzinfo=UTC), False),  # Wednesday 09:59 in Chicago
        (WEDNESDAY, True),
        (datetime(2025, 7, 14, 4, 0, tzinfo=UTC), True),  # Sunday night in Chicago
        (datetime(2025, 7, 14, 15, 0, tzinfo=UTC), False),  # the next Monday
    ],
)
def test_a_subscription_is_due_once_its_weekly_time_has_passed(now: datetime, due: bool) -> None:
    sub = Subscription("C1", TEAM, weekday=2, at_minute=10 * 60, timezone="America/Chicago")
    day = sub.due_day(now)
    assert (day is not None) == due
    if day is not None:
        assert day == now.astimezone(ZoneInfo("America/Chicago")).date()


def test_digest_channels_seed_subscriptions_at_the_crons_time() -> None:
    config = DigestSettings.from_env(
        {"TRADEFACT_DIGEST_CHANNELS": "C1,G2", "TRADEFACT_DIGEST_CRON": "30 7 * * 5"}
    )
    assert [(s.channel, s.when()) for s in seeds(config)] == [
        ("C1", "Fridays at 07:30 (America/New_York)"),
        ("G2", "Fridays at 07:30 (America/New_York)"),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateDB]:
    """A migrated state database of each kind."""
    if request.param == "sqlite":
        target = str(tmp_path / "state.sqlite3")
    else:
        target = request.getfixturevalue("pg_url")
    opened = open_state(target)
    yield opened
    opened.close()


def test_subscriptions_change_and_a_seed_never_revives_an_unsubscribed_channel(
    state: StateDB,
) -> None:
    subs = Subscriptions(state)
    before = subs.version(TEAM)
    subs.save(Subscription("C1", TEAM, weekday=4, language="es", changed_by="U1"), 1.0)
    assert subs.version(TEAM) != before
    assert [(s.channel, s.weekday, s.language) for s in subs.active(TEAM)] == [("C1", 4, "es")]
    assert subs.active(Workspace("", "TOTHER")) == []
    assert subs.stop("C1", "U2", 2.0) and not subs.stop("C1", "U2", 3.0)
    subs.seed([Subscription("C1", Workspace()), Subscription("C2", Workspace())], 4.0)
    assert [s.channel for s in subs.active()] == ["C2"]
    stopped = subs.get("C1")
    assert stopped is not None and not stopped.active and stopped.changed_by == "U2"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlackWithHistory]:
    with FakeSlackWithHistory() as slack:
        yield slack


def test_the_clock_posts_each_due_subscription_once_and_nothing_after_unsubscribe(
    state: StateDB, store: FactStore, fake: FakeSlackWithHistory
) -> None:
    fake.clear()
    settings = Settings(bot_token=BOT_TOKEN, api_url=fake.url)
    clients = Clients(lambda token: web_client(settings, token), BOT_TOKEN)
    subs, ledger = Subscriptions(state), Ledger(state)
    wednesday_10 = {"weekday": 2, "at_minute": 600, "timezone": "America/Chicago"}
    subs.save(Subscription("CDUE", TEAM, language="es", **wednesday_10), 1.0)  # type: ignore[arg-type]
    subs.save(Subscription("CLATER", TEAM, weekday=4), 1.0)  # Friday: not yet
    subs.save(Subscription("CSTOP", TEAM, **wednesday_10), 1.0)  # type: ignore[arg-type]
    subs.stop("CSTOP", "U1", 2.0)
    first = post_due(clients, ledger, store, subs, WEDNESDAY)
    again = post_due(clients, ledger, store, subs, WEDNESDAY)
    assert [(o.channel, o.week, o.status) for o in first] == [("CDUE", "2025-W28", "posted")]
    assert [(o.channel, o.status) for o in again] == [("CDUE", "done")]
    [post] = fake.calls(POST)
    assert post.params["channel"] == "CDUE"
    assert post.params["text"].startswith("*Resumen semanal de TradeFact")  # its language
    assert post_due(clients, ledger, store, subs, WEDNESDAY, quiet=True) == []


def test_only_admins_may_subscribe_when_so_configured(
    state: StateDB, store: FactStore, fake: FakeSlackWithHistory
) -> None:
    fake.clear()
    fake.admins.add("UADMIN")
    client = job_client(Settings(bot_token=BOT_TOKEN, api_url=fake.url))
    manager = Manager(state, Home(Context.build(store)), "admins", "America/New_York")
    change = manager.jobs()["subscription"]
    for user in ("UPLAIN", "UADMIN"):
        payload = {
            **TEAM.fields(),
            "op": "subscribe",
            "channel": "CADMIN",
            "user": user,
            "response_url": fake.response_url(user),
            "schedule": {},
            "timezone": None,
        }
        change(Job(user, "subscription", payload, 1, False, 0.0), client)
    said = [c.params["text"] for c in fake.calls("response_url")]
    assert said[0] == "Only workspace admins can change this channel's digest."
    assert said[1].startswith("Subscribed: this channel gets the weekly digest Mondays at 09:00")
    assert [s.changed_by for s in Subscriptions(state).active()] == ["UADMIN"]


def test_a_full_home_validates_with_slack_sdks_block_kit_models(store: FactStore) -> None:
    many = [Subscription(f"C{n:03d}", TEAM, language="es") for n in range(MAX_SUBSCRIPTIONS + 3)]
    view = Home(Context.build(store)).view(many, "es", "v1", text_check=True)
    View(**view).validate_json()
    text = json.dumps(view, ensure_ascii=False)
    assert "…and 3 more" in text and "Check a text" in text
    assert len(view["blocks"]) <= 100 and view["private_metadata"] == "v1"
