"""The state store, on SQLite and on a real PostgreSQL server: the same behaviour from both."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.state import (
    Jobs,
    Preferences,
    StateDB,
    StateError,
    Threads,
    add_job,
    first_time,
    forget_old,
    open_state,
)
from bot.state.schema import MIGRATIONS

NOW = 1_750_000_000.0


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a state database lives: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "state.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def state(target: str) -> Iterator[StateDB]:
    """The state database at `target`, migrated."""
    opened = open_state(target)
    yield opened
    opened.close()


def _together(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0..count-1) in threads released at the same moment; their results in order."""
    start = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(n: int) -> None:
        start.wait()
        results[n] = work(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_migrations_run_once_and_a_second_open_finds_the_schema_current(target: str) -> None:
    first = open_state(target)
    second = open_state(target)  # another process starting on the same database
    with second.transaction() as tx:
        versions = [row[0] for row in tx.execute("SELECT version FROM schema_version").fetchall()]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    first.close()
    second.close()


def test_a_database_newer_than_the_code_is_refused(state: StateDB, target: str) -> None:
    with state.transaction() as tx:
        tx.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS) + 1,))
    with pytest.raises(StateError, match="upgrade it"):
        open_state(target)


def test_an_event_is_first_once_even_from_sixteen_threads_at_once(target: str) -> None:
    def claim(n: int) -> bool:
        own = open_state(target)  # each its own connection, as separate processes would have
        try:
            with own.transaction() as tx:
                return first_time(tx, "events", "Ev0RACE", NOW)
        finally:
            own.close()

    assert sorted(_together(16, claim)) == [False] * 15 + [True]  # type: ignore[type-var]


def test_events_and_shares_are_separate_keys_and_forgotten_after_a_day(state: StateDB) -> None:
    with state.transaction() as tx:
        assert first_time(tx, "events", "K1", NOW)
        assert first_time(tx, "shares", "K1", NOW)
        assert not first_time(tx, "events", "K1", NOW + 5)
    forget_old(state, NOW + 86_401)
    with state.transaction() as tx:
        assert first_time(tx, "events", "K1", NOW + 86_401)


def test_a_rolled_back_transaction_leaves_no_event_and_no_job(state: StateDB) -> None:
    with pytest.raises(RuntimeError), state.transaction() as tx:
        first_time(tx, "events", "Ev1", NOW)
        add_job(tx, "reply", {"q": "x"}, NOW)
        raise RuntimeError("crash before commit")
    assert Jobs(state, 10).counts() == {}
    with state.transaction() as tx:
        assert first_time(tx, "events", "Ev1", NOW)


def test_a_job_is_taken_by_one_runner_and_again_only_after_its_lease(state: StateDB) -> None:
    jobs = Jobs(state, lease=10)
    with state.transaction() as tx:
        job_id = add_job(tx, "reply", {"channel": "C1"}, NOW)
    taken = jobs.take("A", NOW, job_id)
    assert taken is not None
    assert (taken.attempts, taken.unsure, taken.payload) == (1, False, {"channel": "C1"})
    assert jobs.take("B", NOW + 9.9) is None  # A's lease holds
    again = jobs.take("B", NOW + 10)  # A died: B takes it, and must look before posting
    assert again is not None and (again.id, again.attempts, again.unsure) == (job_id, 2, True)
    jobs.fail(again, "A", "too late", NOW + 11)  # only the holder may give up on it
    assert jobs.counts() == {"running": 1}
    jobs.finish(again, "1700000001.000100", NOW + 11)
    assert jobs.counts() == {"done": 1}
    assert jobs.take("C", NOW + 100) is None


def test_a_living_runner_renews_its_leases_and_only_its_own(state: StateDB) -> None:
    jobs = Jobs(state, lease=10)
    with state.transaction() as tx:
        add_job(tx, "reply", {}, NOW)
        add_job(tx, "reply", {}, NOW)
    mine, theirs = jobs.take("A", NOW), jobs.take("B", NOW)
    assert mine is not None and theirs is not None
    assert jobs.renew("A", NOW + 8) == 1  # A's heartbeat, during a long look
    again = jobs.take("C", NOW + 12)  # B stopped beating: its job is taken over
    assert again is not None and again.id == theirs.id
    assert jobs.take("C", NOW + 12) is None  # A's lease now runs to NOW + 18
    assert jobs.take("C", NOW + 18) is not None


