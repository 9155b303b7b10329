"""Several copies, restarts and crashes on one PostgreSQL database: every reply exactly once.

Each scenario runs the real `tradefact serve`, `schedule` or `digest` processes against a real
PostgreSQL server (tests/pgserver.py) and a fake Slack, and counts the messages Slack received.
The counts are printed (pytest -s, or in CI's log with -rA).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fakeslack import RESPONSE_URL, FakeSlackWithHistory
from slack_helpers import (
    BOT_USER_ID,
    REPO,
    BotProcess,
    BotServer,
    block_action,
    clean_env,
    event_callback,
    slash_command,
    tradefact_command,
)

from bot.config import DigestSettings

POST = "chat.postMessage"
API_TIMEOUT = "2"  # SLACK_API_TIMEOUT: a runner's lease on a job is then 9 s


@pytest.fixture
def fake() -> Iterator[FakeSlackWithHistory]:
    """A fake Slack for one scenario."""
    with FakeSlackWithHistory() as slack:
        yield slack


class Cluster:
    """Instances of `tradefact serve` started on demand, all on one state database.

    `url`: a PostgreSQL database's URL, or a SQLite file's path (instances on one machine).
    """

    def __init__(self, fake: FakeSlackWithHistory, store: Path, tmp: Path, url: str) -> None:
        self.fake, self.store, self.tmp, self.url = fake, store, tmp, url
        self.started: list[BotServer] = []
        self.backend = "postgresql" if "://" in url else "sqlite"

    def start(self, name: str, workers: int = 2) -> BotServer:
        """A new healthy instance with `workers` processes."""
        state = {"DATABASE_URL" if "://" in self.url else "TRADEFACT_STATE_DB": self.url}
        server = BotServer(
            self.fake,
            self.store,
            self.tmp / f"{name}.log",
            workers=workers,
            SLACK_API_TIMEOUT=API_TIMEOUT,
            **state,
        )
        self.started.append(server)
        server.wait_healthy(timeout=60)
        return server

    def stop_all(self) -> None:
        """Stop every instance still running."""
        for server in self.started:
            server.stop()


@pytest.fixture
def cluster(
    fake: FakeSlackWithHistory, store_path: Path, tmp_path: Path, pg_url: str
) -> Iterator[Cluster]:
    """Instances on one new PostgreSQL database, stopped at the end."""
    made = Cluster(fake, store_path, tmp_path, pg_url)
    yield made
    made.stop_all()


@pytest.fixture(params=["postgresql", "sqlite"])
def any_cluster(
    request: pytest.FixtureRequest, fake: FakeSlackWithHistory, store_path: Path, tmp_path: Path
) -> Iterator[Cluster]:
    """Instances on one PostgreSQL database, or on one SQLite file (one machine)."""
    if request.param == "sqlite":
        url = str(tmp_path / "state.sqlite3")
    else:
        url = request.getfixturevalue("pg_url")
    made = Cluster(fake, store_path, tmp_path, url)
    yield made
    made.stop_all()


def _mention(n: int) -> str:
    return event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024", ts=f"{n}.000200")


def _retry(server: BotServer, body: str, number: int = 1) -> int:
    headers = {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"}
    return server.post(body, form=False, headers=headers).status


def _replies_per_thread(fake: FakeSlackWithHistory) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in fake.calls(POST, ok=True):
        thread = str(call.params.get("thread_ts"))
        counts[thread] = counts.get(thread, 0) + 1
    return counts


def _report(scenario: str, **counts: Any) -> None:
    print(f"\n[{scenario}] " + ", ".join(f"{k}={v}" for k, v in counts.items()))


def test_an_event_to_one_instance_and_slacks_retries_to_another_are_answered_once(
    any_cluster: Cluster, fake: FakeSlackWithHistory
) -> None:
    cluster = any_cluster
    a, b = cluster.start("a"), cluster.start("b")
    bodies = [_mention(1000 + n) for n in range(10)]
    for n, body in enumerate(bodies):
        first, other = (a, b) if n % 2 == 0 else (b, a)
        assert first.post(body, form=False).status == 200
        assert [_retry(other, body, 1), _retry(other, body, 2), _retry(first, body, 3)] == [200] * 3
    a.wait_idle()
    replies = _replies_per_thread(fake)
    _report(
        f"two instances, 2 workers each, {cluster.backend}",
        events=10,
        deliveries=40,
        replies=sum(replies.values()),
    )
    assert replies == {f"{1000 + n}.000200": 1 for n in range(10)}


def test_a_retry_after_a_restart_a_hup_or_a_kill_9_is_answered_once(
    cluster: Cluster, fake: FakeSlackWithHistory
) -> None:
    a = cluster.start("a")
    restart, hup, kill = _mention(2001), _mention(2002), _mention(2003)
    assert a.post(restart, form=False).status == 200
    a.wait_idle()
    a.stop()  # a deploy: SIGTERM
    a = cluster.start("a-restarted")
    assert _retry(a, restart) == 200
    assert a.post(hup, form=False).status == 200
    a.wait_idle()
    os.kill(a.process.pid, signal.SIGHUP)  # uvicorn's supervisor replaces its workers
    a.wait_for_log("Received SIGHUP", timeout=10)
    a.wait_healthy(timeout=30)
    assert _retry(a, hup) == 200
    assert a.post(kill, form=False).status == 200
    a.wait_idle()
    a.kill9()
    a = cluster.start("a-after-kill")
    assert _retry(a, kill) == 200
    a.wait_idle()
    replies = _replies_per_thread(fake)
    _report("restart, HUP, kill -9", events=3, retries=3, replies=sum(replies.values()))
    assert replies == {"2001.000200": 1, "2002.000200": 1, "2003.000200": 1}


def test_kill_9_with_jobs_in_flight_then_a_restart_posts_every_reply_exactly_once(
    any_cluster: Cluster, fake: FakeSlackWithHistory
) -> None:
    cluster = any_cluster
    # A slow Slack (posts in flight at the kill), well inside the API timeout: a post that timed
    # out on a loaded machine would test the timeout path, not the kill.
    fake.fail(POST, delay=0.8, times=1000)
    a = cluster.start("a")
    bodies = [_mention(3000 + n) for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda body: a.post(body, form=False).status, bodies))
    assert statuses == [200] * 40
    fake.wait_for(POST, 20, timeout=20)  # some posted, some on their way, the rest queued
    a.kill9()
    before = len(fake.calls(POST))
    jobs = a.jobs()
    b = cluster.start("b")
    b.wait_idle(timeout=60)
    replies = _replies_per_thread(fake)
    looks = len(fake.calls("conversations.replies"))
    _report(
        f"kill -9 with jobs in flight, {cluster.backend}",
        events=40,
        posts_before_kill=before,
        jobs_at_kill=jobs,
        looks_after_restart=looks,
        replies=sum(replies.values()),
    )
    assert replies == {f"{3000 + n}.000200": 1 for n in range(40)}
    assert b.jobs() == {"done": 40}


def test_a_share_click_replayed_three_times_to_two_instances_posts_once(
    cluster: Cluster, fake: FakeSlackWithHistory
) -> None:
    a, b = cluster.start("a", workers=1), cluster.start("b", workers=1)
    click = block_action("mexico exports 2024", fake.response_url("share"), message_ts="17.5")
    assert [a.post(click).status, b.post(click).status, a.post(click).status] == [200] * 3
    a.wait_idle()
    shares = [c for c in fake.calls(RESPONSE_URL) if c.params.get("response_type") == "in_channel"]
    _report("share replayed", clicks=3, channel_posts=len(shares))
    assert len(shares) == 1


def _digest_env(fake: FakeSlackWithHistory, store: Path, url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN="xoxb-test-5f2e9a",
        SLACK_API_URL=fake.url,
        TRADEFACT_DATA_DIR=str(REPO / "data"),
        TRADEFACT_DB=str(store),
        DATABASE_URL=url,
        **extra,
    )


def _this_week() -> str:
    year, week, _ = datetime.now(DigestSettings().timezone).isocalendar()
    return f"{year}-W{week:02d}"


@pytest.mark.parametrize("delay", [0.0, 2.0], ids=["fast_slack", "slow_slack"])
def test_two_clocks_started_together_post_once_per_channel_week(
    fake: FakeSlackWithHistory, store_path: Path, tmp_path: Path, pg_url: str, delay: float
) -> None:
    if delay:
        fake.fail(POST, delay=delay, times=100)
    env = _digest_env(
        fake,
        store_path,
        pg_url,
        TRADEFACT_DIGEST_CHANNELS="C1,C2,C3",
        TRADEFACT_DIGEST_CRON="0 0 * * 1",  # Mondays at 00:00: always past this week
    )
    clocks = [BotProcess(["schedule"], env, tmp_path / f"clock-{n}.log") for n in range(2)]
    try:
        for clock in clocks:
            for channel in ("C1", "C2", "C3"):
                clock.wait_for_log(f"Digest {channel} {_this_week()}: ", timeout=40)
    finally:
        for clock in clocks:
            clock.stop()
    posts = sorted(str(c.params["channel"]) for c in fake.calls(POST, ok=True))
    _report(f"two clocks, Slack delay {delay} s", channels=3, posts=len(posts))
    assert posts == ["C1", "C2", "C3"]


def test_two_digest_runs_started_together_on_postgresql_post_once(
    fake: FakeSlackWithHistory, store_path: Path, pg_url: str
) -> None:
    fake.fail(POST, delay=2.0)
    env = _digest_env(fake, store_path, pg_url)
    argv = [*tradefact_command(), "digest", "--channel", "C0TEST", "--date", "2025-07-07"]
    runs = [subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE) for _ in range(2)]
    outputs = sorted(run.communicate(timeout=60)[0].decode() for run in runs)
    _report("two digest runs", posts=len(fake.calls(POST)), outputs=outputs)
    assert len(fake.calls(POST)) == 1
    assert outputs[1].startswith("C0TEST 2025-W28: posted (ts ")
    assert outputs[0].startswith("C0TEST 2025-W28: another run is posting it")


# --- a rate-limited Web API and slow clients never delay an ack ------------------------------


def _timed_slash(server: BotServer) -> float:
    started = time.monotonic()
    response = server.post(slash_command("mexico exports 2024", server.fake.response_url()))
    assert response.status == 200 and "$334.5 billion" in response.json()["text"]
    return time.monotonic() - started


def _slow_clients(port: int, count: int, stop: threading.Event) -> list[socket.socket]:
    """`count` connections: half trickle headers a byte a second, half a body after headers."""
    sockets = []
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        if n % 2:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        else:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
        sockets.append(sock)

    def trickle() -> None:
        while not stop.wait(1.0):
            for sock in sockets:
                with contextlib.suppress(OSError):  # the server hung up on it: the point
                    sock.sendall(b"x")

    threading.Thread(target=trickle, daemon=True).start()
    return sockets


def test_rate_limited_mentions_and_100_slow_clients_never_delay_a_slash_command(
    cluster: Cluster, fake: FakeSlackWithHistory
) -> None:
    fake.fail(POST, retry_after=25, times=10_000)  # every post: 429, Retry-After 25
    server = cluster.start("a", workers=1)
    baseline = [_timed_slash(server) for _ in range(20)]
    mention_acks, slash = [], []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for n in range(8):
            started = time.monotonic()
            assert server.post(_mention(4000 + n), form=False).status == 200
            mention_acks.append(time.monotonic() - started)
        fake.wait_for(POST, 8, timeout=10)  # every runner now holds a 429
        slash = list(pool.map(lambda _: _timed_slash(server), range(56)))
    stop = threading.Event()
    sockets = _slow_clients(server.port, 100, stop)
    try:
        time.sleep(1.5)
        slowloris = [_timed_slash(server) for _ in range(40)]
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
    _report(
        "429 Retry-After 25 on every mention, then 100 slow clients",
        mention_acks_max_ms=round(max(mention_acks) * 1000, 1),
        slash_acked=f"{sum(t < 3 for t in slash)}/{len(slash)}",
        slash_p50_ms=round(statistics.median(slash) * 1000, 1),
        slash_max_ms=round(max(slash) * 1000, 1),
        baseline_p50_ms=round(statistics.median(baseline) * 1000, 1),
        slowloris_p50_ms=round(statistics.median(slowloris) * 1000, 1),
        slowloris_max_ms=round(max(slowloris) * 1000, 1),
        posts_429=len(fake.calls(POST)),
    )
    assert max(mention_acks) < 3 and max(slash) < 3 and max(slowloris) < 3
    # "Beyond its normal latency": the median with 100 slow clients stays near the baseline.
    assert statistics.median(slowloris) < max(0.05, 3 * statistics.median(baseline))
    assert fake.calls(POST, ok=True) == []  # nothing got through the rate limit: no duplicate


def test_headers_that_trickle_in_are_cut_off_after_the_header_timeout(
    cluster: Cluster,
) -> None:
    from bot.server import HEADER_TIMEOUT_S

    server = cluster.start("a", workers=1)
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.settimeout(HEADER_TIMEOUT_S + 10)
    started = time.monotonic()
    sock.sendall(b"POST /slack/events HTTP/1.1\r\n")
    closed_after = None
    while closed_after is None:
        try:
            sock.sendall(b"X-A: b\r\n")
            time.sleep(0.5)
        except OSError:
            closed_after = time.monotonic() - started
    sock.close()
    _report("slowloris headers", closed_after_s=round(closed_after, 1))
    assert HEADER_TIMEOUT_S <= closed_after < HEADER_TIMEOUT_S + 5
