"""Answers lead with the answer: headline, takeaway, a glance of long lists, context, buttons.

Every answer kind's blocks are checked with slack_sdk's Block Kit models, the same classes Slack's
own SDK uses to build messages: a block they cannot parse, or parse into something else, is one
Slack would refuse.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asking import ask
from slack_sdk.models.blocks import Block

from bot.handlers import ephemeral_reply, message_reply, shared_reply
from bot.render import ASK_ACTION, SHOW_ALL_ACTION, render_blocks, render_text
from facts.store import FactStore

KINDS = {
    "lookup": "mexico exports 2024",
    "lookup, balance": "mexico balance 2025",
    "lookup, series": "nationwide encounters june 2025",
    "compare": "mexico vs china exports 2024",
    "compare periods": "mexico exports 2020 vs 2024",
    "sum": "mexico and canada exports 2024",
    "share": "mexico share of exports 2024",
    "rank": "top 10 export markets 2024",
    "rank, long": "top 60 export markets 2024",
    "rank of": "where does mexico rank 2024",
    "trend": "mexico exports 2015-2024",
    "trend, long": "mexico exports 1991-2025",
    "trend, monthly": "nationwide encounters trend",
    "extreme": "highest month of mexico exports",
    "claim": "claim 3",
    "claims": "claims",
    "help": "help",
    "not understood": "what is the meaning of life",
    "no data": "mexico gdp 2024",
    "per person": "per capita",
    "border, state": "texas exports to mexico 2024",
    "border, ranking": "which U.S. states export the most to Mexico in 2024",
    "tariffs": "effective tariff rate on canada june 2025",
    "check": "check: In 2024 Mexico bought $335 billion of U.S. goods.",
}


def _valid(blocks: list[dict[str, Any]]) -> None:
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()  # raises SlackObjectFormationError past any Block Kit limit
        assert parsed.to_dict() == block  # nothing Slack doesn't know, nothing dropped


@pytest.mark.parametrize("question", KINDS.values(), ids=KINDS.keys())
def test_every_answer_kind_renders_valid_block_kit(store: FactStore, question: str) -> None:
    answer = ask(store, question)
    _valid(render_blocks(answer))
    _valid(ephemeral_reply(question, answer)["blocks"])
    _valid(shared_reply(answer, "U0PERSON")["blocks"])


@pytest.mark.parametrize("question", KINDS.values(), ids=KINDS.keys())
def test_no_internal_notes_reach_a_message(store: FactStore, question: str) -> None:
    reply = message_reply(ask(store, question))
    text = reply["text"] + json.dumps(reply["blocks"])
    for internal in ("claims.yaml", "sources.yaml", ".csv", ".duckdb", "no URL", "plain text",
                     "source_id", "census-trade-by-country"):  # fmt: skip
        assert internal not in text


def test_balance_reads_as_a_deficit_that_widened(store: FactStore) -> None:
    lines = render_text(ask(store, "mexico balance 2025")).splitlines()
    # 2025: 337,281,700,000 - 534,314,900,000; 2024: -168,618,000,000 (tests/test_store.py)
    assert lines[:5] == [
        "U.S. trade balance with Mexico, 2025: deficit of $197.0 billion",
        "Deficit wider by $28.4 billion than in 2024 ($168.6 billion)",
        "• Trade balance with Mexico, 2025: deficit of $197.0 billion",
        "• Exports to Mexico, 2025: $337.3 billion",
        "• Imports from Mexico, 2025: $534.3 billion",
    ]
    assert "-16.9%" not in "\n".join(lines)


def test_balance_between_two_years_says_narrower_or_wider(store: FactStore) -> None:
    lines = render_text(ask(store, "mexico balance 2020 vs 2024")).splitlines()
    assert lines[1] == "Deficit wider by $57.7 billion in 2024 than in 2020"


def test_a_trend_leads_with_its_growth_and_record(store: FactStore) -> None:
    lines = render_text(ask(store, "mexico exports 2015-2024")).splitlines()
    assert lines[0] == "U.S. exports to Mexico, 2015–2024: $236.5 billion to $334.5 billion"
    assert lines[1] == (
        "Up 41.5% from 2015 to 2024, +3.9% a year on average · peak: 2024 ($334.5 billion)"
    )


def test_a_long_trend_is_cut_to_a_glance_with_the_rest_behind_a_button(store: FactStore) -> None:
    answer = ask(store, "mexico exports 1991-2025")
    assert len(answer.facts) == 35
    periods = [f.period for f in answer.glance]
    lowest = min(answer.facts, key=lambda f: f.value).period
    highest = max(answer.facts, key=lambda f: f.value).period
    assert periods == sorted({"1991", "2024", "2025", lowest, highest})
    text = render_text(answer)
    assert text.count("• Exports to Mexico") == len(periods)
    assert f"{len(periods)} of 35 figures shown" in text
    buttons = _buttons(render_blocks(answer))
    assert buttons[0]["action_id"] == SHOW_ALL_ACTION
    assert buttons[0]["value"] == "mexico exports 1991-2025"
    assert buttons[0]["text"]["text"] == "Show all 35"


def test_a_long_ranking_shows_the_top_ten(store: FactStore) -> None:
    answer = ask(store, "top 60 export markets 2024")
    assert [f.partner for f in answer.glance] == [f.partner for f in answer.facts[:10]]
    text = render_text(answer)
    assert "10. Singapore" in text and "11. " not in text


def test_exact_values_and_basis_appear_once_in_the_context_line(store: FactStore) -> None:
    blocks = render_blocks(ask(store, "mexico vs china exports 2024"))
    context = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert context[0] == "Understood: U.S. goods exports to Mexico and China, compared, 2024"
    assert context[1].startswith(
        "Exactly: Mexico $334,492,100,000; China $143,271,700,000 · Basis: Goods only"
    )
    assert json.dumps(blocks).count("Basis:") == 1
    assert "exactly" not in json.dumps(blocks)


def test_suggestions_are_buttons_that_ask_the_question(store: FactStore) -> None:
    answer = ask(store, "what is the meaning of life")
    buttons = _buttons(render_blocks(answer))
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (f"{ASK_ACTION}-{n}", s) for n, s in enumerate(answer.suggestions)
    ]
    assert all(b["text"]["text"] == b["value"] for b in buttons)
    body = [b["text"]["text"] for b in render_blocks(answer) if b["type"] == "section"]
    assert not any("Try:" in text for text in body)  # not a second time as text


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
