"""Time signed /tradefact commands in OAuth mode against single-workspace mode and the floor.

Run: python bench/oauth.py   (builds the store into a temp dir; ~1 min)

In OAuth mode every request is authorised from its workspace's installation in the state
database (bot.workspaces.StoredAuthorize: one SELECT, no auth.test), where single-workspace mode
uses the one token it was given. Three servers on the same uvicorn stack (the floor is
bench/floor_app.py), measured warm in alternating blocks; the OAuth server's workspace is
installed first through /slack/install and /slack/oauth_redirect against the fake Slack.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and bench/http.py would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

from bench.harness import (  # noqa: E402
    FakeSlack,
    Run,
    floor_server,
    median,
    questions,
    running,
    send,
    server_env,
    tradefact_server,
)
from facts.load import build  # noqa: E402

CONCURRENCY = 8


def install(port: int, fake: FakeSlack) -> None:
    """Install workspace T0001 (the slash command payload's team) as a browser would."""
    fake.add_workspace("bench-code", "T0001", "xoxb-bench-oauth", "UBOT")
    base = f"http://127.0.0.1:{port}"
    with urllib.request.urlopen(f"{base}/slack/install", timeout=10) as page:
        state = re.search(r"state=([0-9a-f-]+)", page.read().decode())
        cookie = (page.headers["Set-Cookie"] or "").split(";")[0]
    assert state is not None, "no state on the install page"
    query = urllib.parse.urlencode({"code": "bench-code", "state": state[1]})
    request = urllib.request.Request(f"{base}/slack/oauth_redirect?{query}")
    request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as done:
        assert done.status == 200


def main() -> None:
    """Print p50/p99 and requests/s of the three servers and the ratios to the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="alternating warm rounds")
    args = parser.parse_args()
    texts = questions()
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        db, log = Path(tmp) / "facts.duckdb", Path(tmp) / "servers.log"
        build(ROOT / "data", db)
        env, url = server_env(fake, db), fake.response_url("bench")
        oauth_env = {
            **env,
            "SLACK_BOT_TOKEN": "",
            "SLACK_CLIENT_ID": fake.client_id,
            "SLACK_CLIENT_SECRET": fake.client_secret,
            "TRADEFACT_STATE_DB": str(Path(tmp) / "oauth.sqlite3"),
        }
        with (
            running(floor_server(env, log)) as floor,
            running(tradefact_server(env, log)) as single,
            running(tradefact_server(oauth_env, log)) as oauth,
        ):
            install(oauth.port, fake)
            ports = {"floor": floor.port, "single": single.port, "oauth": oauth.port}
            for port in ports.values():  # warm-up: every question once in each worker
                send(port, url, texts * 2, CONCURRENCY)
            blocks: dict[str, list[tuple[Run, Run]]] = {name: [] for name in ports}
            for _ in range(args.rounds):
                for name, port in ports.items():
                    blocks[name].append(
                        (send(port, url, texts), send(port, url, texts * 3, CONCURRENCY))
                    )
    _report(blocks, len(texts), args.rounds)


def _report(blocks: dict[str, list[tuple[Run, Run]]], n: int, rounds: int) -> None:
    print(f"/tradefact warm over loopback, {n} questions, {rounds} alternating rounds, ms")
    print(f"{'':<26}{'1-at-a-time p50':>16}{'p99':>8}{f'{CONCURRENCY} at a time p50':>18}"
          f"{'p99':>8}{'req/s':>8}{'errors':>8}")  # fmt: skip
    stats = {}
    for name, runs in blocks.items():
        one = [t for r, _ in runs for t in r.latencies]
        many = [t for _, r in runs for t in r.latencies]
        rate = median(r.rate for _, r in runs)
        errors = sum(a.errors + b.errors for a, b in runs)
        stats[name] = (Run(one, 1, 0).ms(50), Run(one, 1, 0).ms(99), Run(many, 1, 0).ms(50),
                       Run(many, 1, 0).ms(99), rate)  # fmt: skip
        p50, p99, m50, m99, _ = stats[name]
        print(f"{name:<26}{p50:>16.2f}{p99:>8.2f}{m50:>18.2f}{m99:>8.2f}{rate:>8.0f}{errors:>8}")
    for name in ("single", "oauth"):
        ratios = [a / b for a, b in zip(stats[name], stats["floor"], strict=True)]
        print(f"{'ratio ' + name + '/floor':<26}{ratios[0]:>15.2f}×{ratios[1]:>7.2f}×"
              f"{ratios[2]:>17.2f}×{ratios[3]:>7.2f}×{ratios[4]:>7.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
