"""Time checking the numbers of a text: a whole article in-process, and `/tradefact check` with a
paragraph over loopback against the real server (beside the bare-Bolt floor, in one run).

Run: python bench/check.py [--article ../shared/seed/article.txt]   (~30 s)

in-process: Checker.check() on the article, first call (a fresh Checker) and then repeated.
HTTP: signed `/tradefact check <paragraph>` commands, each with a different paragraph (nothing
cached), and the same paragraphs again (the reply cache); the floor is a bare Bolt app answering
the same commands. Also prints the checker's precision and recall on tests/check_published.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's directory would hide the standard library's http package: import from the root.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
sys.path.append(str(ROOT / "tests"))

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.harness import (  # noqa: E402
    FakeSlack,
    floor_server,
    median,
    percentile,
    running,
    send,
    server_env,
    tradefact_server,
)
from facts.check import Checker  # noqa: E402
from facts.context import Context  # noqa: E402
from facts.load import build  # noqa: E402
from facts.store import FactStore  # noqa: E402

ROUNDS = 30
PARAGRAPH = (
    "In {year}, Mexico bought ${amount} billion of U.S. goods, {ratio} times more than China."
    " Mexico and Canada together buy more than the next 10 export markets combined. In June 2025"
    " CBP logged 25,243 encounters nationwide, nearly 90% below the 2021-2024 monthly average."
)


def _paragraphs(count: int) -> list[str]:
    """Different paragraphs (different figures), so that no reply comes from a cache."""
    return [
        "check "
        + PARAGRAPH.format(year=2015 + i % 10, amount=300 + i, ratio=f"{2 + (i % 9) / 10:.1f}")
        for i in range(count)
    ]


def main() -> None:
    """Print in-process and HTTP timings, and precision/recall on the published set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(ROOT.parent / "shared" / "seed" / "article.txt"))
    args = parser.parse_args()
    article = Path(args.article).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        db, log = Path(tmp) / "facts.duckdb", Path(tmp) / "servers.log"
        build(ROOT / "data", db)
        store = FactStore.open(db)
        started = time.perf_counter()
        checker = Checker.of(Context.build(store))
        setup_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        result = checker.check(article)
        first_ms = (time.perf_counter() - started) * 1000
        repeated = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            checker.check(article)
            repeated.append((time.perf_counter() - started) * 1000)
        print(
            f"in-process, {len(article):,} characters, {len(result.checks)} statements:"
            f" first {first_ms:.1f} ms (after {setup_ms:.0f} ms to build the context),"
            f" then p50 {median(repeated):.1f} ms, p99 {percentile(repeated, 99):.1f} ms"
            f" over {ROUNDS} runs; target well under 1,000 ms"
        )
        env, url = server_env(fake, db), fake.response_url("bench")
        texts = _paragraphs(40)
        with running(floor_server(env, log)) as floor, running(tradefact_server(env, log)) as bot:
            floor_run = send(floor.port, url, texts)
            cold = send(bot.port, url, texts)
            warm = send(bot.port, url, texts)
        print(
            f"/tradefact check with a {len(texts[0]) - 6}-character paragraph over loopback (ms):"
        )
        for name, run in (("floor (bare Bolt)", floor_run), ("cold", cold), ("warm", warm)):
            print(
                f"  {name:<18} p50 {run.ms(50):7.1f}  p99 {run.ms(99):7.1f}  max"
                f" {max(run.latencies) * 1000:7.1f}  errors {run.errors}"
            )
        print("  target: every reply well within Slack's 3,000 ms")
        from test_check import published_scores  # tests/: the set and its scoring

        scores = published_scores(checker)
        print(
            f"published set: {scores['statements']} statements, {scores['found']} found;"
            f" precision {scores['precision']:.2f}, recall {scores['recall']:.2f};"
            f" not handled: {', '.join(scores['not_handled']) or 'none'}"
        )
        store.close()
    print(f"measured {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()
