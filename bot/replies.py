"""Replies: rendered answers, cached per store and normalised question like the answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.render import render_blocks, render_mrkdwn
from facts.answer import EXAMPLES, answerer_for, cache_key, forget
from facts.live import LiveStore
from facts.model import Answer
from facts.store import FactStore

Reply = dict[str, Any]
MAX_REPLIES = 2048  # as many as facts.answer.Answerer keeps answers


class Replies:
    """A bounded, thread-safe LRU of (answer, rendered reply) by store fingerprint and question.

    A cached answer costs microseconds, but rendering it through Jinja2 costs about half a
    millisecond, more than the rest of a slash command's work. The reply depends only on the
    answer, which depends only on the store and the normalised question (facts.answer.cache_key),
    so it is rendered once. Callers must not change a reply they get: copy it to add to it.
    """

    def __init__(
        self,
        store: FactStore,
        make: Callable[[str], tuple[Answer, Reply]],
        limit: int = MAX_REPLIES,
    ) -> None:
        self._version = store.fingerprint
        self._make = make
        self._limit = limit
        self._replies: OrderedDict[tuple[str, str], tuple[Answer, Reply]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, question: str) -> tuple[Answer, Reply]:
        """The answer to `question` and its reply, made by `make` the first time."""
        key = (self._version, cache_key(question))
        with self._lock:
            found = self._replies.get(key)
            if found is not None:
                self._replies.move_to_end(key)
                return found
        made = self._make(question)  # outside the lock: two first asks may both render
        with self._lock:
            self._replies[key] = made
            if len(self._replies) > self._limit:
                self._replies.popitem(last=False)
        return made

    def __len__(self) -> int:
        with self._lock:
            return len(self._replies)


class LiveReplies:
    """Replies of the live store: one Replies per store, dropped with it when the file moves."""

    def __init__(
        self, live: LiveStore, make: Callable[[str, FactStore], tuple[Answer, Reply]]
    ) -> None:
        self._live, self._make = live, make
        self._current: tuple[FactStore, Replies] | None = None
        self._lock = threading.Lock()

    def get(self, question: str) -> tuple[Answer, Reply]:
        """The answer and reply to `question`, both computed on one store."""
        with self._live.use() as store:
            with self._lock:
                if self._current is None or self._current[0] is not store:
                    self._current = (store, Replies(store, lambda q: self._make(q, store)))
                replies = self._current[1]
            return replies.get(question)


def live_store(store: FactStore | LiveStore) -> LiveStore:
    """A LiveStore that warms up each new store and drops an old one's answers with it."""
    if isinstance(store, LiveStore):
        return store
    return LiveStore(store, prepare=warm_up, retire=forget)


def warm_up(store: FactStore) -> None:
    """Build the store's Answerer and compile the answer template before the first question.

    Both happen once per process and would otherwise add about 150 ms to the first answer.
    """
    answerer_for(store)  # claim verdicts, the partner name index
    help_answer = Answer(kind="help", understood="", suggestions=EXAMPLES)
    render_mrkdwn(help_answer)
    render_blocks(help_answer)
