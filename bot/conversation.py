"""Conversations: the question a message asks, read against the last one in its thread or DM.

The last question of each thread (and of each DM conversation) is kept in the state store's
thread_context table with an expiry (bot.state.Threads), so a follow-up is understood by any
instance, after a restart too. Reading it is a local database query, never a Web API call.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.state import Preferences, StateDB, Threads
from bot.state.tables import Scope
from facts.context import Context
from facts.followup import follow_up
from facts.model import Lang

DM = "dm"  # the thread key of a DM conversation's top level
LANGUAGE_TTL_S = 5.0  # a choice made on another instance is honoured here within 5 s
MAX_LANGUAGES = 4096  # (user, channel) pairs remembered per process


@dataclass(frozen=True)
class Asked:
    """The whole question a message asks, and whether it was a follow-up of the previous one.

    ("as a chart" asks the previous question again: every answer in a thread or DM that has a
    chart gets it uploaded.)
    """

    question: str
    follow_up: bool = False


class Conversations:
    """The last question per thread, and follow-ups read against it."""

    def __init__(
        self, state: StateDB, context: Context, clock: Callable[[], float] = time.time
    ) -> None:
        self._threads = Threads(state)
        self._preferences = Preferences(state)
        # The slash command reads the language on its path: a PostgreSQL round trip would double
        # its time. The store keeps the choice; this only spares reading it on every command.
        self._languages: OrderedDict[tuple[str, str], tuple[float, Lang | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._context = context
        self._clock = clock

    def read(self, channel: str, thread: str, text: str) -> Asked:
        """The question `text` asks in this thread: itself, or a follow-up made whole."""
        previous = self._threads.last(channel, thread, self._clock())
        found = follow_up(self._context, previous or "", text) if previous else None
        if found is None:
            return Asked(text)
        return Asked(found.question, follow_up=True)

    def remember(self, channel: str, thread: str, question: str) -> None:
        """Make `question` the thread's last question."""
        self._threads.remember(channel, thread, question, self._clock())

    def language(self, user: str, channel: str) -> Lang | None:
        """The language the user chose, else the channel's, else None (the question's own)."""
        key, now = (user, channel), self._clock()
        with self._lock:
            known = self._languages.get(key)
        if known is not None and known[0] > now:
            return known[1]
        chosen = self._preferences.resolve(user, channel, "language")
        lang: Lang | None = "es" if chosen == "es" else "en" if chosen == "en" else None
        with self._lock:
            self._languages[key] = (now + LANGUAGE_TTL_S, lang)
            self._languages.move_to_end(key)
            if len(self._languages) > MAX_LANGUAGES:
                self._languages.popitem(last=False)
        return lang

    def choose_language(self, scope: Scope, scope_id: str, lang: Lang) -> None:
        """Keep a user's or a channel's language (this process sees it at once)."""
        self._preferences.set(scope, scope_id, "language", lang, self._clock())
        with self._lock:
            self._languages.clear()

    def answered_here(self, channel: str, thread: str) -> bool:
        """True if the bot answered a question in this thread (and it has not expired)."""
        return self._threads.last(channel, thread, self._clock()) is not None
