"""The state store: what must survive a restart or a second instance (see bot.state.db)."""

from bot.state.db import PostgresState, SqliteState, StateDB, StateError, Tx, open_state
from bot.state.jobs import Job, Jobs, add_job
from bot.state.tables import Preferences, Threads, first_time, forget_old

__all__ = [
    "Job",
    "Jobs",
    "PostgresState",
    "Preferences",
    "SqliteState",
    "StateDB",
    "StateError",
    "Threads",
    "Tx",
    "add_job",
    "first_time",
    "forget_old",
    "open_state",
]
