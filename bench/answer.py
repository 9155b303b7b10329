"""Time `ask()` in-process over the question set: p50/p99 per kind, first call and warm.

Run: python bench/answer.py   (builds the store into a temp dir first; ~10 s)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facts.answer import Answerer  # noqa: E402
from facts.load import build  # noqa: E402
from facts.store import FactStore  # noqa: E402

ROUNDS = 50


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    """Print a table of ask() latency per answer kind (milliseconds)."""
    questions = [e["q"] for e in yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text())]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "facts.duckdb"
        started = time.perf_counter()
        build(ROOT / "data", db)
        build_s = time.perf_counter() - started
        store = FactStore.open(db)
        started = time.perf_counter()
        answerer = Answerer(store)
        init_ms = (time.perf_counter() - started) * 1000
        first: dict[str, list[float]] = defaultdict(list)
        warm: dict[str, list[float]] = defaultdict(list)
        uncached: dict[str, list[float]] = defaultdict(list)
        for question in questions:
            started = time.perf_counter()
            kind = answerer.ask(question).kind
            first[kind].append((time.perf_counter() - started) * 1000)
            for _ in range(ROUNDS):
                started = time.perf_counter()
                answerer.ask(question)
                warm[kind].append((time.perf_counter() - started) * 1000)
            for _ in range(3):
                started = time.perf_counter()
                answerer._answer(question)  # noqa: SLF001 - the uncached path, for the record
                uncached[kind].append((time.perf_counter() - started) * 1000)
    print(f"store build: {build_s:.2f} s; Answerer init (verdicts, indexes): {init_ms:.1f} ms")
    print(f"{len(questions)} questions, {ROUNDS} warm rounds each; times in ms")
    print(
        f"{'kind':<15}{'n':>4}{'first p50':>11}{'first p99':>11}{'uncached p50':>14}"
        f"{'warm p50':>10}{'warm p99':>10}"
    )
    for kind in sorted(first):
        print(
            f"{kind:<15}{len(first[kind]):>4}{_percentile(first[kind], 50):>11.3f}"
            f"{_percentile(first[kind], 99):>11.3f}{statistics.median(uncached[kind]):>14.3f}"
            f"{_percentile(warm[kind], 50):>10.4f}{_percentile(warm[kind], 99):>10.4f}"
        )


if __name__ == "__main__":
    main()
