"""Runner: threads that take jobs from the state store and do their Slack Web API work.

Each serving process runs one. A request's listener queues a job and wakes the runner, so a
reply usually goes out milliseconds after the ack; the runner also polls, which is how it picks
up jobs queued for later (a Retry-After) and jobs whose runner died (their lease ran out).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal

from slack_sdk import WebClient

from bot.deliver import Done, Failed, MakeReply, Result, Retry, deliver
from bot.state import Job, Jobs, StateDB, add_job, first_time, forget_old
from bot.workspaces import Clients, Workspace

logger = logging.getLogger(__name__)

THREADS = 16  # Web API calls wait on the network, not the CPU: a slow Slack needs many
POLL_S = 0.5  # how often the runner looks for due jobs (queued for later, or a dead runner's)
ANY = ""  # handed to a thread: take whatever job is due
PURGE_EVERY_S = 600.0


class Inbox:
    """What listeners use: record a request once and queue its job, in one transaction."""

    def __init__(
        self, state: StateDB, wake: Callable[[str], None], clock: Callable[[], float] = time.time
    ) -> None:
        self._state = state
        self._wake = wake
        self._clock = clock

    def once(
        self, table: Literal["events", "shares"], key: str, kind: str, payload: dict[str, Any]
    ) -> bool:
        """Queue the job unless `key` was recorded before; True if this call queued it.

        The insert of the key decides (INSERT ... ON CONFLICT DO NOTHING), and the job is
        committed with it: an acknowledged request always has its job, however the process ends.
        """
        now = self._clock()
        with self._state.transaction() as tx:
            if not first_time(tx, table, key, now):
                return False
            job_id = add_job(tx, kind, payload, now)
        self._wake(job_id)
        return True


def lease_for(api_timeout: float) -> float:
    """How long a runner holds a job: a look and a post (each within the API timeout), and room."""
    return 2 * api_timeout + 5


class Runner:
    """Threads doing jobs for this process; start() once, stop() at shutdown."""

    def __init__(
        self,
        state: StateDB,
        client: WebClient,
        make: MakeReply,
        threads: int = THREADS,
        clock: Callable[[], float] = time.time,
        clients: Clients | None = None,
        kinds: Mapping[str, Callable[[Job, WebClient], Result]] | None = None,
    ) -> None:
        # `clients` picks each job's workspace token (bot.workspaces; default: `client` for
        # all); `kinds` does the job kinds bot.deliver doesn't know (bot.manage).
        self._clients = clients
        self._kinds = dict(kinds or {})
        self.jobs = Jobs(state, lease_for(client.timeout))
        self._state = state
        self._client = client
        self._make = make
        self._clock = clock
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        # A job id to take; ANY: take whatever is due; None: stop.
        self._wake: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, name=f"tradefact-job-{n}", daemon=True)
            for n in range(threads)
        ]
        self._threads.append(threading.Thread(target=self._poll, name="tradefact-job-poll"))
        self._threads[-1].daemon = True
        self._purged = 0.0

    def start(self) -> None:
        """Start the threads."""
        for thread in self._threads:
            thread.start()

    def wake(self, job_id: str) -> None:
        """Have a thread take `job_id` now (called after its transaction committed)."""
        self._wake.put(job_id)

    def stop(self, timeout: float = 5.0) -> None:
        """Let the threads finish the job in hand, then end them (unfinished jobs stay queued)."""
        self._stopping.set()
        for _ in self._threads:
            self._wake.put(None)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))

    def _loop(self) -> None:
        while (job_id := self._wake.get()) is not None and not self._stopping.is_set():
            try:
                self._work(job_id)
            except Exception:  # the state database is down, or a bug: log it, keep the thread
                logger.exception("Job runner error; trying again shortly")
                self._stopping.wait(POLL_S)

    def _poll(self) -> None:
        """One thread looks for due jobs (a cheap read) and hands them to the others.

        It is also the runner's heartbeat: the leases of the jobs in hand are renewed a few
        times per lease, so a long look through a channel's history or a slow post is never
        taken over by another runner while this process lives.
        """
        renewed = self._clock()
        while not self._stopping.wait(POLL_S):
            try:
                now = self._clock()
                if now - renewed >= self.jobs.lease / 3:
                    renewed = now
                    self.jobs.renew(self._owner, now)
                due = self.jobs.due(now)
                for _ in range(min(due, len(self._threads) - 1)):
                    self._wake.put(ANY)
                self._purge()
            except Exception:
                logger.exception("Job runner error; trying again shortly")

    def _work(self, job_id: str) -> None:
        job = self.jobs.take(self._owner, self._clock(), job_id) if job_id != ANY else None
        # Then whatever else is due, so a backlog drains without waiting for the poll.
        while job is not None or (job := self.jobs.take(self._owner, self._clock())) is not None:
            self._record(job, self._deliver(job))
            if self._stopping.is_set():
                return
            job = None

    def _purge(self) -> None:
        now = self._clock()
        if now - self._purged > PURGE_EVERY_S:
            self._purged = now
            self.jobs.purge(now)
            forget_old(self._state, now)

    def _deliver(self, job: Job) -> Result:
        client = self._client
        if self._clients is not None:
            client = self._clients.client(Workspace.of(job.payload))  # type: ignore[assignment]
        if client is None:
            return Failed(f"{job.kind}: the workspace is not installed (or was uninstalled)")
        try:
            if job.kind in self._kinds:
                return self._kinds[job.kind](job, client)
            return deliver(job, client, self._make)
        except Exception:  # a bug: it would fail the same way every time
            logger.exception("Job %s (%s) failed", job.id, job.kind)
            return Failed(f"{job.kind}: unexpected error")

    def _record(self, job: Job, result: Result) -> None:
        now = self._clock()
        if isinstance(result, Done):
            self.jobs.finish(job, result.ts, now)
            if result.found:
                logger.info(
                    "Job %s was already posted (ts %s): not posted again", job.id, result.ts
                )
        elif isinstance(result, Retry):
            self.jobs.retry(job, self._owner, now + result.after, result.unsure, result.error, now)
            logger.warning(
                "Slack API %s; job %s tried again in %.0f s",
                _retry_words(result),
                job.id,
                result.after,
            )
        elif isinstance(result, Failed):
            self.jobs.fail(job, self._owner, result.error, now)
            logger.error("Slack API %s failed: %s", *_split(result.error))


def _retry_words(result: Retry) -> str:
    method, _, error = result.error.partition(": ")
    if error.startswith("ratelimited") or error.endswith("HTTP 429"):
        return f"{method} rate limited (HTTP 429)"
    return f"{method} failed: {error}"


def _split(error: str) -> tuple[str, str]:
    method, _, detail = error.partition(": ")
    return method, detail
