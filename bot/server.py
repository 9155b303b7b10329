"""serve(): Slack's HTTP requests at /slack/events and GET /healthz, under gunicorn."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest

from bot.app import configure_logging, create_app
from bot.config import Settings
from facts.store import FactStore

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1 << 20  # Slack's payloads are a few kB; refuse anything near this
# Answers take milliseconds, so a few threads keep up with a whole workspace; the rest wait in
# the listen queue rather than in memory.
THREADS = 8
_NEWER_SETTINGS = frozenset({"control_socket_disable"})  # skipped where gunicorn lacks them


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
    # Open the store here, in the arbiter, so that a missing or broken store stops startup with
    # a clear message; the worker then reopens the checked file without the data check.
    checked = open_store()
    db_path = checked.path
    checked.close()  # DuckDB connections must not cross fork()
    configure_logging()

    def load() -> WSGIApplication:
        return create_wsgi(create_app(settings, FactStore.open(db_path)))

    _Gunicorn(load, gunicorn_options(host, port)).run()
    return 0


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
    """Bolt's WSGI handler, answering 400 to a body Bolt cannot decode instead of crashing."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Dispatch to Bolt; a body that is not UTF-8 or JSON where JSON is due gets a 400."""
        try:
            return super().dispatch(request)
        except ValueError:  # raised while parsing, before the signature is checked
            return BoltResponse(status=400, body="Bad Request")


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


def _content_length(environ: WSGIEnvironment) -> int:
    text = str(environ.get("CONTENT_LENGTH") or "0")
    return int(text) if text.isdigit() else 0


def _plain(start_response: StartResponse, status: str, body: bytes) -> Iterable[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [body]
