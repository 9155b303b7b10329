"""Shared by the benchmarks: servers in their own process groups, signed slash commands over
loopback, the question set, percentiles and process memory. Load only ever targets 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # the signing helpers and the fake Slack of the test suite

from fakeslack import FakeSlack  # noqa: E402
from pgserver import PostgresServer, binaries  # noqa: E402
from slack_helpers import (  # noqa: E402
    BOT_TOKEN,
    BOT_USER_ID,
    SECRET,
    clean_env,
    event_callback,
    free_port,
    signature_headers,
    slash_command,
    tradefact_command,
)

__all__ = ["BOT_USER_ID", "event_callback", "free_port", "signature_headers"]  # for bench/*.py
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 10.0  # seconds; Slack itself gives up after 3


def questions(path: Path | None = None) -> list[str]:
    """The questions of tests/questions.yaml in file order, or those of a text file."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    entries = yaml.safe_load((TESTS / "questions.yaml").read_text(encoding="utf-8"))
    return [str(e["q"]) for e in entries]


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile by nearest rank (samples need not be sorted)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def median(samples: Iterable[float]) -> float:
    """The 50th percentile."""
    return percentile(list(samples), 50)


# --- servers -------------------------------------------------------------------------------


class Server:
    """A server command in its own process group, logging to a file; stop() kills the group."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = free_port()
        self._argv = [*argv, "--host", HOST, "--port", str(self.port)]
        self._env = env
        self._log_path = log
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        """Start the process (perf_counter() at the start is kept in `started`)."""
        with self._log_path.open("ab") as log:
            self.started = time.perf_counter()
            self.process = subprocess.Popen(
                self._argv,
                env=self._env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so stop() reaches the worker
            )

    def wait_healthy(self, timeout: float = 30.0) -> float:
        """Poll GET /healthz until 200; seconds from start(). RuntimeError if it dies or hangs."""
        assert self.process is not None
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.process.returncode}:\n{self.log()}")
            if _healthy(self.port):
                return time.perf_counter() - self.started
            time.sleep(0.002)
        raise RuntimeError(f"{self.name} not healthy after {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL if anything is left after 10 s."""
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                if not _group_alive(self.process.pid):
                    break
            except subprocess.TimeoutExpired:
                continue
        self.process.wait(timeout=5)

    def log(self) -> str:
        """What the server has written so far."""
        return self._log_path.read_text(errors="replace")

    def memory(self) -> list[tuple[str, int, float, float]]:
        """(role, pid, VmRSS MB, VmHWM MB) of the uvicorn supervisor and each of its workers."""
        assert self.process is not None
        master = self.process.pid
        workers = [pid for pid in _children(master) if "spawn_main" in _cmdline(pid)]
        pids = [("supervisor", master), *(("worker", pid) for pid in workers)]
        return [(role, pid, *_status_mb(pid)) for role, pid in pids]

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False  # not listening yet
    finally:
        connection.close()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _status_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.split()
    return int(fields["VmRSS"][0]) / 1024, int(fields["VmHWM"][0]) / 1024


def server_env(
    fake: FakeSlack, db: Path, data_dir: Path = ROOT / "data", **extra: str
) -> dict[str, str]:
    """The environment of both servers: the test secret and token, the Web API on loopback.

    The state database is a SQLite file beside the store unless `extra` has a DATABASE_URL.
    """
    return clean_env(
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=fake.url,
        TRADEFACT_DATA_DIR=str(data_dir),
        TRADEFACT_DB=str(db),
        TRADEFACT_STATE_DB=str(db.with_name("state.sqlite3")),
        PYTHONUNBUFFERED="1",
        **extra,
    )


def tradefact_server(env: dict[str, str], log: Path) -> Server:
    """`tradefact serve` (the store named by TRADEFACT_DB must already be built)."""
    return Server("tradefact serve", [*tradefact_command(), "serve"], env, log)


def floor_server(env: dict[str, str], log: Path) -> Server:
    """bench/floor_app.py: a bare Bolt app on the same server stack."""
    return Server("floor app", [sys.executable, str(ROOT / "bench" / "floor_app.py")], env, log)


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server (tests/pgserver.py); yields a new database's URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise SystemExit("PostgreSQL binaries not found: apt-get install postgresql")
    with PostgresServer(bin_dir) as server:
        yield server.new_database()


@contextmanager
def running(server: Server) -> Iterator[Server]:
    """Start `server`, wait until it is healthy, and always stop it."""
    try:
        server.start()
        server.wait_healthy()
        yield server
    finally:
        server.stop()


# --- signed slash commands -------------------------------------------------------------------


@dataclass
class Client:
    """One keep-alive connection that sends signed /tradefact commands, as Slack would."""

    port: int
    response_url: str

    def __post_init__(self) -> None:
        self._connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)

    def command(self, text: str) -> tuple[float, bytes]:
        """POST /tradefact `text`: (seconds until the whole answer arrived, body), or raise."""
        body = slash_command(text, self.response_url)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **signature_headers(body),
        }
        started = time.perf_counter()
        try:
            self._connection.request("POST", "/slack/events", body.encode(), headers)
            response = self._connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self._connection.close()  # reconnect on the next request
            raise
        elapsed = time.perf_counter() - started
        if response.status != 200 or not data:
            raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
        return elapsed, data

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


@dataclass(frozen=True)
class Run:
    """Latencies (seconds) of the requests that succeeded, the wall time and the error count."""

    latencies: list[float]
    wall: float
    errors: int

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return len(self.latencies) / self.wall if self.wall else 0.0

    def ms(self, pct: float) -> float:
        """A latency percentile in milliseconds."""
        return percentile(self.latencies, pct) * 1000


def send(
    port: int, response_url: str, texts: list[str], concurrency: int = 1, limit_s: float = 60.0
) -> Run:
    """Send each text once, `concurrency` at a time, stopping early after `limit_s` seconds."""
    pending = iter(texts)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    start = threading.Barrier(concurrency + 1)

    def worker() -> None:
        client = Client(port, response_url)
        start.wait()
        try:
            while time.perf_counter() < deadline:
                with lock:
                    text = next(pending, None)
                if text is None:
                    return
                try:
                    elapsed, _ = client.command(text)
                except (OSError, RuntimeError, http.client.HTTPException):
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    latencies.append(elapsed)
        finally:
            client.close()

    deadline = time.perf_counter() + limit_s + 5  # (time for the connections to open)
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(limit_s + REQUEST_TIMEOUT + 5)
    return Run(latencies, time.perf_counter() - began, errors[0])
