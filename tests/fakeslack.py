"""Fakes of Slack for tests: the Web API over HTTP and Socket Mode over WebSocket, on 127.0.0.1.

    with FakeSlack() as slack:              # slack.url == "http://127.0.0.1:PORT/api/"
        slack.fail("chat.postMessage", retry_after=1)        # one 429, then success
        ...                                                  # point SLACK_API_URL at slack.url
        [call] = slack.wait_for("chat.postMessage", ok=True)
        call.params["thread_ts"]

Every request is recorded as a Call, including the failed ones. Faults are queued per method and
used up in order. POSTs to `slack.response_url(name)` are recorded as the method "response_url".

Files go up as files_upload_v2 sends them: files.getUploadURLExternal (filename, length) gives an
upload URL and a file id; the bytes are POSTed to that URL (recorded as the method "upload");
files.completeUploadExternal shares the uploaded files in a channel or thread. `slack.uploaded(id)`
returns a file's bytes and where it was shared.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

RESPONSE_URL = "response_url"  # the pseudo-method of POSTs to a response_url
UPLOAD = "upload"  # the pseudo-method of POSTs to an upload URL from files.getUploadURLExternal


class _Server(ThreadingHTTPServer):
    """Slack accepts every connection: a listen backlog of 5 (Python's default) would time out
    connects under load, a failure of the test machine, not of the Web API."""

    request_queue_size = 128


@dataclass(frozen=True)
class Call:
    """One request the fake received, and how it answered."""

    method: str  # "chat.postMessage", or "response_url"
    params: dict[str, Any]  # JSON body, form fields or query string
    headers: dict[str, str]  # lower-case names
    path: str
    status: int  # the HTTP status the fake answered with (0: connection reset)
    ok: bool  # True when the fake answered with success
    at: float  # time.monotonic() on arrival


@dataclass
class Fault:
    """How to answer the next `times` calls of a method instead of succeeding."""

    status: int = 200
    error: str | None = None  # Slack's error code, in {"ok": false, "error": ...}
    retry_after: int | None = None  # with status 429
    delay: float = 0.0  # seconds to wait before answering
    reset: bool = False  # close the connection without answering
    times: int = 1

    @property
    def succeeds(self) -> bool:
        """True for a fault that only delays a successful answer."""
        return self.status == 200 and self.error is None and not self.reset


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # file id -> upload
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> posts


class FakeSlack:
    """A recording, scriptable Slack Web API on an ephemeral loopback port."""

    def __init__(self, bot_user_id: str = "UBOT", bot_id: str = "BBOT", team_id: str = "T0001"):
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.team_id = team_id
        self.socket_url: str | None = None  # what apps.connections.open returns
        # Workspaces (OAuth): the client's credentials, codes to exchange, and each bot token's
        # workspace. A token not listed is the default workspace's (team_id, bot_user_id).
        self.client_id, self.client_secret = "1234.5678", "test-client-secret-3e9d"
        self.codes: dict[str, dict[str, Any]] = {}  # code -> oauth.v2.access answer
        self.teams: dict[str, dict[str, Any]] = {}  # bot token -> auth.test answer
        self.user_channels: dict[str, list[str]] = {}  # users.conversations, per user
        self.not_member: set[str] = set()  # channels conversations.info says the bot isn't in
        self.admins: set[str] = set()  # users.info is_admin
        self.user_tz: dict[str, str] = {}  # users.info tz (default America/Chicago)
        self._state = _State()
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The Web API base URL, for SLACK_API_URL: http://127.0.0.1:PORT/api/"""
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url for a payload; POSTs to it are recorded as method "response_url"."""
        return f"{self.base}/response/{name}"

    # --- scripting -------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
        reset: bool = False,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with a fault.

        fail(m, retry_after=2): HTTP 429 with Retry-After: 2. fail(m, status=500): HTTP 500.
        fail(m, error="not_in_channel"): HTTP 200 {"ok": false, ...}. fail(m, reset=True): drop
        the connection. fail(m, delay=3): a slow success (or a slow fault, with the above).
        """
        if status is None:
            status = 429 if retry_after is not None else 200 if error or reset or delay else 500
        fault = Fault(status, error, retry_after, delay, reset, times)
        with self._changed:
            self._state.faults.setdefault(method, []).append(fault)

    def reply(self, method: str, **fields: Any) -> None:
        """Answer successful calls of `method` with {"ok": true, **fields}."""
        with self._changed:
            self._state.replies[method] = {"ok": True, **fields}

    def add_workspace(
        self,
        code: str,
        team_id: str,
        token: str,
        bot_user_id: str = "UBOT",
        enterprise_id: str | None = None,
    ) -> None:
        """Let `code` be exchanged (oauth.v2.access) for `token`, a bot token of `team_id`.

        An empty `team_id` with an `enterprise_id` is an org-wide install (Enterprise Grid).
        """
        org = bool(enterprise_id) and not team_id
        team = {"id": team_id, "name": f"Team {team_id}"} if team_id else None
        self.codes[code] = {
            "ok": True,
            "app_id": "A0TRADEFACT",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "commands,chat:write,app_mentions:read",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": bot_user_id,
            "team": team,
            "enterprise": {"id": enterprise_id, "name": "Org"} if enterprise_id else None,
            "is_enterprise_install": org,
        }
        self.teams[token] = {
            "ok": True,
            "url": f"https://{(team_id or str(enterprise_id)).lower()}.slack.com/",
            "team": team["name"] if team else "Org",
            "user": "tradefact",
            "team_id": team_id or None,
            "user_id": bot_user_id,
            "bot_id": f"B{team_id or enterprise_id}",
            "enterprise_id": enterprise_id,
            "is_enterprise_install": org,
        }

    def clear(self) -> None:
        """Forget all calls, faults and custom replies."""
        with self._changed:
            self._state = _State()

    # --- inspection ------------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[Call]:
        """The calls received so far, oldest first, for one method and/or outcome."""
        with self._changed:
            return [
                call
                for call in self._state.calls
                if (method is None or call.method == method) and (ok is None or call.ok == ok)
            ]

    def uploaded(self, file_id: str) -> dict[str, Any]:
        """A file: filename, length, data (the bytes POSTed), title, channel_id, thread_ts."""
        with self._changed:
            return dict(self._state.files[file_id])

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, *, ok: bool | None = None
    ) -> list[Call]:
        """Wait for `count` calls of `method`; return them all (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := self.calls(method, ok=ok)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._state.calls]
                    raise AssertionError(f"{count} × {method} not received in {timeout} s: {seen}")
                self._changed.wait(left)
        return found

    # --- answering -------------------------------------------------------------------------

    def _answer(
        self, path: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[Fault | None, int, dict[str, str], bytes]:
        arrived = time.monotonic()
        method = RESPONSE_URL if path.startswith("/response/") else path.rsplit("/", 1)[-1]
        if path.startswith("/upload/"):
            method = UPLOAD
        with self._changed:
            fault = self._next_fault(method)
            if fault is not None and not fault.succeeds:
                status, extra, body, ok = *_fault_response(fault), False
            else:
                answer = self._success(method, params, headers)
                ok = isinstance(answer, str) or answer["ok"] is True
                status, extra = (404, {}) if answer == _NOT_FOUND else (200, {})
                body = _json(answer) if isinstance(answer, dict) else answer.encode()
            if fault is not None and fault.reset:
                status = 0
            self._state.calls.append(Call(method, params, headers, path, status, ok, arrived))
            self._changed.notify_all()
        return fault, status, extra, body

    def _next_fault(self, method: str) -> Fault | None:
        queue = self._state.faults.get(method, [])
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    def _success(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> dict[str, Any] | str:
        if method == RESPONSE_URL:
            return "ok"
        if method == UPLOAD:
            return self._upload(params)
        if method == "oauth.v2.access":
            return self._exchange(params, headers)
        token = _token(params, headers)
        if not token:
            return {"ok": False, "error": "not_authed"}
        if method in self._state.replies:
            return self._state.replies[method]
        if method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
            return self._file_method(method, params)
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_url or "ws://127.0.0.1:9/none"}
        if method == "auth.test" and token in self.teams:
            return self.teams[token]
        if method in (
            "views.publish",
            "views.open",
            "users.info",
            "conversations.info",
            "users.conversations",
        ):
            return self._workspace_read(method, params)
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "tradefact",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        if method in ("conversations.history", "conversations.replies"):
            return self._read(method, params)
        if method == "chat.update":
            return self._update(params)
        ts = f"{1_800_000_000 + next(self._ts)}.000100"  # after every payload's ts
        if method == "chat.postMessage":
            message = {k: params.get(k) for k in ("text", "blocks", "thread_ts") if k in params}
            kept = {"type": "message", "ts": ts, "user": self.bot_user_id, "bot_id": self.bot_id}
            kept["text"] = params.get("text", "")
            for name in ("metadata", "thread_ts", "blocks"):
                if params.get(name):
                    kept[name] = params[name]
            self._state.history.setdefault(str(params.get("channel")), []).append(kept)
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        return {"ok": False, "error": "unknown_method"}

    def _exchange(self, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access: the client's credentials (HTTP basic auth) and a known code."""
        import base64

        basic = headers.get("authorization", "").removeprefix("Basic ")
        credentials = base64.b64decode(basic).decode() if basic else ""
        if credentials != f"{self.client_id}:{self.client_secret}":
            return {"ok": False, "error": "invalid_client_id"}
        return self.codes.pop(str(params.get("code")), {"ok": False, "error": "invalid_code"})

    def _workspace_read(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        user = str(params.get("user") or params.get("user_id") or "")
        if method in ("views.publish", "views.open"):
            kind = "home" if method == "views.publish" else "modal"
            return {"ok": True, "view": {"id": "V1", "type": kind}}
        if method == "users.info":
            tz = self.user_tz.get(user, "America/Chicago")
            return {"ok": True, "user": {"id": user, "tz": tz, "is_admin": user in self.admins}}
        if method == "conversations.info":
            channel = str(params.get("channel"))
            return {
                "ok": True,
                "channel": {"id": channel, "is_member": channel not in self.not_member},
            }
        channels = [{"id": c} for c in self.user_channels.get(user, [])]
        return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}

    def _read(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """conversations.history (newest first) or .replies (a thread, oldest first), one page.

        `metadata` only with include_all_metadata, as Slack does. `oldest` and `latest` are not
        applied: the fake's ts are not wall-clock times.
        """
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        posted = self._state.history.get(str(params.get("channel")), [])
        if method == "conversations.replies":
            thread = str(params.get("ts"))
            posted = [m for m in posted if thread in (m["ts"], m.get("thread_ts"))]
        else:
            posted = list(reversed(posted))
        messages = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in posted
        ]
        return {"ok": True, "messages": messages, "has_more": False}

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """The messages the bot posted (and updated) in a channel, oldest first."""
        with self._changed:
            return [dict(m) for m in self._state.history.get(channel, [])]

    def _update(self, params: dict[str, Any]) -> dict[str, Any]:
        """chat.update: replace a posted message's text and blocks (message_not_found otherwise)."""
        posted = self._state.history.get(str(params.get("channel")), [])
        found = next((m for m in posted if m["ts"] == params.get("ts")), None)
        if found is None:
            return {"ok": False, "error": "message_not_found"}
        found.update({k: params[k] for k in ("text", "blocks") if k in params})
        return {
            "ok": True,
            "channel": params.get("channel"),
            "ts": found["ts"],
            "text": found["text"],
        }

    def _file_method(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":
            length = str(params.get("length", ""))
            if not params.get("filename") or not length.isdigit() or int(length) < 1:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ts):08d}"
            self._state.files[file_id] = {"filename": params["filename"], "length": int(length)}
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        try:
            wanted = json.loads(str(params.get("files", "")))
        except json.JSONDecodeError:
            return {"ok": False, "error": "invalid_arguments"}
        shared = []
        for item in wanted:
            upload = self._state.files.get(str(item.get("id")))
            if upload is None or "data" not in upload:  # never uploaded to its URL
                return {"ok": False, "error": "file_not_found"}
            if len(upload["data"]) != upload["length"]:
                return {"ok": False, "error": "file_upload_size_mismatch"}
            upload.update(title=item.get("title"), channel_id=params.get("channel_id"),
                          thread_ts=params.get("thread_ts"))  # fmt: skip
            shared.append(
                {"id": item["id"], "title": item.get("title"), "name": upload["filename"]}
            )
        return {"ok": True, "files": shared}

    def _upload(self, params: dict[str, Any]) -> str:
        upload = self._state.files.get(str(params.get("file_id")))
        if upload is None:
            return _NOT_FOUND
        upload["data"] = params["data"]
        return f"OK - {len(params['data'])}"


