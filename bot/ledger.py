"""Ledger: which weekly digests were posted, in the SQLite state database (never the fact store).

One row per (channel, ISO week). A run claims the row in a write transaction before it posts, so
only one process or thread can hold it, and records Slack's ts once the message is out. The
database runs in WAL mode with synchronous=FULL: a committed claim or post survives a kill or a
power cut, and a kill mid-transaction leaves the row as it was.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

Status = Literal["pending", "posted", "failed"]
# How long a pending claim belongs to its run. A post takes seconds (the Web API timeout is 10 s),
# so a claim this old was left by a run that died, or that cannot tell whether Slack got its post.
LEASE = timedelta(minutes=10)
BUSY_TIMEOUT_S = 30  # wait this long for another process's transaction before giving up

_SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_posts (
    channel TEXT NOT NULL,
    week TEXT NOT NULL,                 -- ISO week, e.g. 2025-W28
    status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'failed')),
    claim TEXT NOT NULL,                -- random id of the run that holds or held the claim
    claimed_at REAL NOT NULL,           -- unix time of the current claim
    first_claimed_at REAL NOT NULL,     -- unix time of the first claim: history is read from it
    attempts INTEGER NOT NULL,
    ts TEXT,                            -- Slack's ts of the posted message
    error TEXT,                         -- the last error, e.g. "chat.postMessage: not_in_channel"
    updated_at REAL NOT NULL,
    PRIMARY KEY (channel, week)
)
"""
_COLUMNS = (
    "channel, week, status, claim, claimed_at, first_claimed_at, attempts, ts, error, updated_at"
)


@dataclass(frozen=True)
class Entry:
    """One row of the ledger: the digest of one week in one channel."""

    channel: str
    week: str
    status: Status
    claim: str
    claimed_at: float
    first_claimed_at: float
    attempts: int
    ts: str | None
    error: str | None
    updated_at: float


@dataclass(frozen=True)
class Claim:
    """The result of Ledger.claim: the row after the transaction and what it means for the run."""

    entry: Entry
    won: bool  # this run holds the claim and may post
    verify: bool  # it took over a pending claim: look in the channel before posting


class Ledger:
    """The ledger of weekly digests, one SQLite file shared by every process on the host."""

    def __init__(self, path: Path, lease: timedelta = LEASE) -> None:
        self.path = path
        self.lease = lease
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")  # persistent: readers never block the writer
            con.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: jobs run on scheduler threads, and sqlite3 connections
        # belong to the thread that made them. isolation_level=None: transactions are explicit.
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            con.execute("PRAGMA synchronous=FULL")
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as con:
            # IMMEDIATE takes the write lock before the first read, so two runs can't both read
            # "no row" and both decide to post.
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def get(self, channel: str, week: str) -> Entry | None:
        """The row for a channel and week, if any run has claimed it."""
        with self._connect() as con:
            return _entry(con, channel, week)

    def entries(self) -> list[Entry]:
        """Every row, oldest week first."""
        with self._connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM digest_posts ORDER BY week, channel")
            return [Entry(*row) for row in rows]

    def claim(
        self, channel: str, week: str, now: datetime, retry_failed_after: timedelta = timedelta(0)
    ) -> Claim:
        """Claim the week's post for this run, unless it is posted, held, or failed too recently."""
        at, token = now.timestamp(), uuid.uuid4().hex
        with self._transaction() as con:
            entry = _entry(con, channel, week)
            if entry is None:
                con.execute(
                    f"INSERT INTO digest_posts ({_COLUMNS})"
                    " VALUES (?, ?, 'pending', ?, ?, ?, 1, NULL, NULL, ?)",
                    (channel, week, token, at, at, at),
                )
            elif not self._claimable(entry, at, retry_failed_after):
                return Claim(entry, won=False, verify=False)
            else:
                con.execute(
                    "UPDATE digest_posts SET status = 'pending', claim = ?, claimed_at = ?,"
                    " attempts = attempts + 1, updated_at = ? WHERE channel = ? AND week = ?",
                    (token, at, at, channel, week),
                )
            claimed = _entry(con, channel, week)
        assert claimed is not None
        # A failed row is retried without a look: Slack refused that post, so none is out there.
        return Claim(claimed, won=True, verify=entry is not None and entry.status == "pending")

    def _claimable(self, entry: Entry, at: float, retry_failed_after: timedelta) -> bool:
        if entry.status == "pending":  # a live run's claim, until its lease runs out
            return at >= entry.claimed_at + self.lease.total_seconds()
        if entry.status == "failed":
            return at >= entry.updated_at + retry_failed_after.total_seconds()
        return False  # posted

    def holds(self, claim: Claim) -> bool:
        """True while the claim is still this run's (no other run took it over)."""
        entry = self.get(claim.entry.channel, claim.entry.week)
        return entry is not None and entry.status == "pending" and entry.claim == claim.entry.claim

    def mark_posted(self, channel: str, week: str, ts: str, now: datetime) -> None:
        """Record that Slack has the week's message, whoever posted it."""
        self._update("status = 'posted', ts = ?, error = NULL", (ts,), channel, week, None, now)

    def mark_failed(self, claim: Claim, error: str, now: datetime) -> None:
        """Record that Slack refused the post (nothing was posted); a later run may retry."""
        self._update("status = 'failed', error = ?", (error,), *_key(claim), now)

    def mark_unknown(self, claim: Claim, error: str, now: datetime) -> None:
        """Keep the claim pending with its error: Slack may have the post; look before a retry."""
        self._update("error = ?", (error,), *_key(claim), now)

    def _update(
        self,
        assignments: str,
        values: tuple[str, ...],
        channel: str,
        week: str,
        token: str | None,
        now: datetime,
    ) -> None:
        # The SET clause is one of the constant strings above, never input.
        sql = (
            f"UPDATE digest_posts SET {assignments}, updated_at = ? WHERE channel = ? AND week = ?"
        )
        params: tuple[object, ...] = (*values, now.timestamp(), channel, week)
        if token is not None:  # only the claim's holder may change a pending row
            sql += " AND claim = ? AND status = 'pending'"
            params += (token,)
        with self._transaction() as con:
            con.execute(sql, params)


def _key(claim: Claim) -> tuple[str, str, str]:
    return claim.entry.channel, claim.entry.week, claim.entry.claim


def _entry(con: sqlite3.Connection, channel: str, week: str) -> Entry | None:
    row = con.execute(
        f"SELECT {_COLUMNS} FROM digest_posts WHERE channel = ? AND week = ?", (channel, week)
    ).fetchone()
    return Entry(*row) if row else None
