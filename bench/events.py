"""Events: acks, event-to-reply latency, one instance against two, and a slow Slack Web API.

Run: python bench/events.py   (builds the store into a temp dir, starts PostgreSQL from the
machine's binaries and the servers; ~4 min)

1. Mentions, 8 at a time, to `tradefact serve` with its state in SQLite and in PostgreSQL: the ack
   (the event and its job committed, HTTP 200) and the time until the fake Slack has the reply.
   The floor's slash-command ack is measured alongside: a bare Bolt app on the same stack.
2. One instance against two, each one worker process, behind the same round-robin TCP balancer
   on one port (warm slash commands, 16 at a time).
3. 2,000 mentions, 64 at a time, while the Web API takes 1 s to answer each post: every ack and
   the time until the last of the 2,000 replies is posted.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and bench/http.py would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import contextlib  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import socket  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from bench.harness import (  # noqa: E402
    BOT_USER_ID,
    HOST,
    FakeSlack,
    Run,
    event_callback,
    floor_server,
    percentile,
    postgres,
    questions,
    running,
    send,
    server_env,
    signature_headers,
    tradefact_server,
)
from facts.load import build  # noqa: E402

_SERIAL = itertools.count(1)


class EventClient:
    """One keep-alive connection posting signed Events API bodies, as Slack does."""

    def __init__(self, port: int) -> None:
        self._connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def mention(self) -> tuple[str, float, float]:
        """Send a new mention: (its ts, monotonic time sent, seconds until acknowledged)."""
        ts = f"{next(_SERIAL)}.000100"
        body = event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024", ts=ts)
        headers = {"Content-Type": "application/json", **signature_headers(body)}
        sent = time.monotonic()
        self._connection.request("POST", "/slack/events", body.encode(), headers)
        response = self._connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        return ts, sent, time.monotonic() - sent

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def mentions(port: int, count: int, concurrency: int) -> tuple[dict[str, float], list[float]]:
    """Send `count` mentions: their send times by ts, and their ack latencies (seconds)."""
    sent: dict[str, float] = {}
    acks: list[float] = []
    lock = threading.Lock()
    per_client = [count // concurrency + (n < count % concurrency) for n in range(concurrency)]

    def client_run(n: int) -> None:
        client = EventClient(port)
        try:
            for _ in range(n):
                ts, at, ack = client.mention()
                with lock:
                    sent[ts], _ = at, acks.append(ack)
        finally:
            client.close()

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client_run, per_client))
    return sent, acks


def reply_latencies(fake: FakeSlack, sent: dict[str, float], timeout: float) -> list[float]:
    """Seconds from each mention's send to the arrival of its reply at the fake Slack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posted = {
            str(c.params.get("thread_ts")): c.at for c in fake.calls("chat.postMessage", ok=True)
        }
        if all(ts in posted for ts in sent):
            return [posted[ts] - at for ts, at in sent.items()]
        time.sleep(0.1)
    missing = sum(ts not in posted for ts in sent)
    raise RuntimeError(f"{missing} of {len(sent)} replies not posted within {timeout} s")


@contextmanager
def balancer(ports: list[int]) -> Iterator[int]:
    """A round-robin TCP balancer on a free port, forwarding each connection to the next port."""
    listener = socket.create_server((HOST, 0))
    turn = itertools.cycle(ports)

    def pipe(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def accept() -> None:
        with contextlib.suppress(OSError):  # the listener closed: done
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection((HOST, next(turn)))
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pipe, args=(a, b), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def _ms(samples: list[float], pct: float) -> str:
    return f"{percentile(samples, pct) * 1000:.1f}"


def main() -> None:
    """Run the three measurements and print them."""
    texts = questions()
    print(f"measured {time.strftime('%Y-%m-%d %H:%M')}; 2 cores shared; times in ms")
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake, postgres() as pg_url:
        db, log = Path(tmp) / "facts.duckdb", Path(tmp) / "servers.log"
        build(ROOT / "data", db)
        url = fake.response_url("bench")
        backends = {
            "sqlite": server_env(fake, db),
            "postgresql": server_env(fake, db, DATABASE_URL=pg_url),
        }
        # 1. acks and event-to-reply latency, beside the floor's slash-command ack
        print("\n1. 300 mentions, 8 at a time (2 worker processes)")
        print(f"{'':<26}{'ack p50':>9}{'p99':>8}{'max':>8}{'reply p50':>11}{'p99':>8}")
        with running(floor_server(backends["sqlite"], log)) as floor:
            send(floor.port, url, texts)
            slash = send(floor.port, url, texts * 2, 8)
        print(f"{'floor: slash command ack':<26}{slash.ms(50):>9.1f}{slash.ms(99):>8.1f}")
        for name, env in backends.items():
            fake.clear()
            with running(tradefact_server(env, log)) as bot:
                mentions(bot.port, 40, 8)  # warm-up
                fake.clear()
                sent, acks = mentions(bot.port, 300, 8)
                replies = reply_latencies(fake, sent, timeout=60)
            print(
                f"{'tradefact, ' + name:<26}{_ms(acks, 50):>9}{_ms(acks, 99):>8}"
                f"{_ms(acks, 100):>8}{_ms(replies, 50):>11}{_ms(replies, 99):>8}"
            )
        # 2. one instance against two behind a balancer
        print("\n2. warm slash commands, 16 at a time, through a round-robin balancer")
        one_env = {**backends["postgresql"], "WEB_CONCURRENCY": "1"}
        with (
            running(tradefact_server(one_env, log)) as a,
            running(tradefact_server(one_env, log)) as b,
        ):
            for port in (a.port, b.port):
                send(port, url, texts * 2, 8)
            rows: dict[str, list[Run]] = {"one instance": [], "two instances": []}
            for _ in range(3):
                for name, ports in (
                    ("one instance", [a.port]),
                    ("two instances", [a.port, b.port]),
                ):
                    with balancer(ports) as port:
                        rows[name].append(send(port, url, texts * 4, 16))
        for name, runs in rows.items():
            latencies = [t for r in runs for t in r.latencies]
            rate = sorted(r.rate for r in runs)[1]
            print(
                f"{name:<26}p50 {percentile(latencies, 50) * 1000:.1f}"
                f"  p99 {percentile(latencies, 99) * 1000:.1f}  {rate:.0f} req/s"
                f"  errors {sum(r.errors for r in runs)}"
            )
        # 3. a slow Web API
        print("\n3. 2,000 mentions, 64 at a time, the Web API answering each post after 1 s")
        fake.clear()
        fake.fail("chat.postMessage", delay=1.0, times=1_000_000)
        with running(tradefact_server(backends["sqlite"], log)) as bot:
            started = time.monotonic()
            sent, acks = mentions(bot.port, 2000, 64)
            acked = time.monotonic() - started
            replies = reply_latencies(fake, sent, timeout=600)
            drained = time.monotonic() - started
            posts = len(fake.calls("chat.postMessage"))
        print(
            f"acks: p50 {_ms(acks, 50)}, p99 {_ms(acks, 99)}, max {_ms(acks, 100)};"
            f" {sum(a < 3 for a in acks)}/{len(acks)} under 3 s; all sent in {acked:.1f} s"
        )
        print(
            f"replies: {len(replies)} posted once each ({posts} posts), the last"
            f" {drained:.1f} s after the first mention; reply p50 {_ms(replies, 50)}"
        )


if __name__ == "__main__":
    main()