_NOT_FOUND = "Not Found"


def _fault_response(fault: Fault) -> tuple[int, dict[str, str], bytes]:
    if fault.status == 429:
        headers = {"Retry-After": str(fault.retry_after if fault.retry_after is not None else 1)}
        return 429, headers, _json({"ok": False, "error": "ratelimited"})
    if fault.error is not None:
        return fault.status, {}, _json({"ok": False, "error": fault.error})
    return fault.status, {}, b"Internal Server Error"


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def _token(params: dict[str, Any], headers: dict[str, str]) -> str:
    bearer = headers.get("authorization", "")
    return bearer.removeprefix("Bearer ").strip() or str(params.get("token", ""))


def _parse(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query))
    if not body:
        return params
    if "json" in content_type:
        params.update(json.loads(body))
    else:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            self._handle()

        def do_GET(self) -> None:  # noqa: N802
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if split.path.startswith("/upload/"):  # the file's bytes, whatever the content type
                params: dict[str, Any] = {"file_id": split.path.rsplit("/", 1)[-1], "data": body}
            else:
                params = _parse(body, headers.get("content-type", ""), split.query)
            fault, status, extra, payload = fake._answer(split.path, params, headers)
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            if fault is not None and fault.reset:
                # SO_LINGER 0: close() sends a TCP reset instead of a clean end of stream.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                return
            self.send_response(status)
            content_type = "application/json" if payload.startswith(b"{") else "text/plain"
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


