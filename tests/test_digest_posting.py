"""Posting the weekly digest exactly once per channel and week, against a fake Slack Web API.

The clock is fixed: every run gets `now` and `day` from the test. A "crash" is an exception
raised at the point where a real process would have died, leaving the ledger as it was.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakeslack import FakeSlackWithHistory
from slack_helpers import BOT_TOKEN, REPO, BotProcess, clean_env, tradefact_command
from slack_sdk import WebClient

from bot.app import web_client
from bot.cli import main
from bot.config import ConfigError, DigestSettings, Settings
from bot.digest import Outcome, digest_message, post_all, post_digest
from bot.history import CLOCK_SKEW_S
from bot.ledger import LEASE, Entry, Ledger
from bot.schedule import RETRY_FAILED_AFTER, post_due, seeds
from bot.state import Preferences, open_state
from bot.subscriptions import Subscriptions
from bot.workspaces import Clients
from facts.digest import build_digest
from facts.store import FactStore

DAY = date(2025, 7, 7)  # Monday of ISO week 2025-W28
WEEK = "2025-W28"
NOW = datetime(2025, 7, 7, 13, 0, tzinfo=UTC)  # 09:00 in New York
AFTER_LEASE = NOW + LEASE + timedelta(seconds=1)
POST = "chat.postMessage"
HISTORY = "conversations.history"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlackWithHistory]:
    """One fake Slack for the module."""
    with FakeSlackWithHistory() as slack:
        yield slack


@pytest.fixture
def slack(fake: FakeSlackWithHistory) -> FakeSlackWithHistory:
    """The fake with its calls, faults and history cleared."""
    fake.clear()
    return fake


@pytest.fixture
def client(slack: FakeSlackWithHistory) -> WebClient:
    """The bot's own Web API client (no retry but after a 429), pointed at the fake."""
    return web_client(Settings(bot_token=BOT_TOKEN, api_url=slack.url))


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    """A fresh ledger file."""
    return _ledger(tmp_path / "state" / "tradefact.sqlite3")


def _ledger(path: Path) -> Ledger:
    """The ledger in the SQLite state file at `path` (a new connection, as a process would)."""
    return Ledger(open_state(path))


def _posts(slack: FakeSlackWithHistory) -> list[Any]:
    return slack.calls(POST, ok=True)


