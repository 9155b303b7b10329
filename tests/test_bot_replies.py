"""Rendered replies are cached like answers: per store and normalised question, bounded."""

from __future__ import annotations

from typing import Any

from asking import context_of

from bot.handlers import answered, ephemeral_reply
from bot.replies import Replies, Reply
from facts.model import Answer, Lang
from facts.store import FactStore


def _counting(store: FactStore, made: list[str]) -> Replies:
    def make(question: str, lang: Lang | None = None) -> tuple[Answer, Reply]:
        made.append(question)
        return answered(question, context_of(store), lang)

    return Replies(store, make, limit=2)


def _button_values(reply: dict[str, Any]) -> list[str]:
    return [e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_a_question_asked_again_in_other_case_or_spacing_is_rendered_once(
    store: FactStore,
) -> None:
    made: list[str] = []
    replies = _counting(store, made)
    first = replies.get("Mexico exports 2024")
    assert replies.get("  mexico   EXPORTS 2024 ") is first
    assert made == ["Mexico exports 2024"]


def test_the_cached_reply_is_the_rendered_answer_and_the_button_keeps_the_typed_question(
    store: FactStore,
) -> None:
    replies = _counting(store, [])
    answer, reply = replies.get("Mexico exports 2024")
    assert reply == answered("mexico exports 2024", context_of(store))[1]
    typed = ephemeral_reply("MEXICO exports 2024", *replies.get("MEXICO exports 2024"))
    assert _button_values(typed) == ["MEXICO exports 2024"]
    assert _button_values(reply) == []  # adding the button left the cached reply alone


def test_replies_keep_only_the_most_recently_used(store: FactStore) -> None:
    made: list[str] = []
    replies = _counting(store, made)
    for question in ("mexico exports 2024", "canada exports 2024", "mexico exports 2024"):
        replies.get(question)
    replies.get("china exports 2024")  # evicts canada, the least recently used
    replies.get("mexico exports 2024")
    assert len(replies) == 2
    assert made == ["mexico exports 2024", "canada exports 2024", "china exports 2024"]
