"""The parser as a spec: each question -> the whole typed Query, and refusals naming the word.

A question's words are either used by its Query or reported in `not_used`: a qualifier the store
cannot serve (a product, a U.S. state, a port, deportations...) is refused by name, never dropped.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from asking import ask, context_of

from facts.model import Op, Period, Query
from facts.parse import parse_question
from facts.store import FactStore

Y = Period("year", (2024, 1))


def _parse(store: FactStore, question: str) -> Query | None:
    ctx = context_of(store)
    query = parse_question(question, ctx.names, ctx.claim_index, ctx.border)
    return replace(query, words=()) if query else None


QUERIES = [
    ("mexico exports 2024", Query(Op.LOOKUP, "exports", ("MEX",), Y)),
    ("mexico imoprts 2024", Query(Op.LOOKUP, "imports", ("MEX",), Y)),
    ("mex\u200bico exports 2024", Query(Op.LOOKUP, "exports", ("MEX",), Y)),
    ("mexico vs china exports 2024", Query(Op.COMPARE, "exports", ("MEX", "CHN"), Y)),
    ("mexico and canada exports 2024", Query(Op.SUM, "exports", ("MEX", "CAN"), Y)),
    ("FY2023 encounters", Query(Op.LOOKUP, "encounters", ("nationwide",), Period("fiscal", (2023, 10)))),
    ("fy26 so far encounters", Query(Op.LOOKUP, "encounters", ("nationwide",), Period("fytd", (2026, 10)))),
    ("fentanyl seized fy2024", Query(Op.LOOKUP, "seizures", (), Period("fiscal", (2024, 10)), drug="fentanyl")),
    ("southwest border encounters fiscal year 2022", Query(Op.LOOKUP, "encounters", ("southwest",), Period("fiscal", (2022, 10)))),
    ("encuentros año fiscal 2024", Query(Op.LOOKUP, "encounters", ("nationwide",), Period("fiscal", (2024, 10)))),
    ("mexico exports Q3 2025 yoy", Query(Op.LOOKUP, "exports", ("MEX",), Period("months", (2025, 7), (2025, 9)))),
    ("mexico exports jan-mar 2026", Query(Op.LOOKUP, "exports", ("MEX",), Period("months", (2026, 1), (2026, 3)))),
    ("exports to mexico from january to august 2025", Query(Op.LOOKUP, "exports", ("MEX",), Period("months", (2025, 1), (2025, 8)))),
    ("mexico exports ytd thru aug", Query(Op.LOOKUP, "exports", ("MEX",), Period("ytd", None, (0, 8)))),
    ("exportaciones a México tercer trimestre 2025", Query(Op.LOOKUP, "exports", ("MEX",), Period("months", (2025, 7), (2025, 9)))),
    ("mexico exports H2 2025", Query(Op.LOOKUP, "exports", ("MEX",), Period("months", (2025, 7), (2025, 12)))),
    ("population of mexico 1960-2024", Query(Op.TREND, "population", ("MEX",), Period("years", (1960, 1), (2024, 12)))),
    ("top 1000 export markets 2024", Query(Op.RANK, "exports", (), Y, top_n=1000)),
    ("top 50 exports per person 2024", Query(Op.RANK, "exports", (), Y, per_capita=True, top_n=50)),
    ("best month ever for exports to Mexico", Query(Op.EXTREME, "exports", ("MEX",), extreme="max", over="months")),
    ("lowest month for border encounters", Query(Op.EXTREME, "encounters", ("nationwide",), extreme="min", over="months")),
    ("which country has the biggest trade deficit", Query(Op.EXTREME, "balance", (), extreme="min", over="partners")),
    ("which country has the biggest trade surplus", Query(Op.EXTREME, "balance", (), extreme="max", over="partners")),
    ("biggest supplier of US imports", Query(Op.EXTREME, "imports", (), extreme="max", over="partners")),
    ("what % of american exports go to china", Query(Op.SHARE, "exports", ("CHN",))),
    ("share of us exports to mexico and canada 2024", Query(Op.SHARE, "exports", ("MEX", "CAN"), Y)),
    ("how much does each Mexican spend on US goods", Query(Op.LOOKUP, "exports", ("MEX",), per_capita=True)),
    ("crecimiento de las exportaciones a México 2015-2024", Query(Op.TREND, "exports", ("MEX",), Period("years", (2015, 1), (2024, 12)))),
    ("Mexico exports to the US 2024", Query(Op.LOOKUP, "imports", ("MEX",), Y)),
    ("balanza comercial con méxico 2024", Query(Op.LOOKUP, "balance", ("MEX",), Y)),
    ("How many migrants were stopped at the southern border in fiscal 2024?", Query(Op.LOOKUP, "encounters", ("southwest",), Period("fiscal", (2024, 10)))),
    ("us exports to mexico in the 1990s", Query(Op.TREND, "exports", ("MEX",), Period("years", (1990, 1), (1999, 12)))),
    ("mexico exports 2020 vs 2024", Query(Op.COMPARE_PERIODS, "exports", ("MEX",), Period("pair", (2020, 1), (2024, 12)))),
    ("What changed in the latest release?", Query(Op.CHANGES)),
    ("latest census revisions", Query(Op.CHANGES)),
    ("qué cambió en la última publicación", Query(Op.CHANGES)),
    # border dimensions (facts.parse_border)
    ("Texas exports to Mexico 2024", Query(Op.LOOKUP, "exports", ("MEX",), Y, dimension="state", keys=("TX",))),
    ("California vs Michigan exports to Mexico", Query(Op.COMPARE, "exports", ("MEX",), dimension="state", keys=("CA", "MI"))),
    ("which U.S. states export the most to Mexico", Query(Op.RANK, "exports", ("MEX",), dimension="state")),
    ("Laredo's share of U.S.–Mexico trade", Query(Op.SHARE, "total", ("MEX",), dimension="port", keys=("2304",))),
    ("pipeline imports from Canada 2024", Query(Op.LOOKUP, "imports", ("CAN",), Y, dimension="mode", keys=("pipeline",))),
    ("what does the U.S. sell to Mexico", Query(Op.RANK, "exports", ("MEX",), dimension="commodity")),
    ("U.S. exports to Nuevo León 2024", Query(Op.LOOKUP, "exports", ("MEX",), Y, dimension="mexstate", keys=("Nuevo Leon",))),
    ("average tariff on Chinese goods 2017 vs 2025", Query(Op.COMPARE_PERIODS, "duty_rate", (), Period("pair", (2017, 1), (2025, 12)), dimension="duties", keys=("CHN",))),
    ("which countries paid the most U.S. tariffs in 2025", Query(Op.RANK, "duties", (), Period("year", (2025, 1)), dimension="duties")),
    ("encounters of Mexican nationals FY2024", Query(Op.LOOKUP, "encounters", ("nationwide",), Period("fiscal", (2024, 10)), dimension="citizenship", keys=("MEX",))),
    ("Guatemalan encounters at the southwest border", Query(Op.LOOKUP, "encounters", ("southwest",), dimension="citizenship", keys=("GTM",))),
]  # fmt: skip


@pytest.mark.parametrize(("question", "query"), QUERIES, ids=[q for q, _ in QUERIES])
def test_question_parses_to_the_whole_query(store: FactStore, question: str, query: Query) -> None:
    assert _parse(store, question) == query


REFUSALS = [
    ("How much corn did the US export to Mexico in 2024?", "product", "corn"),
    ("steel imports from china 2024", "product", "steel"),
    ("Texas exports to China 2024", "other_partner", "china"),
    ("New Mexico exports 2024", "state_world", "new mexico"),
    ("how much trade crossed at Nogales in 2024", "other_port", "nogales"),
    ("tariff on steel from mexico 2025", "product_tariff", "steel"),
    ("machinery imports from mexico 2024", "commodity_imports", "machinery"),
    ("machinery exports to canada 2024", "commodity_partner", "machinery"),
    ("narnia exports 2024", "unknown_word", "narnia"),
    ("encounters share fy2024", "unknown_word", "share"),
    ("How many trucks crossed at Laredo in 2024?", "count", "trucks"),
    ("exports to narnia 2024", "unknown_partner", "narnia"),
    ("how many people were deported to Mexico in 2024", "removals", "deported"),
    ("services exports to mexico 2024", "services", "services"),
    ("mexico exports 2024 in pesos", "currency", "pesos"),
    ("mexico gdp 2024", "unsupported", "GDP"),
    ("mexico inflation 2024", "unsupported", "inflation"),
    ("US exports to Mexico in 1994, the year NAFTA started", "unknown_word", "started"),
]


@pytest.mark.parametrize(("question", "refusal", "word"), REFUSALS, ids=[q for q, *_ in REFUSALS])
def test_a_qualifier_the_data_cannot_serve_is_refused_by_name(
    store: FactStore, question: str, refusal: str, word: str
) -> None:
    query = _parse(store, question)
    assert query is not None and query.op == Op.REFUSE
    assert query.refusal == refusal
    assert word in query.not_used
    answer = ask(store, question)
    assert answer.kind == "no_data"
    assert answer.facts == ()  # never a figure for the broader question as the answer
    assert word in answer.not_used and f"“{word}”" in answer.reason + answer.understood


def test_a_refused_product_shows_the_broader_figure_only_as_context(store: FactStore) -> None:
    answer = ask(store, "How much corn did the US export to Mexico in 2024?")
    assert answer.facts == ()
    assert [(f.partner, f.period, f.value) for f in answer.related] == [
        ("MEX", "2024", 334_492_100_000)
    ]


def test_trade_between_two_other_countries_is_refused(store: FactStore) -> None:
    query = _parse(store, "How much does Canada sell to Mexico?")
    assert query is not None and (query.op, query.refusal) == (Op.REFUSE, "third_country")
    assert ask(store, "How much does Canada sell to Mexico?").facts == ()


def test_a_group_is_never_added_to_its_members(store: FactStore) -> None:
    answer = ask(store, "mexico and nafta exports 2024")
    assert answer.kind == "no_data" and answer.facts == ()
    assert "count the same trade twice" in answer.reason


def test_a_word_of_the_question_is_never_read_as_a_misspelt_country(store: FactStore) -> None:
    answer = ask(store, "¿Cuántos migrantes mexicanos encontró la CBP en el año fiscal 2024?")
    assert answer.kind == "lookup"  # "migrantes" is not "Emirates"
    assert [f.period for f in answer.facts][:1] == ["FY2024"]
    assert "Emiratos" not in answer.headline and "Emirates" not in answer.headline
