"""serve(): Slack's HTTP requests at /slack/events and GET /healthz, under uvicorn.

Why uvicorn (with httptools) and this small ASGI app rather than gunicorn's threads or Bolt's
own ASGI adapter: a connection costs a coroutine, not a thread, so slow or idle clients tie up
nothing; the request line and headers must arrive within HEADER_TIMEOUT_S and the body within
BODY_TIMEOUT_S; a request without a fresh timestamp and a signature is refused before its body
is read, and one whose HMAC is wrong before its body is parsed. Bolt's own ASGI adapter runs the
(synchronous) App on the event loop, where one slow listener would stop every connection: here
the signed request goes to a pool of THREADS threads, and only its few milliseconds of work run
there. uvicorn's supervisor runs `workers` processes on one socket, restarts one that dies, and
replaces them all on SIGHUP.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

if TYPE_CHECKING:
    import uvicorn

    from bot.config import Settings
    from facts.store import FactStore

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1 << 20  # Slack's payloads are a few kB; refuse anything near this
MAX_AGE_S = 300  # Slack's rule: a request older than 5 minutes is a replay
HEADER_TIMEOUT_S = 10.0  # from connect (or the last response) to the end of the headers
BODY_TIMEOUT_S = 10.0  # from the end of the headers to the end of the body
KEEPALIVE_S = 5
# Answers take milliseconds, so a few threads keep up with a whole workspace; slow clients
# never hold one (they are awaited on the event loop until their body is complete).
THREADS = 8
STORE_ENV = "TRADEFACT_SERVE_STORE"  # the private copy of the store that workers open
REFUSED = "Refused a request without a valid signature from the last 5 minutes (HTTP 401)"
DEFAULT_WORKERS = 2  # WEB_CONCURRENCY: processes, each with its threads and its job runner

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def create_asgi(
    app: App,
    secret: str,
    on_start: Callable[[], None] = lambda: None,
    on_stop: Callable[[], None] = lambda: None,
    clock: Callable[[], float] = time.time,
) -> ASGIApp:
    """The ASGI app: Bolt at POST /slack/events (signed requests only), GET /healthz, 404."""
    pool = ThreadPoolExecutor(THREADS, thread_name_prefix="tradefact-http")

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, on_start, on_stop)
            pool.shutdown()
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            # The app is only built once the store is open, so reaching here means healthy.
            await _plain(send, 200, b"ok\n")
            return
        if method == "GET" and app.oauth_flow is not None and path in _oauth_paths(app):
            # The install page and Slack's redirect after "Allow": a browser, never signed.
            query = scope.get("query_string", b"").decode("latin-1")
            loop = asyncio.get_running_loop()
            args = (app, path, query, _headers(scope))
            await _send_bolt(send, await loop.run_in_executor(pool, _oauth, *args))
            return
        if path != SLACK_PATH or method != "POST":
            await _plain(send, 404, b"Not Found")
            return
        headers = _headers(scope)
        if "content-length" not in headers:  # Slack always sends one: no chunked bodies
            await _plain(send, 411, b"length required\n")
            return
        if _length(headers) > MAX_BODY_BYTES:
            await _plain(send, 413, b"too large\n")
            return
        if not _fresh(headers, clock()):  # no body read for a request Slack can't have sent
            await _refuse(send)
            return
        body = await _read_body(receive)
        if isinstance(body, int):
            await _plain(send, body, b"too large\n" if body == 413 else b"too slow\n")
            return
        if not _signed(secret, headers, body):
            await _refuse(send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        loop = asyncio.get_running_loop()
        bolt_headers: dict[str, str | Sequence[str]] = {**headers}
        response = await loop.run_in_executor(pool, _dispatch, app, body, query, bolt_headers)
        await _send_bolt(send, response)

    return asgi


async def _lifespan(
    receive: Receive, send: Send, on_start: Callable[[], None], on_stop: Callable[[], None]
) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            on_start()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_stop()
            await send({"type": "lifespan.shutdown.complete"})
            return


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _length(headers: dict[str, str]) -> int:
    text = headers.get("content-length", "0")
    return int(text) if text.isdigit() and len(text) < 20 else MAX_BODY_BYTES + 1


def _fresh(headers: dict[str, str], now: float) -> bool:
    """A signature header and a timestamp within MAX_AGE_S of now (either way)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 16):
        return False
    return signature.startswith("v0=") and abs(now - int(timestamp)) <= MAX_AGE_S


def _signed(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    base = b"v0:" + headers["x-slack-request-timestamp"].encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), headers["x-slack-signature"].encode("latin-1"))


async def _read_body(receive: Receive) -> bytes | int:
    """The whole body, or 413 past MAX_BODY_BYTES, or 408 if it takes over BODY_TIMEOUT_S."""
    chunks, size = [], 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return 400
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    return 413
                chunks.append(chunk)
                if not message.get("more_body"):
                    return b"".join(chunks)
    except TimeoutError:
        return 408


def _dispatch(
    app: App, body: bytes, query: str, headers: dict[str, str | Sequence[str]]
) -> BoltResponse:
    """Run Bolt on a signed request (in a pool thread): 400 for a body it cannot parse."""
    try:
        request = BoltRequest(body=body.decode("utf-8"), query=query, headers=headers)
    except (ValueError, TypeError, AttributeError, LookupError):
        # Bolt parses the body and reads ids out of it as it builds the request: a body that
        # isn't UTF-8, or JSON where JSON is due, would be a 500.
        return BoltResponse(status=400, body="Bad Request")
    _fix_form_body(request)
    return app.dispatch(request)


