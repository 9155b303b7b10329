"""ask(store, text) for tests: one answering Context per store, built on first use."""

from __future__ import annotations

from functools import cache

from facts.answer import answer
from facts.context import Context
from facts.model import Answer
from facts.store import FactStore


@cache
def context_of(store: FactStore) -> Context:
    """The store's Context (names, claim verdicts), built once per test session."""
    return Context.build(store)


def ask(store: FactStore, text: str) -> Answer:
    """The answer to a question, as the bot computes it."""
    return answer(context_of(store), text)
