"""Load and soak against the real `tradefact serve` on loopback (opt-in: pytest -m load -s).

TRADEFACT_SOAK_SECONDS sets the soak's length (default 150). Each test prints its figures.
"""

from __future__ import annotations

import itertools
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from slack_helpers import BOT_USER_ID, BotServer, event_callback, slash_command

pytestmark = pytest.mark.load

# Questions and a figure each answer must show (from the Census, CBP and World Bank files).
ANSWERS = {
    "mexico exports 2024": "$334,492,100,000",
    "canada exports 2024": "$350,605,600,000",
    "china exports 2024": "$143,271,700,000",
    "china imports 2024": "$440,319,400,000",
    "mexico balance 2024": "-$168,618,000,000",
    "mexico exports 2026": "$263,473,100,000",
    "mexico vs china exports 2024": "$143,271,700,000",
    "fentanyl seizures june 2025": "843.628 lb",
    "southwest encounters june 2025": "9,300 encounters",
    "population of mexico 2024": "130,861,007 people",
    "nationwide encounters june 2025": "25,185 encounters",
    "top 10 export markets 2024": "Netherlands",
    "what is love": "Sorry, I didn't understand that question",
    "help": "What you can ask TradeFact",
}
ACK_WITHIN = 3.0  # seconds: Slack's deadline for acknowledging a request


@dataclass(frozen=True)
class Usage:
    """The worker's resident memory and thread count, from /proc."""

    rss_kib: int
    threads: int


def _worker_pid(server: BotServer) -> int:
    arbiter = server.process.pid
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
    # uvicorn's workers are spawned: `python -c "from multiprocessing.spawn import spawn_main..."`
    [worker] = [c for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
    return int(worker)


def _usage(pid: int) -> Usage:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return Usage(int(fields["VmRSS"].split()[0]), int(fields["Threads"]))


def _slash(server: BotServer, question: str) -> tuple[float, int, str]:
    started = time.monotonic()
    response = server.post(slash_command(question, server.fake.response_url()))
    elapsed = time.monotonic() - started
    text = response.json()["text"] if response.status == 200 else ""
    return elapsed, response.status, text


def _errors(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if "ERROR" in line or "Traceback" in line or "[CRITICAL]" in line
    ]


def test_500_slash_commands_at_32_concurrent_are_acknowledged_within_3_s_and_correct(
    bot_server: BotServer,
) -> None:
    server = bot_server
    pid = _worker_pid(server)
    with ThreadPoolExecutor(max_workers=32) as pool:  # warm: every thread started, every answer
        list(pool.map(lambda q: _slash(server, q), list(ANSWERS) * 4))
    before = _usage(pid)
    questions = list(itertools.islice(itertools.cycle(ANSWERS), 500))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda q: _slash(server, q), questions))
    wall = time.monotonic() - started
    after = _usage(pid)
    latencies = sorted(elapsed for elapsed, _, _ in results)
    wrong = [q for q, (_, status, text) in zip(questions, results, strict=True)
             if status != 200 or ANSWERS[q] not in text]  # fmt: skip
    print(
        f"\n500 slash commands, 32 at a time: {wall:.1f} s, {500 / wall:.0f}/s;"
        f" latency p50 {statistics.median(latencies) * 1000:.0f} ms,"
        f" p95 {latencies[int(0.95 * 500)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms;"
        f" worker RSS {before.rss_kib / 1024:.1f} -> {after.rss_kib / 1024:.1f} MiB,"
        f" threads {before.threads} -> {after.threads}; wrong or failed: {len(wrong)}"
    )
    assert wrong == []
    assert latencies[-1] < ACK_WITHIN
    assert _errors(server.log()) == []
    assert after.threads == before.threads
    assert after.rss_kib - before.rss_kib < 16 * 1024  # caches fill; nothing piles up


def test_a_soak_of_commands_mentions_and_dms_grows_neither_memory_nor_threads(
    bot_server: BotServer,
) -> None:
    server = bot_server
    seconds = float(os.environ.get("TRADEFACT_SOAK_SECONDS", "150"))
    pid = _worker_pid(server)
    questions = list(ANSWERS)
    asked: dict[str, str] = {}  # a mention's ts (its reply's thread_ts), a DM's channel -> question
    counts = {"slash": 0, "mention": 0, "dm": 0, "failed": 0}
    lock = threading.Lock()
    stop = threading.Event()
    stamps = itertools.count(1)

    def client(number: int) -> None:
        for n in itertools.count():
            if stop.is_set():
                return
            question = questions[(number + n) % len(questions)]
            kind = ("slash", "mention", "dm")[(number * 7 + n) % 3]
            if kind == "slash":
                _, status, text = _slash(server, question)
                ok = status == 200 and ANSWERS[question] in text
            else:
                stamp = next(stamps)
                if kind == "mention":
                    key = f"1715{stamp:06d}.000100"
                    body = event_callback("app_mention", f"<@{BOT_USER_ID}> {question}", ts=key)
                else:
                    key = f"D{stamp:08d}"
                    body = event_callback("message_im", question, channel=key)
                with lock:
                    asked[key] = question
                ok = server.post(body, form=False).status == 200
            with lock:
                counts[kind] += 1
                counts["failed"] += not ok
            stop.wait(0.02)

    samples: list[tuple[float, Usage]] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for number in range(8):
            pool.submit(client, number)
        try:
            while (elapsed := time.monotonic() - started) < seconds:
                samples.append((elapsed, _usage(pid)))
                time.sleep(min(5.0, max(0.0, seconds - elapsed)))
        finally:
            stop.set()
    final = _usage(pid)
    samples.append((time.monotonic() - started, final))
    replies = [c.params for c in server.fake.calls("chat.postMessage")]
    by_event = [r.get("thread_ts") or r["channel"] for r in replies]
    wrong = [
        r for r, key in zip(replies, by_event, strict=True) if ANSWERS[asked[key]] not in r["text"]
    ]
    warm = next(u for t, u in samples if t >= min(20.0, seconds / 5))
    half = next(u for t, u in samples if t >= seconds / 2)
    peak = max(u.rss_kib for _, u in samples)
    events = counts["mention"] + counts["dm"]
    print(
        f"\nsoak {seconds:.0f} s: {counts['slash']} slash commands, {counts['mention']} mentions,"
        f" {counts['dm']} DMs; {len(replies)} replies for {events} events"
        f" ({len(replies) - len(set(by_event))} duplicated, {len(set(asked) - set(by_event))}"
        f" lost, {len(wrong)} wrong); failed requests {counts['failed']};"
        f" worker RSS warm {warm.rss_kib / 1024:.1f} MiB, half-way {half.rss_kib / 1024:.1f},"
        f" end {final.rss_kib / 1024:.1f}, peak {peak / 1024:.1f};"
        f" threads {warm.threads} -> {final.threads}"
    )
    assert counts["failed"] == 0
    assert sorted(by_event) == sorted(asked)  # every event answered, once
    assert wrong == []
    assert _errors(server.log()) == []
    assert final.threads == warm.threads
    # Memory levels off once the caches are full: the second half adds next to nothing.
    assert final.rss_kib - half.rss_kib < 4 * 1024
    assert final.rss_kib - warm.rss_kib < 16 * 1024
