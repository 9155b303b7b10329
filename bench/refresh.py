"""Time `tradefact refresh` of one new month against the fake Census API, and the store switch.

Run: python bench/refresh.py   (~40 s; a temporary copy of data/, never data/ itself)

1. Refresh: N times, a fresh copy of data/ and of the built store, one new (test-only) month
   published by tests/fakecensus.py; `tradefact refresh` as a command, timed end to end (probe,
   two year requests, keeping the responses, validating and rebuilding the store).
2. Switch: `tradefact serve` on the copy, 4 clients sending signed /tradefact commands back to
   back; a refresh replaces the store halfway. Reported: the requests before, during (from the
   refresh's start until the first answer from the new store) and after, their latencies, the
   slowest, and failed requests (any non-200 or empty answer). Target: none over 3 s, none failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
sys.path.insert(1, str(ROOT / "tests"))  # the fake Census API and the data/ copy of the tests

import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from conftest import symlinked_copy  # noqa: E402
from fakecensus import KEY, FakeCensus  # noqa: E402

from bench.harness import (  # noqa: E402
    Client,
    FakeSlack,
    median,
    percentile,
    running,
    server_env,
    tradefact_command,
    tradefact_server,
)
from facts.load import build  # noqa: E402

QUESTION = "mexico exports september 2026"
NEW = 33_123_456_789  # the test-only figure of the new month
RUNS = 5
CLIENTS = 4


def _copy(built: Path, where: Path) -> tuple[Path, Path]:
    data = symlinked_copy(ROOT / "data", where / "data")
    db = where / "facts.duckdb"
    shutil.copyfile(built, db)
    return data, db


def _refresh(census: FakeCensus, data: Path, db: Path) -> float:
    env = {
        **server_env_plain(data, db),
        "CENSUS_API_URL": census.base_url,
        "CENSUS_API_KEY": KEY,
    }
    started = time.perf_counter()
    done = subprocess.run(
        [*tradefact_command(), "refresh"], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or "trade through 2026-09" not in done.stdout:
        raise RuntimeError(f"refresh failed: {done.stdout}{done.stderr}")
    return elapsed


def server_env_plain(data: Path, db: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRADEFACT_"))}
    return {**env, "TRADEFACT_DATA_DIR": str(data), "TRADEFACT_DB": str(db)}


def bench_refresh(built: Path, tmp: Path) -> tuple[list[float], list[float]]:
    """Refresh times, and beside each the time of a plain `tradefact build` of the same copy."""
    times, builds = [], []
    for run in range(RUNS):
        data, db = _copy(built, tmp / f"refresh{run}")
        started = time.perf_counter()
        subprocess.run(
            [*tradefact_command(), "build"],
            env=server_env_plain(data, db),
            check=True,
            capture_output=True,
        )
        builds.append(time.perf_counter() - started)
        with FakeCensus() as census:
            census.publish(2026, 9, like=(2025, 9), overrides={"exports:2010": NEW})
            times.append(_refresh(census, data, db))
    return times, builds


def bench_switch(built: Path, tmp: Path) -> None:
    data, db = _copy(built, tmp / "switch")
    samples: list[tuple[float, float, bool]] = []  # (start, seconds, answered from the new store)
    failures: list[str] = []
    stop = threading.Event()
    with FakeSlack() as slack, FakeCensus() as census:
        census.publish(2026, 9, like=(2025, 9), overrides={"exports:2010": NEW})
        server = tradefact_server(server_env(slack, db, data), tmp / "serve.log")
        with running(server):

            def client() -> None:
                connection = Client(server.port, slack.response_url())
                while not stop.is_set():
                    started = time.perf_counter()
                    try:
                        seconds, body = connection.command(QUESTION)
                    except (OSError, RuntimeError) as exc:
                        failures.append(str(exc)[:100])
                        continue
                    samples.append((started, seconds, f"{NEW:,}".encode() in body))
                connection.close()

            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            for thread in threads:
                thread.start()
            time.sleep(3)
            refresh_start = time.perf_counter()
            refresh_seconds = _refresh(census, data, db)
            time.sleep(3)
            stop.set()
            for thread in threads:
                thread.join()
    first_new = min((s for s, _, new in samples if new), default=None)
    if first_new is None:
        raise RuntimeError("the server never answered from the new store")
    before = [t for s, t, _ in samples if s < refresh_start]
    during = [t for s, t, _ in samples if refresh_start <= s < first_new]
    after = [t for s, t, _ in samples if s >= first_new]
    print(
        f"switch: refresh {refresh_seconds:.2f} s; first answer from the new store"
        f" {first_new - refresh_start:.2f} s after the refresh started"
    )
    for name, part in (("before", before), ("during", during), ("after", after)):
        if part:
            print(
                f"  {name:<7} {len(part):>5} requests  p50 {median(part) * 1000:7.2f} ms"
                f"  p99 {percentile(part, 99) * 1000:7.2f} ms  max {max(part) * 1000:7.2f} ms"
            )
    slowest = max(t for _, t, _ in samples)
    print(f"  failed {len(failures)}; slowest {slowest * 1000:.1f} ms (target: < 3,000 ms)")


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        built = tmp / "built.duckdb"
        build(ROOT / "data", built)
        times, builds = bench_refresh(built, tmp)
        print(
            f"refresh of one new month ({RUNS} runs): median {median(times):.2f} s,"
            f" min {min(times):.2f} s, max {max(times):.2f} s;"
            f" `tradefact build` of the same data: median {median(builds):.2f} s"
        )
        bench_switch(built, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
