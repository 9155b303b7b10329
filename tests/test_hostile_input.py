"""Hostile input to ask(): no exception, no execution, nothing rendered unescaped."""

from __future__ import annotations

import json
import re
from typing import get_args

import pytest
from asking import ask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import render_blocks, render_mrkdwn
from facts.model import Answer, AnswerKind
from facts.store import FactStore

KINDS = set(get_args(AnswerKind))  # every kind the model declares ("CHECK 0" is a 'check')
ATTACKS = [
    "'; DROP TABLE trade_annual; --",
    "mexico exports 2024'; DELETE FROM sources; --",
    "1 UNION SELECT * FROM sources",
    "read_csv('/etc/passwd')",
    "mexico exports from read_csv('/etc/passwd') 2024",
    "<!channel> mexico exports 2024",
    "<!here> <@U123> <https://evil.example|click> exports to mexico 2024",
    "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}",
    "\x00\x01\x1b[31m mexico \u202e exports 2024",
    "🇲🇽🚚💵" * 20,
    "x" * 10_000,
    "",
]


def _links_only_to_sources(answer: Answer, text: str) -> bool:
    """Every <...> in rendered mrkdwn is one of our citation links."""
    urls = {s.url for s in answer.sources if s.url}
    return all(
        any(segment.startswith(f"<{url}|") for url in urls)
        for segment in re.findall(r"<[^>]*>", text)
    )


def _check(store: FactStore, question: str) -> Answer:
    answer = ask(store, question)
    assert answer.kind in KINDS
    mrkdwn = render_mrkdwn(answer)
    blocks = json.dumps(render_blocks(answer), ensure_ascii=False)
    for rendered in (mrkdwn, blocks):
        assert "Traceback" not in rendered and "duckdb" not in rendered.lower()
        assert "/work/" not in rendered and "site-packages" not in rendered
    assert _links_only_to_sources(answer, mrkdwn)
    return answer


@pytest.mark.parametrize("question", ATTACKS, ids=lambda q: repr(q[:30]))
def test_attack_gets_a_plain_answer(store: FactStore, question: str) -> None:
    answer = _check(store, question)
    if "DROP" in question or "UNION" in question or "read_csv" in question or "{{" in question:
        assert answer.kind == "not_understood"
    if "{{" in question:
        assert "49" not in render_mrkdwn(answer)


def test_store_is_unchanged_after_attacks(store: FactStore) -> None:
    before = store.table_counts()
    for question in ATTACKS:
        ask(store, question)
    assert store.table_counts() == before


def test_mention_markup_in_a_real_question_is_escaped(store: FactStore) -> None:
    answer = _check(store, "<!channel> exports to <@U123> 2024")
    assert "&lt;" in render_mrkdwn(answer) or "<!channel>" not in render_mrkdwn(answer)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=600))
def test_any_unicode_text_gets_an_answer(store: FactStore, question: str) -> None:
    _check(store, question)


WORDS = (
    "mexico china exports imports vs and top 10 2024 march 2025 since 2019 per capita encounters"
    " fentanyl claim <!here> ' ; -- select {{ }} & ytd latest méxico canadá"
).split()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_any_mix_of_known_words_gets_an_answer(store: FactStore, question: str) -> None:
    _check(store, question)