def _oauth_paths(app: App) -> tuple[str, str]:
    flow = app.oauth_flow
    return (flow.install_path, flow.redirect_uri_path) if flow else ("", "")


def _oauth(app: App, path: str, query: str, headers: dict[str, str]) -> BoltResponse:
    """Bolt's OAuth flow: the "Add to Slack" page, or the redirect that completes an install."""
    flow = app.oauth_flow
    assert flow is not None
    bolt_headers: dict[str, str | Sequence[str]] = {**headers}
    request = BoltRequest(body="", query=query, headers=bolt_headers)
    if path == flow.install_path:
        return flow.handle_installation(request)
    return flow.handle_callback(request)


def _fix_form_body(request: BoltRequest) -> None:
    """Parse a form body that Bolt mistook for an interactive payload.

    Bolt reads any form body containing the word "payload" as a `payload=` JSON field and, when
    there is none, as empty: `/tradefact payload` would then be an unhandled request (404).
    """
    raw = request.raw_body
    if request.body or not raw or raw.lstrip().startswith("{"):
        return
    params = dict(parse_qsl(raw, keep_blank_values=True))
    if params and "payload" not in params:
        request.body = params
        request.context = build_context(BoltContext({}), params)


async def _refuse(send: Send) -> None:
    logger.info(REFUSED)  # one fixed line: never the body or the headers
    await _plain(send, 401, b'{"error": "invalid request"}', "application/json")


async def _plain(send: Send, status: int, body: bytes, kind: str = "text/plain") -> None:
    headers = [
        (b"content-type", f"{kind}; charset=utf-8".encode()),
        (b"content-length", b"%d" % len(body)),
    ]
    if status in (400, 408, 411, 413):  # the rest of the request may still be coming: hang up
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_bolt(send: Send, response: BoltResponse) -> None:
    body = response.body.encode() if isinstance(response.body, str) else response.body
    headers = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, values in response.headers.items()
        for value in values
        if name.lower() != "content-length"
    ]
    headers.append((b"content-length", b"%d" % len(body)))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class TimedHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools), closing a connection whose headers take too long.

    uvicorn itself times out idle keep-alive connections but not a request line or headers that
    trickle in (slowloris): each such connection is cheap here, but not free.
    """

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the header clock as the connection opens."""
        super().connection_made(transport)
        self._start_header_clock()

    def data_received(self, data: bytes) -> None:
        """Start the header clock when a new request begins on a kept-alive connection."""
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._start_header_clock()
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle and self._header_timer is not None:  # headers complete
            self._header_timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _start_header_clock(self) -> None:
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT_S, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()


# --- the process: a checked store, then uvicorn's supervisor and its workers -----------------


def serve(
    settings: Settings,
    open_store: Callable[[], FactStore],
    state_target: str,
    host: str,
    port: int,
    workers: int,
) -> int:
    """Check the store and the state database, then serve until stopped; the exit status."""
    from bot.app import configure_logging
    from bot.state import open_state

    # A missing or broken store stops startup with a clear message, here in the supervisor.
    checked = open_store()
    db_path = checked.path
    checked.close()
    open_state(state_target, pool_size=1).close()  # migrations run once, before any worker
    if settings.oauth:  # and the OAuth tables are made
        from bot.workspaces import Installations

        Installations.open(state_target, settings.client_id).close()
    configure_logging()
    # The workers open a private copy: a store damaged or replaced under a running server can't
    # stop a worker that restarts (after a crash or a SIGHUP) from booting.
    private = Path(tempfile.mkdtemp(prefix="tradefact-store-"))
    try:
        shutil.copyfile(db_path, private / db_path.name)
        os.environ[STORE_ENV] = str(private / db_path.name)
        run("bot.server:worker_app", host, port, workers)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return 0


def worker_app() -> ASGIApp:
    """Build one worker's app (uvicorn calls this in each worker process)."""
    from bot.app import configure_logging, create_app
    from bot.config import Settings, default_timezone, state_target
    from bot.replies import warm_up
    from bot.state import open_state
    from bot.workspaces import Installations
    from facts.store import FactStore

    configure_logging()
    settings = Settings.from_env(os.environ, "http")
    store = FactStore.open(Path(os.environ[STORE_ENV]))
    target = state_target(os.environ)
    state = open_state(target)
    installations = Installations.open(target, settings.client_id) if settings.oauth else None
    zone = default_timezone(os.environ)
    bot = create_app(settings, store, state, installations, zone)
    # Before /healthz answers: claim verdicts, annual figures and the template are ready.
    warm_up(store)
    return create_asgi(bot.app, settings.signing_secret, bot.runner.start, bot.runner.stop)


def uvicorn_config(app: str, host: str, port: int, workers: int) -> uvicorn.Config:
    """The uvicorn settings `tradefact serve` runs with (`app`: "module:factory")."""
    import uvicorn

    return uvicorn.Config(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=TimedHttpProtocol,
        lifespan="on",
        timeout_keep_alive=KEEPALIVE_S,
        timeout_graceful_shutdown=10,
        access_log=False,  # no per-request log lines: they cost time and say little here
        log_config=None,  # bot.app.configure_logging
        server_header=False,
        date_header=False,
        proxy_headers=False,
    )


def run(app: str, host: str, port: int, workers: int) -> None:
    """Serve `app` with uvicorn_config under uvicorn's supervisor (also with one worker)."""
    from uvicorn.supervisors import Multiprocess

    config = uvicorn_config(app, host, port, workers)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
