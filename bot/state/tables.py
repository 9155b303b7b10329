"""Small typed views of the state tables: answered events, share clicks, threads, preferences."""

from __future__ import annotations

from typing import Literal

from bot.state.db import StateDB, Tx

EVENT_TTL_S = 86_400.0  # Slack retries an event for about 5 minutes; a day covers any replay
THREAD_TTL_S = 86_400.0  # a follow-up in a thread refers to its last question for a day
Scope = Literal["user", "channel"]


def first_time(tx: Tx, table: Literal["events", "shares"], key: str, now: float) -> bool:
    """Record `key` in the transaction; True if no one had (INSERT ... ON CONFLICT DO NOTHING)."""
    sql = {
        "events": "INSERT INTO answered_events (event_id, answered_at) VALUES (?, ?)",
        "shares": "INSERT INTO share_clicks (message_key, shared_at) VALUES (?, ?)",
    }[table]
    return tx.execute(sql + " ON CONFLICT DO NOTHING", (key, now)).rowcount == 1


def forget_old(state: StateDB, now: float) -> None:
    """Delete answered events and share clicks past EVENT_TTL_S, and expired thread context."""
    with state.transaction() as tx:
        tx.execute("DELETE FROM answered_events WHERE answered_at < ?", (now - EVENT_TTL_S,))
        tx.execute("DELETE FROM share_clicks WHERE shared_at < ?", (now - EVENT_TTL_S,))
        tx.execute("DELETE FROM thread_context WHERE expires_at < ?", (now,))


class Threads:
    """The last question of each thread, for follow-ups ("and 2023?"), kept for a while."""

    def __init__(self, state: StateDB, ttl: float = THREAD_TTL_S) -> None:
        self._state = state
        self._ttl = ttl

    def remember(self, channel: str, thread_ts: str, question: str, now: float) -> None:
        """Make `question` the thread's last question (replacing any earlier one)."""
        with self._state.transaction() as tx:
            tx.execute(
                "INSERT INTO thread_context (channel, thread_ts, question, updated_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, thread_ts) DO UPDATE SET"
                " question = excluded.question, updated_at = excluded.updated_at,"
                " expires_at = excluded.expires_at",
                (channel, thread_ts, question, now, now + self._ttl),
            )

    def last(self, channel: str, thread_ts: str, now: float) -> str | None:
        """The thread's last question, unless it has expired."""
        with self._state.transaction() as tx:
            row = tx.execute(
                "SELECT question FROM thread_context"
                " WHERE channel = ? AND thread_ts = ? AND expires_at > ?",
                (channel, thread_ts, now),
            ).fetchone()
        return str(row[0]) if row else None


class Preferences:
    """Per-user and per-channel settings by name (e.g. "language" -> "es")."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def get(self, scope: Scope, scope_id: str, name: str) -> str | None:
        """The value, or None when it was never set (or was cleared)."""
        with self._state.transaction() as tx:
            row = tx.execute(
                "SELECT value FROM preferences WHERE scope = ? AND scope_id = ? AND name = ?",
                (scope, scope_id, name),
            ).fetchone()
        return str(row[0]) if row else None

    def set(self, scope: Scope, scope_id: str, name: str, value: str, now: float) -> None:
        """Set the value (replacing any earlier one)."""
        with self._state.transaction() as tx:
            tx.execute(
                "INSERT INTO preferences (scope, scope_id, name, value, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, scope_id, name) DO UPDATE SET"
                " value = excluded.value, updated_at = excluded.updated_at",
                (scope, scope_id, name, value, now),
            )

    def clear(self, scope: Scope, scope_id: str, name: str) -> None:
        """Forget the value."""
        with self._state.transaction() as tx:
            tx.execute(
                "DELETE FROM preferences WHERE scope = ? AND scope_id = ? AND name = ?",
                (scope, scope_id, name),
            )

    def resolve(self, user: str, channel: str, name: str) -> str | None:
        """The user's value, else the channel's, else None (a person's choice wins).

        One query, not two: this is read on the slash command's path.
        """
        with self._state.transaction() as tx:
            rows = tx.execute(
                "SELECT scope, value FROM preferences WHERE name = ? AND ("
                "(scope = 'user' AND scope_id = ?) OR (scope = 'channel' AND scope_id = ?))",
                (name, user, channel),
            ).fetchall()
        found = {str(scope): str(value) for scope, value in rows}
        return found.get("user") or found.get("channel")
