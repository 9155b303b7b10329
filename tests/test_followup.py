"""Follow-ups: a partial question read against the previous one, in English and Spanish."""

from __future__ import annotations

import pytest
from asking import ask, context_of

from facts.followup import FollowUp, follow_up
from facts.store import FactStore


@pytest.mark.parametrize(
    ("previous", "text", "whole"),
    [
        ("mexico exports 2024", "and in 2023?", "mexico exports 2023"),
        ("mexico exports 2024", "2023", "mexico exports 2023"),
        ("mexico exports 2024", "what about Canada?", "canada exports 2024"),
        ("mexico exports 2024", "and the United Kingdom in 2023?", "united kingdom exports 2023"),
        ("mexico exports 2024", "imports?", "mexico imports 2024"),
        ("mexico vs china exports 2024", "imports?", "mexico vs china imports 2024"),
        ("united kingdom exports 2024", "and japan", "japan exports 2024"),
        ("mexico balance march 2026", "and february 2026?", "mexico balance february 2026"),
        ("exportaciones a méxico 2024", "y en 2023?", "exportaciones a mexico 2023"),
        ("exportaciones a méxico 2024", "¿y Canadá?", "exportaciones a canada 2024"),
        ("exportaciones a méxico 2024", "importaciones?", "importaciones a mexico 2024"),
    ],
)  # fmt: skip
def test_a_follow_up_is_read_against_the_previous_question(
    store: FactStore, previous: str, text: str, whole: str
) -> None:
    assert follow_up(context_of(store), previous, text) == FollowUp(whole)


@pytest.mark.parametrize("text", ["as a chart", "chart it", "como gráfica", "show it as a chart"])
def test_as_a_chart_asks_the_previous_question_with_its_chart(store: FactStore, text: str) -> None:
    previous = "mexico exports 2015-2024"
    assert follow_up(context_of(store), previous, text) == FollowUp(previous, chart=True)


@pytest.mark.parametrize(
    "text",
    ["top 10 export markets 2024", "thanks!", "ok", "canada imports 2023 vs 2024 by month please"],
)
def test_a_whole_question_or_small_talk_is_not_a_follow_up(store: FactStore, text: str) -> None:
    assert follow_up(context_of(store), "mexico exports 2024", text) is None


def test_a_follow_up_is_answered_in_full(store: FactStore) -> None:
    found = follow_up(context_of(store), "mexico exports 2024", "and in 2023?")
    assert found is not None
    result = ask(store, found.question)
    assert result.headline == "U.S. exports to Mexico, 2023: $324.4 billion"
    assert result.understood == "U.S. goods exports to Mexico, 2023"
    spanish = follow_up(context_of(store), "exportaciones a méxico 2024", "y en 2023?")
    assert spanish is not None
    assert ask(store, spanish.question).headline == (
        "Exportaciones de EE. UU. a México, 2023: US$324.4 mil millones"
    )
