"""Time signed /tradefact commands over loopback: tradefact serve against a bare Bolt app.

Run: python bench/http.py   (builds the store into a temp dir, starts PostgreSQL and the servers;
~2 min)

All servers run the same uvicorn stack (bench/floor_app.py), 2 worker processes each; tradefact
runs twice, with its state in SQLite and in PostgreSQL (a server started from the machine's
binaries, as the tests do). A slash command reads no state, so the two should agree. The answer
reaches Slack in the HTTP response to the command, so the time measured is send → whole response
read. "cold" is each question's first ask on a freshly started server (nothing cached); "warm"
repeats the question set after that, so answers come from the caches, as a repeated question
does in real life. The servers are measured in alternating blocks, so that all meet the same
background load.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and this file would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.harness import (  # noqa: E402
    FakeSlack,
    Run,
    floor_server,
    median,
    postgres,
    questions,
    running,
    send,
    server_env,
    tradefact_server,
)
from facts.load import build  # noqa: E402

CONCURRENCY = 8


def main() -> None:
    """Print p50/p99 and requests/s for both servers, the ratios and the bot's memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="alternating warm rounds")
    parser.add_argument(
        "--questions",
        type=Path,
        help="a text file of questions, one a line (default: tests/questions.yaml);"
        " bench/border_questions.txt holds the border, duty and citizenship questions",
    )
    args = parser.parse_args()
    texts = questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake, postgres() as pg_url:
        db, log = Path(tmp) / "facts.duckdb", Path(tmp) / "servers.log"
        build(ROOT / "data", db)
        env, url = server_env(fake, db), fake.response_url("bench")
        pg_env = server_env(fake, db, DATABASE_URL=pg_url)
        with running(tradefact_server(env, log)) as bot:  # cold, 8 at a time
            cold_many = send(bot.port, url, texts, CONCURRENCY)
        with (
            running(floor_server(env, log)) as floor,
            running(tradefact_server(env, log)) as bot,
            running(tradefact_server(pg_env, log)) as pg_bot,
        ):
            firsts = {
                "floor": send(floor.port, url, texts[:1]).ms(50),
                "tradefact": send(bot.port, url, texts[:1]).ms(50),
            }
            cold_one = send(bot.port, url, texts[1:])  # each question's first ask
            send(floor.port, url, texts)  # the floor's warm-up
            send(pg_bot.port, url, texts * 2, CONCURRENCY)  # both of its workers' warm-up
            # Alternate short blocks, so that all servers meet the same background load.
            ports = {"floor": floor.port, "sqlite": bot.port, "postgresql": pg_bot.port}
            blocks: dict[str, list[tuple[Run, Run]]] = {name: [] for name in ports}
            for _ in range(args.rounds):
                for name, port in ports.items():
                    one = send(port, url, texts)
                    many = send(port, url, texts * 3, CONCURRENCY)
                    blocks[name].append((one, many))
            memory = bot.memory()
    runs = {
        "floor (bare Bolt)": _pooled(blocks["floor"]),
        "tradefact warm": _pooled(blocks["sqlite"]),
        "tradefact warm, PG": _pooled(blocks["postgresql"]),
        "tradefact cold": (cold_one, cold_many),
    }
    _report(runs, firsts, memory, len(texts), args)


def _pooled(blocks: list[tuple[Run, Run]]) -> tuple[Run, Run]:
    """All latencies of the blocks together; the rate is the median block's."""
    pooled = []
    for index in (0, 1):
        runs = [block[index] for block in blocks]
        rate = median(r.rate for r in runs)
        latencies = [t for r in runs for t in r.latencies]
        pooled.append(Run(latencies, len(latencies) / rate, sum(r.errors for r in runs)))
    return pooled[0], pooled[1]


def _report(
    runs: dict[str, tuple[Run, Run]],
    firsts: dict[str, float],
    memory: list[tuple[str, int, float, float]],
    n: int,
    args: argparse.Namespace,
) -> None:
    print(
        f"/tradefact over loopback, {n} questions ({args.questions or 'tests/questions.yaml'}),"
        " times in ms. warm:"
        f" {args.rounds} rounds, alternating servers, of one pass one at a time and three passes"
        f" {CONCURRENCY} at a time; cold: each question's first ask on a fresh server"
    )
    print(
        f"{'':<20}{'1-at-a-time p50':>16}{'p99':>8}{'req/s':>8}"
        f"{f'{CONCURRENCY} concurrent p50':>19}{'p99':>8}{'req/s':>8}{'errors':>8}"
    )
    for name, (one, many) in runs.items():
        print(
            f"{name:<20}{one.ms(50):>16.2f}{one.ms(99):>8.2f}{one.rate:>8.0f}"
            f"{many.ms(50):>19.2f}{many.ms(99):>8.2f}{many.rate:>8.0f}{one.errors + many.errors:>8}"
        )
    floor_one, floor_many = runs["floor (bare Bolt)"]
    for name in ("tradefact warm", "tradefact warm, PG", "tradefact cold"):
        one, many = runs[name]
        print(
            f"{'ratio ' + name.removeprefix('tradefact ') + '/floor':<20}"
            f"{one.ms(50) / floor_one.ms(50):>15.2f}×{one.ms(99) / floor_one.ms(99):>7.2f}×"
            f"{one.rate / floor_one.rate:>7.2f}×{many.ms(50) / floor_many.ms(50):>18.2f}×"
            f"{many.ms(99) / floor_many.ms(99):>7.2f}×{many.rate / floor_many.rate:>7.2f}×"
        )
    print(f"{'target':<20}{'≤ 1.50×':>16}{'≤ 3.00×':>8}{'':>8}{'':>19}{'':>8}{'≥ 0.70×':>8}")
    print(
        f"first request after /healthz: floor {firsts['floor']:.1f} ms,"
        f" tradefact {firsts['tradefact']:.1f} ms"
    )
    total = sum(rss for _, _, rss, _ in memory)
    parts = ", ".join(f"{role} {rss:.0f} MB (peak {hwm:.0f})" for role, _, rss, hwm in memory)
    print(f"tradefact serve memory, VmRSS after the warm runs: {parts}; sum {total:.0f} MB")
    print(f"target ≤ 200 MB; measured {time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()
