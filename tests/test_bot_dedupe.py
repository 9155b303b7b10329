"""SeenEvents lets each Slack event id through once, across threads, for a bounded time."""

from __future__ import annotations

import threading

from bot.dedupe import SeenEvents


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_event_id_is_claimed_once() -> None:
    seen = SeenEvents()
    assert [seen.claim("Ev1"), seen.claim("Ev1"), seen.claim("Ev2")] == [True, False, True]


def test_a_released_event_id_can_be_claimed_again() -> None:
    seen = SeenEvents()
    seen.claim("Ev1")
    seen.release("Ev1")
    seen.release("Ev-never-claimed")
    assert seen.claim("Ev1") is True


def test_an_event_id_is_forgotten_after_its_ttl() -> None:
    clock = Clock()
    seen = SeenEvents(ttl=60, clock=clock)
    seen.claim("Ev1")
    clock.now = 59.9
    assert seen.claim("Ev1") is False
    clock.now = 60.0
    assert seen.claim("Ev1") is True


def test_the_set_stays_within_its_limit_by_forgetting_the_oldest() -> None:
    seen = SeenEvents(limit=3)
    for n in range(10):
        seen.claim(f"Ev{n}")
    assert len(seen) == 3
    assert seen.claim("Ev9") is False
    assert seen.claim("Ev0") is True


def test_concurrent_claims_of_one_event_let_exactly_one_through() -> None:
    seen = SeenEvents()
    start = threading.Barrier(16)
    results: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        start.wait()
        claimed = seen.claim("EvRACE")
        with lock:
            results.append(claimed)

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True]
