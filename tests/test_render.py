"""Answers render as text, mrkdwn and Block Kit: exact figures, citations, escaping, limits."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from asking import ask

from bot.render import answer_json, render_blocks, render_mrkdwn, render_text
from facts.model import Answer
from facts.numbers import amount
from facts.store import FactStore

CENSUS_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("334492100000"), "USD", "$334.5 billion"),
        (Decimal("-168618000000"), "USD", "-$168.6 billion"),
        (Decimal("5594401600000"), "USD", "$5.59 trillion"),
        (Decimal("63800000"), "USD", "$63.8 million"),
        (Decimal("2.3346697"), "x", "2.33×"),
        (Decimal("3979.66"), "USD per person", "$3,980 per person"),
        (Decimal("101.685"), "USD per person", "$101.69 per person"),
        (Decimal("25185"), "encounters", "25,185 encounters"),
        (Decimal("843.628"), "lb", "843.6 lb"),
    ],
)
def test_amounts_are_formatted_for_reading(value: Decimal, unit: str, text: str) -> None:
    assert amount(value, unit) == text


def test_text_answer_gives_figure_exact_value_claim_and_source(store: FactStore) -> None:
    text = render_text(ask(store, "mexico exports 2024"))
    lines = text.splitlines()
    assert lines[:2] == [
        "U.S. exports to Mexico, 2024: $334.5 billion",
        "Up 3.1% from 2023 ($324.4 billion) · #2 among U.S. export markets, 2024",
    ]
    assert "Exactly: $334,492,100,000 · Basis: Goods only, Census basis" in text
    assert text.count("Basis:") == 1
    assert "✅ Supported — Claim 1 (trade)" in text
    assert "Op-ed: $335 billion · Data: $334.5 billion (-0.15% off)" in text
    assert "U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods by Country" in text
    assert CENSUS_URL in text


def test_mrkdwn_escapes_everything_from_the_user(store: FactStore) -> None:
    answer = ask(store, "exports to <!channel> & <@U123> 2024")
    text = render_mrkdwn(answer) + json.dumps(render_blocks(answer))
    assert "<!channel>" not in text and "<@U123>" not in text
    assert "&lt;" not in answer.reason  # escaping happens when rendering, not in the data


def test_mrkdwn_cites_sources_as_links(store: FactStore) -> None:
    mrkdwn = render_mrkdwn(ask(store, "mexico exports 2024"))
    assert (
        f"<{CENSUS_URL}|U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods" in mrkdwn
    )


@pytest.mark.parametrize(
    "question",
    ["claims", "top 50 export markets 2024", "help", "mexico exports 1991-2025", "small business"],
)
def test_blocks_stay_within_slack_limits(store: FactStore, question: str) -> None:
    blocks = render_blocks(ask(store, question))
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10


def test_claims_list_blocks_hold_every_claim(store: FactStore) -> None:
    blocks = render_blocks(ask(store, "claims"))
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert body.count("— Claim ") == len(store.claims)


def test_every_rendered_answer_cites_a_source(store: FactStore) -> None:
    for question in ["mexico exports 2024", "nationwide encounters june 2025", "per capita"]:
        answer = ask(store, question)
        assert answer.sources
        assert all(s.url or s.url_note for s in answer.sources)
        context = [b for b in render_blocks(answer) if b["type"] == "context"]
        assert context and "Source:" in context[-1]["elements"][0]["text"]


def test_json_answer_has_the_documented_shape(store: FactStore) -> None:
    data = answer_json(ask(store, "mexico vs china exports 2024"))
    assert data["kind"] == "compare"
    assert data["facts"][0] == {
        "metric": "exports", "partner": "MEX", "period": "2024", "value": 334492100000,
        "unit": "USD", "source_id": "census-trade-by-country", "label": "Mexico", "note": "",
        "basis": "Goods only, Census basis (not balance-of-payments basis), not seasonally"
        " adjusted, nominal dollars. Exports are F.A.S. value (what the partner buys from the"
        " U.S.); imports are general imports, customs value.",
        "dimension": "",
    }  # fmt: skip
    assert round(data["derived"]["ratio"], 2) == 2.33
    assert data["claims"][0]["id"] == "mexico-vs-china-2024"
    assert data["claims"][0]["verdict"] == "supported"
    assert data["sources"][0]["url"] == CENSUS_URL
    json.dumps(data)


def test_help_lists_examples() -> None:
    text = render_text(Answer(kind="help", understood="help", suggestions=("mexico exports 2024",)))
    assert "• mexico exports 2024" in text
