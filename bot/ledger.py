"""Ledger: which weekly digests were posted, in the state database (never the fact store).

One row per (channel, ISO week) in `digest_posts` (bot.state.schema). A run claims the row in a
transaction before it posts, so only one process or thread can hold it, and records Slack's ts
once the message is out. A committed claim or post survives a kill or a power cut, and a kill
mid-transaction leaves the row as it was. On top of the claim, bot.digest holds the lock
`lock_name(channel, week)` through its look in the channel and its post, so two clocks on two
machines can't both be posting the same week even when a claim's lease has run out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.state import StateDB, Tx

Status = Literal["pending", "posted", "failed"]
# How long a pending claim belongs to its run. A post takes seconds (the Web API timeout is 10 s),
# so a claim this old was left by a run that died, or that cannot tell whether Slack got its post.
LEASE = timedelta(minutes=10)

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
    """The ledger of weekly digests in a StateDB shared by every clock and `tradefact digest`."""

    def __init__(self, state: StateDB, lease: timedelta = LEASE) -> None:
        self.state = state
        self.lease = lease

    def get(self, channel: str, week: str) -> Entry | None:
        """The row for a channel and week, if any run has claimed it."""
        with self.state.transaction() as tx:
            return _entry(tx, channel, week)

    def entries(self) -> list[Entry]:
        """Every row, oldest week first."""
        with self.state.transaction() as tx:
            rows = tx.execute(f"SELECT {_COLUMNS} FROM digest_posts ORDER BY week, channel")
            return [_row(row) for row in rows.fetchall()]

    def claim(
        self, channel: str, week: str, now: datetime, retry_failed_after: timedelta = timedelta(0)
    ) -> Claim:
        """Claim the week's post for this run, unless it is posted, held, or failed too recently."""
        at, token = now.timestamp(), uuid.uuid4().hex
        with self.state.transaction() as tx:
            # The insert decides a first claim; a row that exists is locked while we decide.
            inserted = tx.execute(
                f"INSERT INTO digest_posts ({_COLUMNS})"
                " VALUES (?, ?, 'pending', ?, ?, ?, 1, NULL, NULL, ?) ON CONFLICT DO NOTHING",
                (channel, week, token, at, at, at),
            ).rowcount
            entry = None if inserted else _entry(tx, channel, week, self.state.lock_rows)
            if entry is not None and not self._claimable(entry, at, retry_failed_after):
                return Claim(entry, won=False, verify=False)
            if entry is not None:
                tx.execute(
                    "UPDATE digest_posts SET status = 'pending', claim = ?, claimed_at = ?,"
                    " attempts = attempts + 1, updated_at = ? WHERE channel = ? AND week = ?",
                    (token, at, at, channel, week),
                )
            claimed = _entry(tx, channel, week)
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
        with self.state.transaction() as tx:
            tx.execute(sql, params)


def _key(claim: Claim) -> tuple[str, str, str]:
    return claim.entry.channel, claim.entry.week, claim.entry.claim


def lock_name(channel: str, week: str) -> str:
    """The StateDB.hold() name held through one channel-week's look and post."""
    return f"digest:{channel}:{week}"


def _entry(tx: Tx, channel: str, week: str, lock: str = "") -> Entry | None:
    row = tx.execute(
        f"SELECT {_COLUMNS} FROM digest_posts WHERE channel = ? AND week = ?{lock}",
        (channel, week),
    ).fetchone()
    return _row(row) if row else None


def _row(row: tuple[object, ...]) -> Entry:
    # PostgreSQL and SQLite agree on the values; a tuple keeps Entry's field order.
    return Entry(*row)  # type: ignore[arg-type]