class FakeSocketMode:
    """Slack's Socket Mode end: a loopback WebSocket server the bot connects to.

    Set FakeSlack.socket_url = fake.url, then send() envelopes and wait_for_ack() their acks.
    """

    def __init__(self) -> None:
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self.received: list[dict[str, Any]] = []

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    @property
    def url(self) -> str:
        """The ws:// URL apps.connections.open should return."""
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=fake"

    def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until the bot has connected (AssertionError if it doesn't)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._connections, timeout):
                raise AssertionError(f"no Socket Mode connection within {timeout} s")

    def send(self, envelope: dict[str, Any]) -> None:
        """Send an envelope to the most recent connection."""
        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The bot's acknowledgement of `envelope_id` (AssertionError if none arrives)."""
        with self._changed:
            found = self._changed.wait_for(lambda: self._ack(envelope_id), timeout)
        if not found:
            raise AssertionError(f"no ack for envelope {envelope_id} within {timeout} s")
        return found

    def _ack(self, envelope_id: str) -> dict[str, Any] | None:
        return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        for message in _messages(connection):
            with self._changed:
                self.received.append(json.loads(message))
                self._changed.notify_all()


def _messages(connection: ServerConnection) -> Iterator[str | bytes]:
    try:
        yield from connection
    except ConnectionClosed:  # the bot went away: end the session quietly
        return


# --- a fake for slow answers (tests/test_digest*.py, tests/test_bot_faults.py) ---------------


class FakeSlackWithHistory(FakeSlack):
    """A FakeSlack quiet about clients that hung up on a slow answer (as ours will on timeouts)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self._server.handle_error = self._handle_error  # type: ignore[method-assign]

    def __enter__(self) -> FakeSlackWithHistory:
        super().__enter__()
        return self

    def _handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            ThreadingHTTPServer.handle_error(self._server, request, client_address)  # type: ignore[arg-type]
