"""Time `ask()` in-process over the question set: p50/p99 per kind, first call and warm.

Run: python bench/answer.py   (builds the store into a temp dir first; ~10 s)

first: each question's first ask on a freshly opened store, in file order (a later question
may reuse rows an earlier one read, as in a running server). recomputed: the answer cache
bypassed, the store's rows already in memory (parse, compute, build the Answer). warm: the
answer cache.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and bench/http.py would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

from bench.harness import percentile, questions  # noqa: E402
from facts.answer import answer  # noqa: E402
from facts.context import Context  # noqa: E402
from facts.load import build  # noqa: E402
from facts.store import FactStore  # noqa: E402

ROUNDS = 20


def main() -> None:
    """Print a table of ask() latency per answer kind (milliseconds)."""
    texts = questions()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "facts.duckdb"
        started = time.perf_counter()
        build(ROOT / "data", db)
        build_s = time.perf_counter() - started
        store = FactStore.open(db)
        started = time.perf_counter()
        context = Context.build(store)
        init_ms = (time.perf_counter() - started) * 1000
        first: dict[str, list[float]] = defaultdict(list)
        recomputed: dict[str, list[float]] = defaultdict(list)
        for question in texts:
            started = time.perf_counter()
            kind = answer(context, question).kind
            first[kind].append((time.perf_counter() - started) * 1000)
            for _ in range(ROUNDS):
                started = time.perf_counter()
                answer(context, question)  # no answer cache here: bot/replies.py holds it
                recomputed[kind].append((time.perf_counter() - started) * 1000)
        store.close()
    print(f"store build: {build_s:.2f} s; Context init (verdicts, name index): {init_ms:.1f} ms")
    print(f"{len(texts)} questions, each asked once cold then {ROUNDS} times again; times in ms")
    print(
        f"{'kind':<15}{'n':>4}{'first p50':>11}{'first p99':>11}{'again p50':>11}{'again p99':>11}"
    )
    every = "all"
    for samples in (first, recomputed):
        samples[every] = [t for kind in list(samples) for t in samples[kind]]
    for kind in [*sorted(k for k in first if k != every), every]:
        print(
            f"{kind:<15}{len(first[kind]):>4}{percentile(first[kind], 50):>11.3f}"
            f"{percentile(first[kind], 99):>11.3f}{percentile(recomputed[kind], 50):>11.3f}"
            f"{percentile(recomputed[kind], 99):>11.3f}"
        )


if __name__ == "__main__":
    main()