def test_post_sends_the_digest_with_its_week_and_records_slacks_ts(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    outcome = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    [call] = slack.calls(POST)
    message = digest_message(build_digest(store, DAY))
    assert call.params == {"channel": "C0TEST", **message}
    assert outcome == Outcome("C0TEST", WEEK, "posted", outcome.ts)
    at = NOW.timestamp()
    claim = ledger.entries()[0].claim
    assert ledger.get("C0TEST", WEEK) == Entry(
        "C0TEST", WEEK, "posted", claim, at, at, 1, outcome.ts, None, at
    )


def test_a_posted_digest_gets_its_13_month_chart_in_its_thread(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    outcome = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    [complete] = slack.calls("files.completeUploadExternal", ok=True)
    assert (complete.params["channel_id"], complete.params["thread_ts"]) == ("C0TEST", outcome.ts)
    [file] = json.loads(complete.params["files"])
    upload = slack.uploaded(file["id"])
    assert upload["title"] == "U.S. trade with Mexico, the last 13 months"
    assert upload["data"][:8] == b"\x89PNG\r\n\x1a\n"


def test_a_channel_that_chose_spanish_gets_its_digest_in_spanish(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    Preferences(ledger.state).set("channel", "C0ES", "language", "es", NOW.timestamp())
    post_digest(client, ledger, store, "C0ES", DAY, NOW)
    post_digest(client, ledger, store, "C0EN", DAY, NOW)
    spanish, english = (c.params["text"] for c in slack.calls(POST))
    assert spanish.startswith(
        "*Resumen semanal de TradeFact: cifras de agosto de 2026, las más recientes de los datos"
        " · semana del 7 de julio de 2025 (2025-W28)*"
    )
    assert "• Balanza comercial de EE. UU. con México: *déficit de US$27.0 mil millones*" in spanish
    assert "*Afirmación de la semana*" in spanish
    assert english.startswith("*TradeFact weekly digest: August 2026 figures")


def test_a_failed_chart_upload_leaves_the_digest_posted(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    slack.fail("files.getUploadURLExternal", error="missing_scope")
    outcome = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    assert outcome.status == "posted"
    assert slack.calls("files.completeUploadExternal") == []


def test_a_second_run_a_restart_and_a_later_day_of_the_week_do_not_post_again(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    first = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    again = post_digest(client, ledger, store, "C0TEST", DAY, NOW + timedelta(minutes=1))
    restarted = _ledger(ledger.state.path)  # a new process on the same file
    wednesday = post_digest(client, restarted, store, "C0TEST", date(2025, 7, 9), NOW)
    assert [again.status, wednesday.status] == ["done", "done"]
    assert again.ts == wednesday.ts == first.ts
    next_week = post_digest(client, restarted, store, "C0TEST", date(2025, 7, 14), NOW)
    assert next_week.status == "posted"
    weeks = [c.params["metadata"]["event_payload"]["week"] for c in _posts(slack)]
    assert weeks == [WEEK, "2025-W29"]


def test_a_claim_is_held_until_posted_a_lease_runs_out_or_a_refusal_is_an_hour_old(
    ledger: Ledger,
) -> None:
    first = ledger.claim("C1", WEEK, NOW)
    assert (first.won, first.verify, first.entry.status) == (True, False, "pending")
    assert not ledger.claim("C1", WEEK, NOW + LEASE - timedelta(seconds=1)).won
    ledger.mark_failed(first, "chat.postMessage: not_in_channel", NOW)
    assert not ledger.claim("C1", WEEK, NOW + timedelta(minutes=59), RETRY_FAILED_AFTER).won
    retry = ledger.claim("C1", WEEK, NOW + RETRY_FAILED_AFTER, RETRY_FAILED_AFTER)
    assert (retry.won, retry.verify, retry.entry.attempts) == (True, False, 2)
    stale = NOW + RETRY_FAILED_AFTER + LEASE
    taken = ledger.claim("C1", WEEK, stale)  # retry's run died: look before posting again
    assert (taken.won, taken.verify, taken.entry.attempts) == (True, True, 3)
    assert not ledger.holds(retry) and ledger.holds(taken)
    ledger.mark_failed(retry, "too late", stale)  # only the holder may change a pending claim
    ledger.mark_posted("C1", WEEK, "1700000001.000100", stale)
    assert not ledger.claim("C1", WEEK, stale + timedelta(days=1)).won
    entry = ledger.get("C1", WEEK)
    assert entry is not None and (entry.status, entry.ts, entry.error) == (
        "posted",
        "1700000001.000100",
        None,
    )
    assert entry.first_claimed_at == NOW.timestamp()


def test_concurrent_posters_in_threads_post_once(
    slack: FakeSlackWithHistory, ledger: Ledger, store: FactStore
) -> None:
    start = threading.Barrier(8)
    outcomes: list[Outcome] = []

    def run() -> None:
        own = _ledger(ledger.state.path)  # each poster opens the file itself, as a process would
        client = web_client(Settings(bot_token=BOT_TOKEN, api_url=slack.url))
        start.wait()
        outcomes.append(post_digest(client, own, store, "C0TEST", DAY, NOW))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_posts(slack)) == 1
    assert sorted(o.status for o in outcomes).count("posted") == 1
    assert {o.status for o in outcomes} <= {"posted", "busy", "done"}


def _cli_env(slack: FakeSlackWithHistory, store_path: Path, state: Path) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=slack.url,
        TRADEFACT_DATA_DIR=str(REPO / "data"),
        TRADEFACT_DB=str(store_path),
        TRADEFACT_STATE_DB=str(state),
    )


def test_two_digest_commands_post_once(
    slack: FakeSlackWithHistory,
    store_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = _cli_env(slack, store_path, tmp_path / "state.sqlite3")
    argv = ["digest", "--channel", "C0TEST", "--date", "2025-07-07"]
    assert main(argv, env) == 0
    assert main(argv, env) == 0
    [post] = slack.calls(POST)
    ts = f"(ts {post_ts(slack)})"
    assert capsys.readouterr().out == (
        f"C0TEST 2025-W28: posted {ts}\nC0TEST 2025-W28: already posted {ts}\n"
    )


def post_ts(slack: FakeSlackWithHistory) -> str:
    """The ts Slack gave the one digest in C0TEST."""
    [message] = slack._state.history["C0TEST"]
    return str(message["ts"])


def test_two_digest_processes_started_together_post_once(
    slack: FakeSlackWithHistory, store_path: Path, tmp_path: Path
) -> None:
    env = _cli_env(slack, store_path, tmp_path / "state.sqlite3")
    argv = [*tradefact_command(), "digest", "--channel", "C0TEST", "--date", "2025-07-07"]
    runs = [subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE) for _ in range(2)]
    outputs = sorted(run.communicate(timeout=30)[0].decode() for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert len(slack.calls(POST)) == 1
    assert outputs[1].startswith("C0TEST 2025-W28: posted (ts ")
    assert outputs[0].startswith(
        ("C0TEST 2025-W28: already posted", "C0TEST 2025-W28: another run is posting it")
    )


def test_a_run_that_died_after_its_claim_is_retried_once_after_the_lease(
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(client, "chat_postMessage", _die)
        with pytest.raises(SystemExit):
            post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    assert [c.method for c in slack.calls()] == [HISTORY]  # a first claim's look
    soon = post_digest(client, ledger, store, "C0TEST", DAY, NOW + timedelta(minutes=1))
    assert soon.status == "busy" and len(slack.calls()) == 1  # the claim may still be live
    later = post_digest(client, ledger, store, "C0TEST", DAY, AFTER_LEASE)
    assert later.status == "posted"
    first_look, look = slack.calls(HISTORY)  # the dead run's first look, then the retry's
    assert look.params["include_all_metadata"] in ("1", "true")
    assert float(look.params["oldest"]) == NOW.timestamp() - CLOCK_SKEW_S
    assert post_digest(client, ledger, store, "C0TEST", DAY, AFTER_LEASE + LEASE).status == "done"
    assert len(_posts(slack)) == 1


def _die(*args: object, **kwargs: object) -> None:
    raise SystemExit("killed between claim and post")


def test_a_run_that_died_after_slack_got_the_post_is_not_posted_again(
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(ledger, "mark_posted", _die)
        with pytest.raises(SystemExit):
            post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    assert ledger.get("C0TEST", WEEK).status == "pending"  # type: ignore[union-attr]
    outcome = post_digest(client, _ledger(ledger.state.path), store, "C0TEST", DAY, AFTER_LEASE)
    assert outcome == Outcome("C0TEST", WEEK, "found", post_ts(slack))
    assert len(_posts(slack)) == 1
    assert ledger.get("C0TEST", WEEK).ts == post_ts(slack)  # type: ignore[union-attr]


def test_a_digest_process_killed_while_posting_is_recorded_not_posted_again(
    slack: FakeSlackWithHistory,
    client: WebClient,
    store: FactStore,
    store_path: Path,
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.sqlite3"
    slack.fail(POST, delay=5)  # Slack has the message; its answer comes after the kill
    argv = [*tradefact_command(), "digest", "--channel", "C0TEST", "--date", "2025-07-07"]
    process = subprocess.Popen(argv, env=_cli_env(slack, store_path, state), cwd=REPO)
    try:
        slack.wait_for(POST, timeout=20)
    finally:
        process.kill()  # SIGKILL: no cleanup of any kind
        process.wait()
    ledger = _ledger(state)
    entry = ledger.get("C0TEST", WEEK)
    assert entry is not None and (entry.status, entry.ts) == ("pending", None)
    later = datetime.fromtimestamp(entry.claimed_at, UTC) + LEASE + timedelta(seconds=1)
    outcome = post_digest(client, ledger, store, "C0TEST", DAY, later)
    assert outcome == Outcome("C0TEST", WEEK, "found", post_ts(slack))
    assert len(slack.calls(POST)) == 1


def test_a_lost_ledger_file_does_not_post_the_week_again(
    slack: FakeSlackWithHistory, client: WebClient, store: FactStore, tmp_path: Path
) -> None:
    first = post_digest(client, _ledger(tmp_path / "a.sqlite3"), store, "C0TEST", DAY, NOW)
    wiped = _ledger(tmp_path / "b.sqlite3")  # e.g. a restart on a platform with an ephemeral disk
    later = post_digest(client, wiped, store, "C0TEST", DAY, NOW + timedelta(days=2))
    assert later == Outcome("C0TEST", WEEK, "found", first.ts)
    assert len(_posts(slack)) == 1
    monday = datetime(2025, 7, 7, tzinfo=UTC).timestamp()
    assert float(slack.calls(HISTORY)[-1].params["oldest"]) == (monday - 86400 - CLOCK_SKEW_S)


def test_a_first_post_goes_out_even_if_the_history_cannot_be_read(
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.fail(HISTORY, error="missing_scope")
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        outcome = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    assert outcome.status == "posted" and len(_posts(slack)) == 1
    assert (
        "Slack API conversations.history failed for C0TEST (2025-W28): missing_scope;"
        " posting without the look"
    ) in caplog.text


def test_a_post_that_timed_out_but_reached_slack_is_not_posted_again(
    slack: FakeSlackWithHistory, ledger: Ledger, store: FactStore
) -> None:
    # urllib takes any float as a timeout, whatever the SDK's annotation says.
    impatient = WebClient(token=BOT_TOKEN, base_url=slack.url, timeout=0.3, retry_handlers=[])  # type: ignore[arg-type]
    slack.fail(POST, delay=0.8)  # Slack posts, then answers too late
    first = post_digest(impatient, ledger, store, "C0TEST", DAY, NOW)
    assert first.status == "unknown" and first.error == "chat.postMessage: TimeoutError"
    later = post_digest(impatient, ledger, store, "C0TEST", DAY, AFTER_LEASE)
    assert later == Outcome("C0TEST", WEEK, "found", post_ts(slack))
    assert len(slack.calls(POST)) == 1


def test_a_server_error_is_checked_then_retried_once(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    slack.fail(POST, status=500)
    first = post_digest(client, ledger, store, "C0TEST", DAY, NOW)
    assert first == Outcome("C0TEST", WEEK, "unknown", error="chat.postMessage: HTTP 500")
    assert post_digest(client, ledger, store, "C0TEST", DAY, AFTER_LEASE).status == "posted"
    assert len(slack.calls(HISTORY)) == 2 and len(_posts(slack)) == 1


def test_no_retry_while_the_channel_history_cannot_be_read(
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ledger.claim("C0TEST", WEEK, NOW)  # a run that died after claiming
    slack.fail(HISTORY, error="missing_scope")
    with caplog.at_level(logging.ERROR, logger="bot.digest"):
        outcome = post_digest(client, ledger, store, "C0TEST", DAY, AFTER_LEASE)
    assert outcome == Outcome(
        "C0TEST", WEEK, "unknown", error="conversations.history: missing_scope"
    )
    assert slack.calls(POST) == []
    assert "Slack API conversations.history failed for C0TEST (2025-W28): missing_scope" in (
        caplog.text
    )


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "invalid_auth"])
def test_a_slack_error_in_one_channel_is_logged_recorded_and_others_still_post(
    error: str,
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.fail(POST, error=error)
    with caplog.at_level(logging.ERROR, logger="bot.digest"):
        outcomes = post_all(client, ledger, store, ["C1", "C2", "C3"], DAY, NOW)
    assert [(o.channel, o.status, o.error) for o in outcomes] == [
        ("C1", "failed", f"chat.postMessage: {error}"),
        ("C2", "posted", None),
        ("C3", "posted", None),
    ]
    assert f"Slack API chat.postMessage failed for C1 (2025-W28): {error}" in caplog.text
    assert BOT_TOKEN not in caplog.text
    entry = ledger.get("C1", WEEK)
    assert entry is not None and (entry.status, entry.error) == (
        "failed",
        f"chat.postMessage: {error}",
    )
    # The sweep asks again an hour after a refusal; a manual run (or a restart) at once. Neither
    # looks in the history first: Slack refused the post, so nothing is out there.
    later = NOW + timedelta(minutes=5)
    swept = post_all(client, ledger, store, ["C1"], DAY, later, RETRY_FAILED_AFTER)
    assert [o.status for o in swept] == ["failed"]
    retried = post_all(client, ledger, store, ["C1", "C2", "C3"], DAY, later)
    assert [o.status for o in retried] == ["posted", "done", "done"]
    assert [c.params["channel"] for c in slack.calls(HISTORY)] == ["C1", "C2", "C3"]  # first
    assert sorted(c.params["channel"] for c in _posts(slack)) == ["C1", "C2", "C3"]


def test_an_unexpected_error_in_one_channel_does_not_stop_the_others(
    slack: FakeSlackWithHistory,
    client: WebClient,
    ledger: Ledger,
    store: FactStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = ledger.claim

    def claim(channel: str, *args: Any, **kwargs: Any) -> Any:
        if channel == "C1":
            raise RuntimeError("disk on fire")
        return real(channel, *args, **kwargs)

    monkeypatch.setattr(ledger, "claim", claim)
    outcomes = post_all(client, ledger, store, ["C1", "C2"], DAY, NOW)
    assert [o.status for o in outcomes] == ["unknown", "posted"]


# --- scheduling ------------------------------------------------------------------------------


def _settings(**env: str) -> DigestSettings:
    return DigestSettings.from_env({"TRADEFACT_DIGEST_CHANNELS": "C1,C2", **env})


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2025, 7, 7, 12, 59, tzinfo=UTC), None),  # Monday 08:59 in New York
        (datetime(2025, 7, 7, 13, 0, tzinfo=UTC), date(2025, 7, 7)),
        (datetime(2025, 7, 9, 20, 0, tzinfo=UTC), date(2025, 7, 9)),
        (datetime(2025, 7, 14, 3, 0, tzinfo=UTC), date(2025, 7, 13)),  # Sunday night in NY
        (datetime(2025, 7, 14, 12, 0, tzinfo=UTC), None),  # next Monday, before 09:00
    ],
)
def test_due_day_is_today_once_this_weeks_time_has_passed(now: datetime, due: date | None) -> None:
    [seeded, _] = seeds(_settings())  # TRADEFACT_DIGEST_CHANNELS at TRADEFACT_DIGEST_CRON
    assert seeded.due_day(now) == due


@pytest.mark.parametrize(
    ("cron", "first"),
    [
        ("0 9 * * 1", datetime(2025, 7, 7, 9)),  # crontab's 1 is Monday (APScheduler 3's Tuesday)
        ("30 7 * * 0", datetime(2025, 7, 13, 7, 30)),
        ("0 9 * * 7", datetime(2025, 7, 13, 9)),
        ("0 9 * * 2-4", datetime(2025, 7, 8, 9)),
        ("0 9 * * fri", datetime(2025, 7, 11, 9)),
        ("0 9 * * */3", datetime(2025, 7, 9, 9)),  # Sunday, Wednesday, Saturday
    ],
)
def test_cron_weekdays_count_from_sunday_as_in_crontab(cron: str, first: datetime) -> None:
    settings = _settings(TRADEFACT_DIGEST_CRON=cron)
    after = datetime(2025, 7, 7, tzinfo=settings.timezone)  # Monday 00:00
    fire = settings.trigger().get_next_fire_time(None, after)
    assert fire == first.replace(tzinfo=settings.timezone)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRADEFACT_DIGEST_CRON": "0 9 * *"}, "TRADEFACT_DIGEST_CRON '0 9 * *' is not a crontab"),
        ({"TRADEFACT_DIGEST_CRON": "0 25 * * 1"}, "TRADEFACT_DIGEST_CRON '0 25 * * 1'"),
        ({"TRADEFACT_DIGEST_CRON": "0 9 * * 8"}, "bad day of week '8'"),
        ({"TRADEFACT_TZ": "Mars/Olympus"}, "TRADEFACT_TZ 'Mars/Olympus' is not an IANA"),
        ({"TRADEFACT_DIGEST_CHANNELS": "C1,#general"}, "'#general' is not a channel ID"),
    ],
)
def test_malformed_digest_settings_are_refused_with_their_name(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("*", r"\*")):
        _settings(**env)


def test_digest_settings_defaults() -> None:
    settings = DigestSettings.from_env({"TRADEFACT_DIGEST_CHANNELS": " C1, G2 ,C1,"})
    assert settings.channels == ("C1", "G2")
    assert (settings.cron, settings.timezone.key) == ("0 9 * * 1", "America/New_York")
    assert settings.state == "state/tradefact.sqlite3"


def test_catch_up_posts_a_missed_week_once_and_nothing_before_its_time(
    slack: FakeSlackWithHistory, client: WebClient, ledger: Ledger, store: FactStore
) -> None:
    subscriptions = Subscriptions(ledger.state)
    subscriptions.seed(seeds(_settings()), 0.0)
    clients = Clients(lambda token: client, BOT_TOKEN)
    early = datetime(2025, 7, 7, 12, 0, tzinfo=UTC)
    assert post_due(clients, ledger, store, subscriptions, early) == []
    wednesday = datetime(2025, 7, 9, 15, 0, tzinfo=UTC)  # the process was down on Monday
    first = post_due(clients, ledger, store, subscriptions, wednesday)
    assert [(o.channel, o.status) for o in first] == [("C1", "posted"), ("C2", "posted")]
    again = post_due(clients, _ledger(ledger.state.path), store, subscriptions, wednesday)
    assert [o.status for o in again] == ["done", "done"]
    assert len(_posts(slack)) == 2


def test_schedule_posts_a_missed_week_on_start_and_not_after_a_restart(
    slack: FakeSlackWithHistory, store_path: Path, tmp_path: Path
) -> None:
    env = _cli_env(slack, store_path, tmp_path / "state.sqlite3")
    # Mondays at 00:00: always already past in the current week.
    env.update(TRADEFACT_DIGEST_CHANNELS="C1,C2", TRADEFACT_DIGEST_CRON="0 0 * * 1")
    for run, expected in enumerate(("posted (ts", "already posted (ts")):
        process = BotProcess(["schedule"], env, tmp_path / f"schedule-{run}.log")
        try:
            process.wait_for_log(f"Digest C2 {_this_week()}: {expected}", timeout=20)
        finally:
            process.stop()
        assert process.process.returncode == 0, process.log()
        assert "Traceback" not in process.log() and BOT_TOKEN not in process.log()
    assert sorted(c.params["channel"] for c in slack.calls(POST)) == ["C1", "C2"]


def _this_week() -> str:
    year, week, _ = datetime.now(DigestSettings().timezone).isocalendar()
    return f"{year}-W{week:02d}"


def test_schedule_without_channels_waits_for_subscriptions_from_slack(
    slack: FakeSlackWithHistory, store_path: Path, tmp_path: Path
) -> None:
    env = _cli_env(slack, store_path, tmp_path / "state.sqlite3")
    process = BotProcess(["schedule"], env, tmp_path / "schedule.log")
    try:
        process.wait_for_log("Digest for 0 subscribed channels (none yet)", timeout=20)
    finally:
        process.stop()
    assert process.process.returncode == 0, process.log()
    assert slack.calls(POST) == []


def test_digest_without_a_token_exits_with_one_line(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"TRADEFACT_DB": str(store_path), "TRADEFACT_STATE_DB": str(tmp_path / "s.sqlite3")}
    assert main(["digest", "--channel", "C0TEST"], env) == 2
    assert capsys.readouterr().err.startswith("tradefact: SLACK_BOT_TOKEN is not set")
