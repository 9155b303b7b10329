"""StateDB: one transactional store for state, on SQLite (one machine) or PostgreSQL (any number).

Both run the same SQL (written with `?` placeholders) and give the same guarantees:
- `transaction()` is serialisable for what the bot does: SQLite takes the write lock at BEGIN
  (BEGIN IMMEDIATE), PostgreSQL locks the rows it reads with `FOR UPDATE` where the SQL says
  `{lock}` (SKIP LOCKED for the job queue);
- `hold(name)` is a lock held through a block, across processes and machines, that a crash
  releases: an advisory lock of the PostgreSQL session, a flock() on a file next to SQLite's.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.state.schema import MIGRATIONS

BUSY_TIMEOUT_S = 30  # SQLite: wait this long for another process's write transaction
POOL_SIZE = 16  # PostgreSQL connections per serving process (its HTTP and runner threads share)


class StateError(Exception):
    """The state database cannot be opened or is newer than this code."""


class Cursor(Protocol):
    """What a transaction's execute() returns (sqlite3 and psycopg cursors both fit)."""

    rowcount: int

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102


class Tx(Protocol):
    """An open transaction."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...  # noqa: D102


class StateDB:
    """The interface: a transaction, a held lock, and which database this is (without secrets)."""

    name: str  # "sqlite:PATH" or "postgresql://host:port/db": for logs
    lock_rows: str  # appended to a SELECT that must lock what it reads
    skip_locked: str  # ... and skip rows another transaction has locked

    def transaction(self) -> contextlib.AbstractContextManager[Tx]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        raise NotImplementedError

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only look that takes no write lock (a transaction, where that costs nothing)."""
        return self.transaction()

    def hold(self, name: str) -> contextlib.AbstractContextManager[bool]:
        """Try to take the lock `name` for the block: True if this process has it, else False."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""

    def migrate(self) -> int:
        """Apply the migrations this database lacks; returns its schema version."""
        with self.transaction() as tx:
            self._lock_schema(tx)
            tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = tx.execute("SELECT max(version) FROM schema_version").fetchone()
            version = int(row[0] or 0)
            if version > len(MIGRATIONS):
                raise StateError(
                    f"{self.name} has schema version {version}; this TradeFact knows"
                    f" {len(MIGRATIONS)}: upgrade it before running it on this database"
                )
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
            return len(MIGRATIONS)

    def _lock_schema(self, tx: Tx) -> None:
        """Serialise migrations between processes (SQLite's BEGIN IMMEDIATE already does)."""


class SqliteState(StateDB):
    """State in one SQLite file (WAL, synchronous=FULL): every process on this machine shares it."""

    lock_rows = ""
    skip_locked = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"sqlite:{path}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._locks = path.with_name(path.name + ".locks")
        # Threads of this process queue here for the write lock, in turn, rather than in
        # SQLite's busy handler, which sleeps up to 100 ms between tries; other processes still
        # meet in the busy handler.
        self._writer = threading.Lock()
        self._local = threading.local()
        self._connection().execute("PRAGMA journal_mode=WAL")  # persistent: readers never block

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread, kept: sqlite3 connections belong to the thread that made
        # them. isolation_level=None: transactions are explicit.
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            con.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut
            self._local.con = con
        return con

    def _forget_connection(self) -> None:
        con = getattr(self._local, "con", None)
        self._local.con = None
        if con is not None:
            with contextlib.suppress(sqlite3.Error):
                con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken before the first read."""
        with self._writer:
            con = self._connection()
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.Error:
                self._forget_connection()
                raise
            try:
                yield con  # type: ignore[misc]  # sqlite3.Connection.execute fits Tx
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    self._forget_connection()
                raise
            try:
                con.execute("COMMIT")
            except sqlite3.Error:
                self._forget_connection()  # rolled back by SQLite or by closing
                raise

    def close(self) -> None:
        """Close this thread's connection (the others close with their threads' end)."""
        self._forget_connection()

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """The thread's connection in autocommit: WAL readers never wait for the writer."""
        yield self._connection()  # type: ignore[misc]  # sqlite3.Connection.execute fits Tx

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        """flock() on a file named after `name`: the kernel releases it when the process dies."""
        self._locks.mkdir(exist_ok=True)
        path = self._locks / hashlib.sha256(name.encode()).hexdigest()[:32]
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # closing the file releases the lock


class PostgresState(StateDB):
    """State in PostgreSQL (DATABASE_URL), through a pool of psycopg 3 connections."""

    lock_rows = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, pool_size: int = POOL_SIZE) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        parts = urlsplit(url)
        self.name = f"postgresql://{parts.hostname or ''}:{parts.port or 5432}{parts.path}"
        try:  # one direct connection first: a wrong URL fails now, not after the pool's wait
            psycopg.connect(url).close()
        except psycopg.Error as exc:
            raise StateError(f"cannot connect to {self.name}: {type(exc).__name__}") from None
        self._pool = ConnectionPool(
            url,
            min_size=pool_size,
            max_size=pool_size,
            timeout=BUSY_TIMEOUT_S,
            open=False,
            name="tradefact-state",
        )
        try:
            self._pool.open(wait=True, timeout=BUSY_TIMEOUT_S)
        except Exception as exc:
            self._pool.close()
            raise StateError(f"cannot connect to {self.name}: {type(exc).__name__}") from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A psycopg transaction on a pooled connection."""
        with self._pool.connection() as con, con.transaction():
            yield _PgTx(con)

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        """A session advisory lock on a connection kept for the block; a crash drops both."""
        key = _lock_key(name)
        with self._pool.connection() as con:
            con.autocommit = True
            try:
                row = con.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
                held = bool(row and row[0])
                try:
                    yield held
                finally:
                    if held:
                        con.execute("SELECT pg_advisory_unlock(%s)", (key,))
            finally:
                con.autocommit = False

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()

    def _lock_schema(self, tx: Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_lock_key("schema"),))


class _PgTx:
    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        # The SQL is the bot's own constants: no literal "?" or "%" in them.
        cursor: Cursor = self._con.execute(sql.replace("?", "%s"), tuple(params))
        return cursor


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def open_state(target: str | Path, pool_size: int = POOL_SIZE) -> StateDB:
    """The state database at `target` (a postgres:// URL or a SQLite path), migrated.

    With PostgreSQL, `pool_size` connections are opened at once and kept (a pool that grows on
    demand made the first busy seconds wait up to a second for new connections).
    """
    text = str(target)
    try:
        if text.startswith(("postgres://", "postgresql://")):
            state: StateDB = PostgresState(text, pool_size)
        else:
            state = SqliteState(Path(text))
        state.migrate()
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"state database {text} cannot be used: {exc}") from exc
    except StateError:
        raise
    except Exception as exc:  # psycopg's errors, without importing psycopg for SQLite users
        raise StateError(f"state database cannot be used: {type(exc).__name__}: {exc}") from exc
    return state
