"""Jobs: Slack Web API work handed from the ack path to the runners, surviving a crash.

A job is added in the same transaction that records its event or click (so an acknowledged
request always has its job), taken by one runner under a lease, and finished, retried later or
failed by that runner. A job whose runner died is taken again once its lease has run out; its
`unsure` flag then tells the next runner to look in Slack before posting (bot.worker).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from bot.state.db import StateDB, Tx

KEEP_FINISHED_S = 86_400.0  # finished jobs are kept a day, for the counts and the log

_DUE = "((status = 'queued' AND run_after <= ?) OR (status = 'running' AND lease_until <= ?))"


@dataclass(frozen=True)
class Job:
    """A job as its runner took it."""

    id: str
    kind: str  # "reply" or "share"
    payload: dict[str, Any]
    attempts: int  # counting this one
    unsure: bool  # an earlier attempt may have reached Slack: look before sending again
    created_at: float


def add_job(tx: Tx, kind: str, payload: dict[str, Any], now: float) -> str:
    """Queue a job inside the caller's transaction; returns its id."""
    job_id = uuid.uuid4().hex
    tx.execute(
        "INSERT INTO jobs (id, kind, payload, status, attempts, unsure, run_after, lease_until,"
        " created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, 0, ?, 0, ?, ?)",
        (job_id, kind, json.dumps(payload), now, now, now),
    )
    return job_id


class Jobs:
    """The job table of a StateDB, as the runners use it."""

    def __init__(self, state: StateDB, lease: float) -> None:
        self._state = state
        self.lease = lease

    def take(self, owner: str, now: float, job_id: str | None = None) -> Job | None:
        """Take `job_id` (or the oldest due job) for `owner` until now + lease, if it is due."""
        where = _DUE + (" AND id = ?" if job_id else "")
        params: tuple[Any, ...] = (now, now, job_id) if job_id else (now, now)
        with self._state.transaction() as tx:
            row = tx.execute(
                "SELECT id, kind, payload, attempts, unsure, created_at FROM jobs WHERE "
                + where
                + " ORDER BY run_after LIMIT 1"
                + self._state.skip_locked,
                params,
            ).fetchone()
            if row is None:
                return None
            tx.execute(
                "UPDATE jobs SET status = 'running', owner = ?, lease_until = ?,"
                " attempts = attempts + 1, unsure = 1, updated_at = ? WHERE id = ?",
                (owner, now + self.lease, now, row[0]),
            )
        return Job(row[0], row[1], json.loads(row[2]), int(row[3]) + 1, bool(row[4]), row[5])

    def finish(self, job: Job, ts: str | None, now: float) -> None:
        """Slack has the job's message (whoever's attempt it was): done, payload dropped."""
        self._end(job, "status = 'done', result = ?, error = NULL", (ts,), None, now)

    def fail(self, job: Job, owner: str, error: str, now: float) -> None:
        """Give up on the job: Slack refused it, or it may have been sent and cannot be checked."""
        self._end(job, "status = 'failed', error = ?", (error,), owner, now)

    def retry(self, job: Job, owner: str, at: float, unsure: bool, error: str, now: float) -> None:
        """Queue the job again for `at`; `unsure` if this attempt may have reached Slack."""
        with self._state.transaction() as tx:
            tx.execute(
                "UPDATE jobs SET status = 'queued', run_after = ?, unsure = ?, error = ?,"
                " owner = NULL, updated_at = ? WHERE id = ? AND owner = ? AND status = 'running'",
                (at, int(unsure), error, now, job.id, owner),
            )

    def _end(
        self, job: Job, assignments: str, values: tuple[Any, ...], owner: str | None, now: float
    ) -> None:
        sql = f"UPDATE jobs SET {assignments}, payload = '{{}}', owner = NULL, updated_at = ?"
        sql += " WHERE id = ?"
        params: tuple[Any, ...] = (*values, now, job.id)
        if owner is not None:  # only the runner holding the job may give up on it
            sql += " AND owner = ? AND status = 'running'"
            params += (owner,)
        with self._state.transaction() as tx:
            tx.execute(sql, params)

    def renew(self, owner: str, now: float) -> int:
        """Extend the lease of every job `owner` is running (its heartbeat); how many."""
        with self._state.transaction() as tx:
            return tx.execute(
                "UPDATE jobs SET lease_until = ? WHERE owner = ? AND status = 'running'",
                (now + self.lease, owner),
            ).rowcount

    def due(self, now: float) -> int:
        """How many jobs could be taken now (a read: no lock taken)."""
        with self._state.read() as tx:
            row = tx.execute(f"SELECT count(*) FROM jobs WHERE {_DUE}", (now, now)).fetchone()
        return int(row[0])

    def counts(self) -> dict[str, int]:
        """How many jobs are in each status."""
        with self._state.transaction() as tx:
            rows = tx.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
        return {str(status): int(n) for status, n in rows}

    def purge(self, now: float) -> None:
        """Delete jobs finished more than a day ago."""
        with self._state.transaction() as tx:
            tx.execute(
                "DELETE FROM jobs WHERE status IN ('done', 'failed') AND updated_at < ?",
                (now - KEEP_FINISHED_S,),
            )
