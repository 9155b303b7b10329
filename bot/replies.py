"""Replies: rendered answers, cached per store and normalised question like the answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.render import render_blocks, render_mrkdwn
from facts.answer import EXAMPLES, cache_key
from facts.context import Context
from facts.live import LiveStore
from facts.model import Answer, Lang
from facts.store import FactStore

Reply = dict[str, Any]
MAX_REPLIES = 2048  # rendered replies kept per process (a few MB)


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
        make: Callable[[str, Lang | None], tuple[Answer, Reply]],
        limit: int = MAX_REPLIES,
    ) -> None:
        self._version = store.fingerprint
        self._make = make
        self._limit = limit
        self._replies: OrderedDict[tuple[str, str, str], tuple[Answer, Reply]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, question: str, lang: Lang | None = None) -> tuple[Answer, Reply]:
        """The answer to `question` (in `lang`, else its own language), made the first time."""
        key = (self._version, lang or "", cache_key(question))
        with self._lock:
            found = self._replies.get(key)
            if found is not None:
                self._replies.move_to_end(key)
                return found
        made = self._make(question, lang)  # outside the lock: two first asks may both render
        with self._lock:
            self._replies[key] = made
            if len(self._replies) > self._limit:
                self._replies.popitem(last=False)
        return made

    def __len__(self) -> int:
        with self._lock:
            return len(self._replies)


class LiveReplies:
    """The replies of a LiveStore: one Replies (and one Context) per store, dropped with it.

    A new store's Context (names, claim verdicts) and warm-up are made in the LiveStore's
    switching thread, before requests move to it, so no request pays for them.
    """

    def __init__(
        self,
        store: FactStore | LiveStore,
        make: Callable[[str, Context, Lang | None], tuple[Answer, Reply]],
    ) -> None:
        self._live = store if isinstance(store, LiveStore) else LiveStore(store)
        self._make = make
        self._by_store: dict[int, tuple[Context, Replies]] = {}
        self._lock = threading.Lock()
        self._live.add_hooks(prepare=self._prepare, retire=self._retire)
        with self._live.use() as current:
            self._prepare(current)

    def get(self, question: str, lang: Lang | None = None) -> tuple[Answer, Reply]:
        """The answer and reply to `question` (in `lang`), both computed on one store."""
        with self._live.use() as store:
            return self._of(store)[1].get(question, lang)

    def context(self) -> Context:
        """The current store's Context."""
        with self._live.use() as store:
            return self._of(store)[0]

    def _of(self, store: FactStore) -> tuple[Context, Replies]:
        with self._lock:
            found = self._by_store.get(id(store))
        return found or self._prepare(store)  # a store switched to before this existed

    def _prepare(self, store: FactStore) -> tuple[Context, Replies]:
        context = Context.build(store)
        replies = Replies(store, lambda question, lang: self._make(question, context, lang))
        warm_up(store)
        with self._lock:
            return self._by_store.setdefault(id(store), (context, replies))

    def _retire(self, store: FactStore) -> None:
        with self._lock:
            self._by_store.pop(id(store), None)


def warm_up(store: FactStore) -> None:
    """Load the annual figures and compile the answer template before the first question.

    Both happen once per process and would otherwise add about 100 ms to the first answer.
    """
    store.trade_year("exports", "MEX", store.coverage.trade_years[0])  # the annual table
    help_answer = Answer(kind="help", understood="", suggestions=EXAMPLES)
    render_mrkdwn(help_answer)
    render_blocks(help_answer)
