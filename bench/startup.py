"""Time process start to GET /healthz 200: tradefact serve (store built) against a bare Bolt app.

Run: python bench/startup.py   (builds the store into a temp dir, then starts each server 9 times,
alternating; ~20 s)

Both are started the same way (a subprocess with the same environment, on the same uvicorn
stack; bench/floor_app.py). tradefact serve checks the data fingerprint, opens the store and
migrates the state database in the supervisor, then each worker opens a private copy of the
store and builds the app. The time of the first command after
/healthz is shown too: work left for later is not free. `tradefact build` is timed as a command.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and bench/http.py would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.harness import (  # noqa: E402
    Client,
    FakeSlack,
    Server,
    floor_server,
    median,
    server_env,
    tradefact_command,
    tradefact_server,
)


def _start(server: Server, url: str) -> tuple[float, float]:
    """Seconds to healthy, and to the answer of the first command after that."""
    try:
        server.start()
        healthy = server.wait_healthy()
        client = Client(server.port, url)
        first, _ = client.command("mexico exports 2024")
        client.close()
        return healthy, first
    finally:
        server.stop()


def _build(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*tradefact_command(), "build"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    """Print startup and first-answer times of both servers, and `tradefact build`'s time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        db, log = Path(tmp) / "facts.duckdb", Path(tmp) / "servers.log"
        env, url = server_env(fake, db), fake.response_url("bench")
        builds = [_build(env) for _ in range(3)]
        times: dict[str, list[tuple[float, float]]] = {"floor (bare Bolt)": [], "tradefact": []}
        for _ in range(args.trials):
            times["floor (bare Bolt)"].append(_start(floor_server(env, log), url))
            times["tradefact"].append(_start(tradefact_server(env, log), url))
    print(f"process start → GET /healthz 200, {args.trials} starts each, alternating; ms")
    print(f"{'':<20}{'healthy p50':>12}{'min':>8}{'max':>8}{'first answer p50':>18}")
    for name, samples in times.items():
        healthy = [h * 1000 for h, _ in samples]
        first = [f * 1000 for _, f in samples]
        print(
            f"{name:<20}{median(healthy):>12.0f}{min(healthy):>8.0f}{max(healthy):>8.0f}"
            f"{median(first):>18.1f}"
        )
    ours, floor = times["tradefact"], times["floor (bare Bolt)"]
    by_p50 = median(h for h, _ in ours) / median(h for h, _ in floor)
    by_min = min(h for h, _ in ours) / min(h for h, _ in floor)
    print(f"{'ratio':<20}{by_p50:>11.2f}×{by_min:>7.2f}×   (target ≤ 1.50×)")
    print(
        f"tradefact build (the command, from data/): median {median(builds):.2f} s of 3"
        f" ({', '.join(f'{b:.2f}' for b in builds)}) (target ≤ 2 s)"
    )


if __name__ == "__main__":
    main()
