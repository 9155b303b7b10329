"""Helpers for the bot's tests: real-shaped Slack payloads, signed requests, the real server."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fakeslack import FakeSlack

REPO = Path(__file__).resolve().parent.parent
PAYLOADS = Path(__file__).resolve().parent / "payloads"
SECRET = "test-signing-secret-8c1f"
BOT_TOKEN = "xoxb-test-5f2e9a"
APP_TOKEN = "xapp-test-7d41b0"
BOT_USER_ID = "UBOT"


# The only <…> a reply may contain: links the renderer made (<url|label>), never a user's markup.
_MARKUP = re.compile(r"<[^>]*>")
_LINK = re.compile(r"<https?://[^|>\s]+(\|[^<>]*)?>")
# What a reply or an HTTP body must never show: a traceback, a path on the server, the engine.
INTERNALS = ("Traceback", 'File "', "/work/", "site-packages", ".py", "duckdb", str(REPO))


def sent_text(data: Any) -> str:
    """Every string of a reply that Slack shows (text, blocks; not a button's value), joined."""
    if isinstance(data, str):
        return data + "\n"
    if isinstance(data, dict):
        return "".join(sent_text(v) for k, v in data.items() if k != "value")
    if isinstance(data, list):
        return "".join(sent_text(v) for v in data)
    return ""


def assert_no_user_markup(data: Any) -> None:
    """Assert that a reply holds no Slack markup but the renderer's own links."""
    text = sent_text(data)
    for markup in _MARKUP.findall(text):
        assert _LINK.fullmatch(markup), f"unescaped Slack markup sent: {markup}"
    for control in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil"):
        assert control not in text


def assert_no_internals(text: str, echo: str = "") -> None:
    """Assert that `text` shows no traceback, server path or database detail (unless in `echo`)."""
    for internal in INTERNALS:
        if internal.lower() not in echo.lower():
            assert internal not in text, f"{internal!r} shown: {text[:300]!r}"


def payload(name: str) -> dict[str, Any]:
    """A payload from tests/payloads/NAME.json."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


def slash_command(text: str, response_url: str, **fields: str) -> str:
    """A /tradefact request body, form-encoded as Slack sends it."""
    form = {**payload("slash_command"), "text": text, "response_url": response_url, **fields}
    return urlencode(form)


def event_callback(name: str, text: str | None = None, **event: Any) -> str:
    """An Events API body from payloads/NAME.json with a fresh event_id and `event` fields set."""
    body = payload(name)
    body["event_id"] = f"Ev{uuid.uuid4().hex[:10].upper()}"
    if text is not None:
        body["event"]["text"] = text
    body["event"].update(event)
    return json.dumps(body)


def block_action(
    value: str, response_url: str, user_id: str = "U2147483697", message_ts: str | None = None
) -> str:
    """A share-button click, form-encoded as Slack sends it, on a new message unless given."""
    body = payload("block_actions")
    body["container"]["message_ts"] = message_ts or f"{time.time():.6f}{uuid.uuid4().int % 10}"
    body["actions"][0]["value"] = value
    body["response_url"] = response_url
    body["user"]["id"] = user_id
    return urlencode({"payload": json.dumps(body)})


def signature_headers(
    body: str, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """X-Slack-Request-Timestamp and an X-Slack-Signature v0 for `body`, as Slack computes it."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class HttpResult:
    """An HTTP response: status, headers and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def request(url: str, body: str | None = None, headers: dict[str, str] | None = None) -> HttpResult:
    """GET (no body) or POST `url`; HTTP errors are returned, not raised."""
    data = None if body is None else body.encode()
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return HttpResult(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        return HttpResult(err.code, dict(err.headers), err.read())


def status_or_hangup(send: Callable[[], HttpResult]) -> int | None:
    """The status `send()` got, or None if the server hung up before the body was all sent.

    A server that refuses a body by its Content-Length answers and closes without reading it:
    a client still sending may see the reset before it reads the answer.
    """
    try:
        return send().status
    except (urllib.error.URLError, ConnectionError):
        return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tradefact_command() -> list[str]:
    """The installed `tradefact` script next to this Python, else `python -m bot.cli`."""
    script = Path(sys.executable).parent / "tradefact"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any SLACK_ variable (a developer's real tokens), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TRADEFACT_"))}
    return {**env, **extra}


class BotProcess:
    """A `tradefact` subcommand running as a subprocess, its stderr kept in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [*tradefact_command(), *args],
            env=env,
            cwd=REPO,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,  # its own process group: kill9() takes its workers too
        )

    def log(self) -> str:
        """Everything the process has written so far."""
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 10.0) -> None:
        """Wait until `text` appears in the log (AssertionError if it doesn't)."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} not logged; log:\n{self.log()}")
            time.sleep(0.02)

    def kill9(self) -> None:
        """SIGKILL the process and every process it started (no cleanup of any kind)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


class BotServer(BotProcess):
    """`tradefact serve` on a free loopback port, talking to `fake`, with a store built at `db`.

    Keyword arguments are more environment variables, or replace the defaults.
    """

    def __init__(
        self,
        fake: FakeSlack,
        db: Path,
        log_path: Path,
        port: int | None = None,
        workers: int = 1,
        **env: str,
    ) -> None:
        self.fake = fake
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        defaults = {
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake.url,
            "TRADEFACT_DATA_DIR": str(REPO / "data"),
            "TRADEFACT_DB": str(db),
            "TRADEFACT_STATE_DB": str(log_path.with_suffix(".state.sqlite3")),
        }
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        all_env = clean_env(**{**defaults, **env})
        self.state = all_env.get("DATABASE_URL") or all_env["TRADEFACT_STATE_DB"]
        super().__init__(args, all_env, log_path)

    def jobs(self) -> dict[str, int]:
        """How many jobs are in each status in the server's state database."""
        from bot.state import Jobs, open_state

        state = open_state(self.state, pool_size=1)
        try:
            return Jobs(state, lease=0).counts()
        finally:
            state.close()

    def wait_idle(self, timeout: float = 10.0) -> dict[str, int]:
        """Wait until no job is queued or running (each request's Slack work is over)."""
        deadline = time.monotonic() + timeout
        while (counts := self.jobs()).get("queued") or counts.get("running"):
            if time.monotonic() > deadline:
                raise AssertionError(f"jobs still waiting after {timeout} s: {counts}")
            time.sleep(0.02)
        return counts

    def wait_healthy(self, timeout: float = 20.0) -> None:
        """Poll GET /healthz until it answers 200 (AssertionError if the server dies or hangs)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"tradefact serve exited {self.process.returncode}:\n{self.log()}"
                )
            try:
                if request(f"{self.url}/healthz").status == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.02)
        raise AssertionError(f"tradefact serve not healthy after {timeout} s:\n{self.log()}")

    def post(
        self,
        body: str,
        *,
        form: bool = True,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        """POST a signed body to /slack/events, as Slack does."""
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        all_headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **signature_headers(body, secret, timestamp),
            **(headers or {}),
        }
        return request(f"{self.url}/slack/events", body, all_headers)


@contextmanager
def healthy_server(
    fake: FakeSlack, db: Path, log_path: Path, workers: int = 1, **env: str
) -> Iterator[BotServer]:
    """A BotServer that answers /healthz, stopped when the block ends."""
    server = BotServer(fake, db, log_path, workers=workers, **env)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()