def test_a_retried_job_waits_for_its_time_and_remembers_if_it_may_have_been_sent(
    state: StateDB,
) -> None:
    jobs = Jobs(state, lease=10)
    with state.transaction() as tx:
        add_job(tx, "reply", {}, NOW)
    first = jobs.take("A", NOW)
    assert first is not None
    jobs.retry(first, "A", NOW + 25, unsure=False, error="ratelimited", now=NOW)
    assert (jobs.due(NOW + 24.9), jobs.due(NOW + 25)) == (0, 1)
    assert jobs.take("A", NOW + 24) is None
    second = jobs.take("A", NOW + 25)
    assert second is not None and (second.attempts, second.unsure) == (2, False)
    jobs.retry(second, "A", NOW + 30, unsure=True, error="HTTP 503", now=NOW + 25)
    third = jobs.take("A", NOW + 30)
    assert third is not None and (third.attempts, third.unsure) == (3, True)


def test_concurrent_runners_take_each_job_exactly_once(target: str, state: StateDB) -> None:
    with state.transaction() as tx:
        ids = {add_job(tx, "reply", {"n": n}, NOW) for n in range(40)}

    def drain(n: int) -> list[str]:
        own = open_state(target)
        jobs, taken = Jobs(own, lease=60), []
        try:
            while (job := jobs.take(f"runner-{n}", NOW)) is not None:
                taken.append(job.id)
                jobs.finish(job, "ts", NOW)
        finally:
            own.close()
        return taken

    results = _together(6, drain)
    taken = [job_id for result in results for job_id in result]  # type: ignore[attr-defined]
    assert sorted(taken) == sorted(ids)
    print(f"\n40 jobs, 6 runners: taken {len(taken)} times, per runner {[len(r) for r in results]}")  # type: ignore[arg-type]


def test_hold_lets_one_holder_in_at_a_time_and_is_released_after_the_block(
    target: str, state: StateDB
) -> None:
    other = open_state(target)
    try:
        with state.hold("digest:C1:2025-W28") as held:
            assert held
            with other.hold("digest:C1:2025-W28") as also:
                assert not also
            with other.hold("digest:C2:2025-W28") as different:
                assert different
        with other.hold("digest:C1:2025-W28") as after:
            assert after
    finally:
        other.close()


def test_thread_context_keeps_the_last_question_until_it_expires(state: StateDB) -> None:
    threads = Threads(state, ttl=3600)
    assert threads.last("C1", "1715000000.000200", NOW) is None
    threads.remember("C1", "1715000000.000200", "mexico exports 2024", NOW)
    threads.remember("C1", "1715000000.000200", "mexico exports 2023", NOW + 60)
    threads.remember("C1", "1715000099.000100", "canada imports 2024", NOW)
    assert threads.last("C1", "1715000000.000200", NOW + 120) == "mexico exports 2023"
    assert threads.last("C2", "1715000000.000200", NOW + 120) is None
    assert threads.last("C1", "1715000000.000200", NOW + 3660) is None
    forget_old(state, NOW + 3661)
    assert threads.last("C1", "1715000099.000100", NOW) is None  # deleted, not only hidden


def test_preferences_per_user_and_channel_the_user_winning(state: StateDB) -> None:
    prefs = Preferences(state)
    assert prefs.resolve("U1", "C1", "language") is None
    prefs.set("channel", "C1", "language", "es", NOW)
    assert prefs.resolve("U1", "C1", "language") == "es"
    prefs.set("user", "U1", "language", "en", NOW)
    prefs.set("user", "U1", "language", "fr", NOW + 1)
    assert prefs.resolve("U1", "C1", "language") == "fr"
    assert prefs.resolve("U2", "C1", "language") == "es"
    prefs.clear("user", "U1", "language")
    assert prefs.get("user", "U1", "language") is None


def test_an_old_digest_ledger_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as con:  # a ledger written before migrations existed
        con.execute(MIGRATIONS[0][2])
        con.execute(
            "INSERT INTO digest_posts VALUES ('C1', '2025-W28', 'posted', 'x', 1, 1, 1, '1.2',"
            " NULL, 1)"
        )
    state = open_state(path)
    with state.transaction() as tx:
        assert tx.execute("SELECT ts FROM digest_posts").fetchall() == [("1.2",)]
        assert first_time(tx, "events", "Ev1", NOW)


def test_an_unreachable_postgresql_is_one_clear_error() -> None:
    from slack_helpers import free_port

    url = f"postgresql://postgres:secret-pw@127.0.0.1:{free_port()}/none?connect_timeout=1"
    with pytest.raises(StateError) as raised:
        open_state(url)
    assert "secret-pw" not in str(raised.value)
