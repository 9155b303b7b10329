"""Data safety, end to end with `tradefact serve` and `tradefact build` in subprocesses.

A damaged store is rebuilt from data/ before the bot serves, or, with no data/ to rebuild from,
the bot refuses to start with one line naming the file. A broken or missing data file never
replaces a good store: the command that finds it stops with the file and the problem, and a
server already running keeps answering from the store it opened. A build killed midway leaves
the old store in place, and a digest run killed while posting leaves one post, never two or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fakeslack import FakeSlack, FakeSlackWithHistory
from slack_helpers import BOT_TOKEN, REPO, BotProcess, BotServer, clean_env, slash_command

from bot.app import web_client
from bot.config import Settings
from bot.digest import post_digest
from bot.ledger import LEASE, Ledger
from bot.state import open_state
from facts.load import ensure_built, fingerprint
from facts.store import FactStore

DATA = REPO / "data"
POPULATION = "raw/worldbank-population/population.csv"
NATIONWIDE = "raw/cbp-nationwide-encounters/nationwide-encounters-fy22-fy25-state.csv"
MEXICO_2024 = "$334.5 billion"
MEXICO_PEOPLE_2024 = "130,861,007"


@pytest.fixture
def data_dir(data_copy: Path) -> Path:
    """A copy of data/ made of symlinks, so that a test can replace one file cheaply."""
    return data_copy


@pytest.fixture
def good_store(store_path: Path, tmp_path: Path) -> Path:
    """A copy of the session's store, built from the same bytes as data_dir holds."""
    db = tmp_path / "store" / "facts.duckdb"
    db.parent.mkdir()
    shutil.copyfile(store_path, db)
    return db


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack Web API for the servers of one test."""
    with FakeSlack() as slack:
        yield slack


def _replace(data_dir: Path, rel: str, old: str, new: str) -> None:
    path = data_dir / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.unlink()  # the symlink: the repository's file stays as it is
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _sizes(paths: Iterable[Path]) -> Iterator[int]:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):  # renamed or removed meanwhile
            yield path.stat().st_size


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ask(server: BotServer, question: str) -> str:
    response = server.post(slash_command(question, server.fake.response_url()))
    assert response.status == 200
    return str(response.json()["text"])


def _serve(fake: FakeSlack, db: Path, data_dir: Path, log: Path) -> BotServer:
    return BotServer(fake, db, log, TRADEFACT_DATA_DIR=str(data_dir))


def _run(args: list[str], db: Path, data_dir: Path, log: Path, timeout: float = 60) -> BotProcess:
    """Run a `tradefact` command to its end (killed if it outlives `timeout`)."""
    env = clean_env(TRADEFACT_DB=str(db), TRADEFACT_DATA_DIR=str(data_dir))
    process = BotProcess(args, env, log)
    try:
        process.process.wait(timeout=timeout)
    finally:
        process.stop()
    return process


def _refused(server: BotServer, timeout: float = 30) -> str:
    """Wait for `tradefact serve` to exit; its exit status must be 2. Returns its log."""
    try:
        server.process.wait(timeout=timeout)
    finally:
        server.stop()
    assert server.process.returncode == 2, server.log()
    return server.log()


# --- a damaged store ---------------------------------------------------------------------


def test_a_store_cut_short_is_rebuilt_from_data_before_serving(
    fake: FakeSlack, good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    # Half a store opens and its first tables answer, so it passed the old checks; then half
    # the questions failed.
    good = good_store.read_bytes()
    good_store.write_bytes(good[: len(good) // 2])
    server = _serve(fake, good_store, data_dir, tmp_path / "serve.log")
    try:
        server.wait_healthy(timeout=60)
        assert MEXICO_2024 in _ask(server, "mexico exports 2024")
        assert MEXICO_PEOPLE_2024 in _ask(server, "population of mexico 2024")
    finally:
        server.stop()
    assert "Traceback" not in server.log() and "ERROR" not in server.log()
    rebuilt = FactStore.open(good_store)  # whole again: it passes the check it failed
    try:
        assert rebuilt.fingerprint == fingerprint(data_dir)
    finally:
        rebuilt.close()


@pytest.mark.parametrize("damage", ["garbage", "cut_short"])
def test_a_damaged_store_without_data_stops_startup_with_one_line(
    damage: str, fake: FakeSlack, good_store: Path, tmp_path: Path
) -> None:
    good = good_store.read_bytes()
    good_store.write_bytes(b"\x13\x37" * 40_000 if damage == "garbage" else good[: len(good) // 2])
    log = _refused(_serve(fake, good_store, tmp_path / "no-data", tmp_path / "serve.log"))
    [line] = log.splitlines()
    reason = "is cut short" if damage == "cut_short" else "cannot be read: IO Error"
    assert line.startswith(f"tradefact: the fact store {good_store} {reason}")


def test_a_store_damaged_under_a_running_server_never_takes_it_down(
    fake: FakeSlack, good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    # gunicorn's master exited when the next worker failed to boot on the damaged file; the
    # workers now open the server's private copy, checked at start.
    server = BotServer(
        fake, good_store, tmp_path / "serve.log", workers=2, TRADEFACT_DATA_DIR=str(data_dir)
    )
    try:
        server.wait_healthy(timeout=60)
        good_store.write_bytes(b"\x13\x37" * 40_000)
        os.kill(server.process.pid, signal.SIGHUP)  # every worker replaced
        server.wait_for_log("Received SIGHUP", timeout=10)
        time.sleep(3)
        answers = [_ask(server, "mexico exports 2024") for _ in range(20)]
        assert all(MEXICO_2024 in answer for answer in answers)
        assert server.process.poll() is None
    finally:
        server.stop()
    assert "Traceback" not in server.log()


def test_a_current_store_in_a_read_only_data_dir_is_opened_without_writing_a_lock(
    good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    # As root, chmod can't make a directory read-only for us: check that nothing is written.
    before = sorted(p.name for p in good_store.parent.iterdir())
    run = _run(["ask", "mexico exports 2024"], good_store, data_dir, tmp_path / "ask.log")
    assert run.process.returncode == 0, run.log()
    assert sorted(p.name for p in good_store.parent.iterdir()) == before == ["facts.duckdb"]


# --- a data file missing or changed --------------------------------------------------------


def test_a_data_file_removed_while_serving_changes_nothing_and_a_restart_names_it(
    fake: FakeSlack, good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    before = _digest(good_store)
    server = _serve(fake, good_store, data_dir, tmp_path / "serve.log")
    try:
        server.wait_healthy()
        (data_dir / NATIONWIDE).unlink()
        assert "25,185 encounters" in _ask(server, "nationwide encounters june 2025")
    finally:
        server.stop()
    assert "Traceback" not in server.log() and "ERROR" not in server.log()
    # Restarted, it finds the file missing before it rebuilds and refuses, naming it.
    log = _refused(_serve(fake, good_store, data_dir, tmp_path / "again.log"))
    assert log.splitlines() == [f"tradefact: {NATIONWIDE}: file is missing"]
    assert _digest(good_store) == before
    assert sorted(p.name for p in good_store.parent.iterdir()) == [
        "facts.duckdb",
        "facts.duckdb.lock",
    ]


def test_a_rebuild_while_serving_never_interrupts_answers(
    fake: FakeSlack, good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    server = _serve(fake, good_store, data_dir, tmp_path / "serve.log")
    answers: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.wait(0.02) and len(answers) < 5000:
            answers.append(_ask(server, "population of mexico 2024"))

    try:
        server.wait_healthy()
        asking = threading.Thread(target=keep_asking)
        asking.start()
        try:
            _replace(data_dir, POPULATION, "Mexico,MEX,2024,130861007", "Mexico,MEX,2024,130861008")
            build = _run(["build"], good_store, data_dir, tmp_path / "build.log")
            assert build.process.returncode == 0, build.log()
            time.sleep(0.2)  # answers after the new store was renamed into place
        finally:
            stop.set()
            asking.join(timeout=30)
        assert len(answers) > 10
        # The running server keeps the store it opened: every answer whole, and the same.
        assert all(MEXICO_PEOPLE_2024 in answer for answer in answers)
    finally:
        server.stop()
    assert "Traceback" not in server.log() and "ERROR" not in server.log()
    # The new store is in place, whole, for the next start.
    ensure_built(data_dir, good_store)
    rebuilt = FactStore.open(good_store)
    try:
        population = rebuilt.population("MEX", 2024)
        assert population is not None and population.value == 130_861_008
    finally:
        rebuilt.close()


# --- a build that dies ---------------------------------------------------------------------


def test_a_build_killed_midway_leaves_the_old_store_whole(
    good_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    before = _digest(good_store)
    env = clean_env(TRADEFACT_DB=str(good_store), TRADEFACT_DATA_DIR=str(data_dir))
    build = BotProcess(["build"], env, tmp_path / "build.log")
    try:
        deadline = time.monotonic() + 30
        # Kill it halfway: its temporary files hold over 1 MB (the whole store is 7.5 MB).
        while sum(_sizes(good_store.parent.glob("*.tmp*"))) < 1 << 20:
            assert build.process.poll() is None, build.log()
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.005)
        build.process.send_signal(signal.SIGKILL)
        build.process.wait(timeout=10)
    finally:
        build.stop()
    assert build.process.returncode == -signal.SIGKILL
    assert _digest(good_store) == before
    # What it leaves is its own temporary file, which no later build or open uses.
    assert {p.suffix for p in good_store.parent.glob("facts.duckdb.*.tmp*")} <= {".tmp", ".wal"}
    assert ensure_built(data_dir, good_store) is False  # no rebuild: the data did not change
    store = FactStore.open(good_store)
    try:
        assert store.fingerprint == fingerprint(data_dir)
        mexico = store.trade_year("exports", "MEX", 2024)
        assert mexico is not None and mexico.value == 334_492_100_000
    finally:
        store.close()
    assert _digest(good_store) == before


# --- the digest ledger: `tradefact digest` killed between its claim and Slack's answer ---------


@pytest.mark.parametrize("slack_got_it", [True, False], ids=["slack_posted", "slack_failed"])
def test_a_digest_killed_while_posting_is_posted_once_after_the_lease(
    slack_got_it: bool, store: FactStore, store_path: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite3"
    day, week = date(2025, 7, 7), "2025-W28"
    with FakeSlackWithHistory() as slack:
        # Slack takes its time to answer; the process dies while it waits.
        slack.fail("chat.postMessage", delay=10, status=200 if slack_got_it else 500)
        env = clean_env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=slack.url,
            TRADEFACT_DB=str(store_path),
            TRADEFACT_DATA_DIR=str(tmp_path / "no-data"),
            TRADEFACT_STATE_DB=str(state),
        )
        args = ["digest", "--channel", "C0TEST", "--date", day.isoformat()]
        run = BotProcess(args, env, tmp_path / "digest.log")
        try:
            slack.wait_for("chat.postMessage", timeout=30)
            run.process.send_signal(signal.SIGKILL)
            run.process.wait(timeout=10)
        finally:
            run.stop()
        entry = Ledger(open_state(state)).get("C0TEST", week)
        assert entry is not None and (entry.status, entry.ts) == ("pending", None)
        client = web_client(Settings(bot_token=BOT_TOKEN, api_url=slack.url))
        now = datetime.fromtimestamp(entry.claimed_at, UTC)
        # Within the lease the dead run's claim stands: nothing is posted.
        ledger = Ledger(open_state(state))
        assert post_digest(client, ledger, store, "C0TEST", day, now).status == "busy"
        later = post_digest(client, ledger, store, "C0TEST", day, now + LEASE * 1.1)
        assert later.status == ("found" if slack_got_it else "posted")
        posted = slack.calls("chat.postMessage", ok=True)
        assert len(posted) == 1  # no duplicate, no lost week
        assert Ledger(open_state(state)).get("C0TEST", week).ts == later.ts  # type: ignore[union-attr]
