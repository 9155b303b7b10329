"""Replies: rendered answers, cached per store and normalised question like the answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.render import render_blocks, render_mrkdwn
from facts.answer import EXAMPLES, cache_key
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


def warm_up(store: FactStore) -> None:
    """Load the annual figures and compile the answer template before the first question.

    Both happen once per process and would otherwise add about 100 ms to the first answer.
    """
    store.trade_year("exports", "MEX", store.coverage.trade_years[0])  # the annual table
    help_answer = Answer(kind="help", understood="", suggestions=EXAMPLES)
    render_mrkdwn(help_answer)
    render_blocks(help_answer)
