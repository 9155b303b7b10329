"""The floor: a bare Bolt app that acks /tradefact with a constant, on tradefact serve's stack.

Same uvicorn settings (bot.server.uvicorn_config: WEB_CONCURRENCY workers, default 2), same ASGI
wrapper (/slack/events, /healthz, the signature checked before the body is parsed, 8 threads for
Bolt), process_before_response=True, the same authorize function (no auth.test), and the signing
secret and token from the same environment variables. Only the listener differs: no store, no
parsing, no template, no state database.

Run, with the variables tradefact serve reads (bench/http.py and bench/startup.py start it):
    SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=xoxb-… python bench/floor_app.py --port 3001
"""

from __future__ import annotations

import sys
from pathlib import Path

# A script's own directory comes first on sys.path, and bench/http.py would hide the standard
# library's http package: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

from slack_bolt import Ack, App  # noqa: E402
from slack_bolt.authorization import AuthorizeResult  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.config import web_workers  # noqa: E402
from bot.server import DEFAULT_WORKERS, ASGIApp, create_asgi, run  # noqa: E402

CONSTANT = "Mexico bought $334.5 billion of U.S. goods in 2024."


def create_floor_app(signing_secret: str, token: str, api_url: str) -> App:
    """A Bolt app configured like bot.app.create_app whose only listener acks a constant."""
    app = App(
        name="floor",
        # Bolt calls auth.test once, on the first request, as it does for tradefact serve.
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        process_before_response=True,
        authorize=lambda enterprise_id, team_id: AuthorizeResult(
            enterprise_id=enterprise_id, team_id=team_id, bot_token=token
        ),
    )

    @app.command("/tradefact")
    def constant(ack: Ack) -> None:
        ack(CONSTANT)

    return app


def floor_asgi() -> ASGIApp:
    """One worker's app (uvicorn calls this in each worker process)."""
    secret, token = os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_BOT_TOKEN"]
    api_url = os.environ.get("SLACK_API_URL", "https://slack.com/api/")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return create_asgi(create_floor_app(secret, token, api_url), secret)


def main() -> int:
    """Serve the floor app until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3001)
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    # As bot.app.configure_logging does for tradefact serve.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    workers = args.workers or web_workers(os.environ, DEFAULT_WORKERS)
    run("bench.floor_app:floor_asgi", args.host, args.port, workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
