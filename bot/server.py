"""serve(): Slack's HTTP requests at /slack/events and GET /healthz, under gunicorn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from gunicorn.app.base import BaseApplication
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from bot.config import Settings
    from facts.store import FactStore

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1 << 20  # Slack's payloads are a few kB; refuse anything near this
# Answers take milliseconds, so a few threads keep up with a whole workspace; the rest wait in
# the listen queue rather than in memory.
THREADS = 8
_NEWER_SETTINGS = frozenset({"control_socket_disable"})  # skipped where gunicorn lacks them

logger = logging.getLogger(__name__)


def create_wsgi(app: App) -> WSGIApplication:
    """The WSGI app: Bolt at POST /slack/events, GET /healthz, 404 elsewhere."""
    slack = _SlackHandler(app, path=SLACK_PATH)

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            # The app is only built once the store is open, so reaching here means healthy.
            return _plain(start_response, "200 OK", b"ok\n")
        if path == SLACK_PATH and _content_length(environ) > MAX_BODY_BYTES:
            return _plain(start_response, "413 Request Entity Too Large", b"too large\n")
        return slack(environ, start_response)

    return wsgi


def serve(settings: Settings, open_store: Callable[[], FactStore], host: str, port: int) -> int:
    """Run the HTTP app under gunicorn until it is stopped; returns its exit status."""
    # Imported here, so that this module is the server stack alone: bench/floor_app.py runs a
    # bare Bolt app on it without loading the fact store's dependencies.
    from bot.app import configure_logging, create_app
    from bot.replies import warm_up
    from facts.store import FactStore

    # Open the store here, in the arbiter, so that a missing or broken store stops startup with
    # a clear message; the worker then reopens the checked file without the data check.
    checked = open_store()
    db_path = checked.path
    checked.close()  # DuckDB connections must not cross fork()
    configure_logging()

    def load() -> WSGIApplication:
        store = FactStore.open(db_path)
        wsgi = create_wsgi(create_app(settings, store))
        # Before /healthz answers: claim verdicts, annual figures and the template are ready,
        # so the first questions are not the slow ones. (Warming up in a thread beside them got
        # to healthy ~100 ms sooner but made the first concurrent answers several times slower.)
        warm_up(store)
        return wsgi

    run(load, host, port)
    return 0


def run(load: Callable[[], WSGIApplication], host: str, port: int) -> None:
    """Serve the WSGI app that `load()` builds in the worker, with gunicorn_options(host, port)."""
    _Gunicorn(load, gunicorn_options(host, port)).run()


def gunicorn_options(host: str, port: int) -> dict[str, Any]:
    """The gunicorn settings `tradefact serve` runs with."""
    return {
        "bind": [f"{host}:{port}"],
        # ONE worker process: the set of handled event ids (bot.dedupe) lives in its memory, and a
        # Slack retry that reached a second process would be answered twice. Threads give the
        # concurrency; the work per request is milliseconds of Python.
        "workers": 1,
        "worker_class": "gthread",
        "threads": THREADS,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,  # no per-request log lines: they cost time and say little here
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "tradefact",
        # No control socket (gunicorn >= 25.1): it could change the worker count at run time,
        # and it writes to $HOME.
        "control_socket_disable": True,
    }


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler, refusing what would make Bolt crash before it checks the signature."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Dispatch to Bolt: 400 for a body it cannot parse, 401 for malformed signature headers."""
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        except (ValueError, TypeError, AttributeError, LookupError):
            # Bolt parses the body and reads ids out of it before it checks the signature: a
            # body that isn't UTF-8, JSON where JSON is due, or a JSON object would be a 500.
            return BoltResponse(status=400, body="Bad Request")
        _fix_form_body(bolt_request)
        if not _well_formed_signature(bolt_request):
            # Bolt's check would raise on it, and its error handler answer 500 (or 200).
            logger.info("Refused a request with malformed signature headers (HTTP 401)")
            return BoltResponse(status=401, body={"error": "invalid request"})
        return self.app.dispatch(bolt_request)


class _Gunicorn(BaseApplication):
    """gunicorn, configured from a dict and loading the app through a function."""

    def __init__(self, load: Callable[[], WSGIApplication], options: Mapping[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply the options (no command line, no config file)."""
        for key, value in self._options.items():
            if key in self.cfg.settings or key not in _NEWER_SETTINGS:
                self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        """Build the app in the worker process."""
        return self._load()


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


def _well_formed_signature(request: BoltRequest) -> bool:
    """False for a timestamp that isn't a number or a signature that isn't ASCII."""
    timestamp = request.headers.get("x-slack-request-timestamp", ["0"])[0]
    signature = request.headers.get("x-slack-signature", [""])[0]
    number = timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 16
    return number and signature.isascii()


def _content_length(environ: WSGIEnvironment) -> int:
    text = str(environ.get("CONTENT_LENGTH") or "0")
    return int(text) if text.isdigit() else 0


def _plain(start_response: StartResponse, status: str, body: bytes) -> Iterable[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [body]
