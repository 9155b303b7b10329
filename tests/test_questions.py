"""The question set: every entry of tests/questions.yaml asked in-process against the real store.

The expected figures in the YAML were computed from data/raw/ independently of the bot. An entry
marked `xfail` is a known bug: its expectation is the correct one and the bot still gets it wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from asking import ask

from bot.render import render_mrkdwn, render_text
from facts.model import Answer, AnswerKind, Derived
from facts.store import FactStore

QUESTIONS = Path(__file__).with_name("questions.yaml")
KINDS = set(get_args(AnswerKind))
KEYS = {
    "q",
    "repeat",
    "kind",
    "partner",
    "period",
    "value",
    "ratio",
    "share",
    "per_capita",
    "sum",
    "rank",
    "rank_first",
    "last_period",
    "claim",
    "verdict",
    "verdicts",
    "hostile",
    "xfail",
}
VERDICTS = {"supported", "roughly", "not_supported", "unverifiable"}
# Slack markup that must never reach a reply unescaped: <!channel>, <@U123>, <#C1>, <https://x|y>.
MARKUP = re.compile(r"<(?:[!@#]|https?:)[^>]*>?")
CENT = Decimal("0.01")

ENTRIES: list[dict[str, Any]] = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


def _question(entry: dict[str, Any]) -> str:
    return str(entry["q"]) * int(entry.get("repeat", 1))


def _id(entry: dict[str, Any]) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", _question(entry))
    return text[:60] or "<empty>"


def _params() -> list[Any]:
    params = []
    for entry in ENTRIES:
        marks = (
            [pytest.mark.xfail(reason=str(entry["xfail"]), strict=True)] if "xfail" in entry else []
        )
        params.append(pytest.param(entry, id=_id(entry), marks=marks))
    return params


def _round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _derived(answer: Answer, name: str) -> list[Derived]:
    found = [d for d in answer.derived if d.name == name]
    assert found, f"no derived {name!r} in {_summary(answer)}"
    return found


def _summary(answer: Answer) -> str:
    first = answer.facts[0] if answer.facts else None
    fact = f"{first.partner} {first.period} {first.value}" if first else "no facts"
    return f"{answer.kind}: {answer.understood} [{fact}]"


def _same_value(got: Decimal, expected: Any) -> bool:
    """Exact for whole numbers (USD, people, encounters); to the expected's places for lb."""
    want = Decimal(str(expected))
    if isinstance(expected, str) and want.as_tuple().exponent < 0:
        return Decimal(got).quantize(want, rounding=ROUND_HALF_UP) == want
    return Decimal(got) == want


def test_question_set_is_well_formed() -> None:
    assert len(ENTRIES) >= 90
    questions = [_question(e) for e in ENTRIES]
    duplicates = [q for q, n in Counter(questions).items() if n > 1]
    assert not duplicates, duplicates
    for entry in ENTRIES:
        assert set(entry) <= KEYS, (entry["q"], set(entry) - KEYS)
        assert entry["kind"] in KINDS, entry
        assert ("claim" in entry) == ("verdict" in entry), entry
        assert entry.get("verdict", "supported") in VERDICTS, entry
        assert set(entry.get("verdicts", {}).values()) <= VERDICTS, entry
    kinds = {e["kind"] for e in ENTRIES}
    assert kinds == KINDS, KINDS - kinds


@pytest.mark.parametrize("entry", _params())
def test_question(store: FactStore, entry: dict[str, Any]) -> None:
    question = _question(entry)
    answer = ask(store, question)
    assert isinstance(answer, Answer)
    assert answer.kind == entry["kind"], _summary(answer)

    for key in ("partner", "period", "value"):
        if key in entry:
            assert answer.facts, f"{key} expected but {_summary(answer)}"
    if "partner" in entry:
        assert answer.facts[0].partner == entry["partner"], _summary(answer)
    if "period" in entry:
        assert answer.facts[0].period == str(entry["period"]), _summary(answer)
    if "value" in entry:
        assert _same_value(answer.facts[0].value, entry["value"]), _summary(answer)
    if "last_period" in entry:
        assert answer.facts[-1].period == str(entry["last_period"]), _summary(answer)
    if "rank_first" in entry:
        wanted = list(entry["rank_first"])
        assert [f.partner for f in answer.facts[: len(wanted)]] == wanted, _summary(answer)

    if "ratio" in entry:
        got = _round2(_derived(answer, "ratio")[0].value)
        assert got == Decimal(str(entry["ratio"])), got
    if "share" in entry:
        got = _round2(_derived(answer, "share_pct")[0].value)
        assert got == Decimal(str(entry["share"])), got
    if "per_capita" in entry:
        got = _round2(_derived(answer, "per_capita")[-1].value)  # the last: all partners together
        assert got == Decimal(str(entry["per_capita"])), got
    if "sum" in entry:
        got = _derived(answer, "sum")[0].value
        assert got == Decimal(str(entry["sum"])), got
    if "rank" in entry:
        got = _derived(answer, "rank")[0].value
        assert got == Decimal(entry["rank"]), got

    verdicts = {c.id: c.verdict for c in answer.claims}
    if "claim" in entry:
        assert entry["claim"] in verdicts, (entry["claim"], sorted(verdicts))
        assert verdicts[entry["claim"]] == entry["verdict"], answer.claims
    if "verdicts" in entry:
        assert verdicts == entry["verdicts"]
        assert [c.id for c in answer.claims] == list(entry["verdicts"])

    text, mrkdwn = render_text(answer), render_mrkdwn(answer)
    assert "Traceback" not in text and "Traceback" not in mrkdwn
    if entry.get("hostile"):
        assert "<!" not in mrkdwn and "<@" not in mrkdwn, mrkdwn
        for token in MARKUP.findall(question):
            assert token not in mrkdwn, token
