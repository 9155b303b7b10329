"""The questions trade reporters ask about U.S. states, ports, modes, goods, tariffs and
nationalities: each answered with its figure, its basis and its citation, or refused plainly.

Expected figures are read from the raw files here (csv/json), not through the store.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from bot.render import answer_json, render_text
from facts.answer import answer
from facts.context import Context
from facts.model import Answer
from facts.store import FactStore

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
BTS_BASIS = "BTS TransBorder: Census first-release values, not the revised Census totals"


@pytest.fixture(scope="module")
def ctx(store: FactStore) -> Context:
    return Context.build(store)


def ask(ctx: Context, question: str) -> Answer:
    return answer(ctx, question)


@cache
def _bts(name: str) -> list[dict[str, str]]:
    with (RAW / "bts-transborder" / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def bts(name: str, **where: str) -> int:
    rows = _bts(name)
    return int(
        sum(Decimal(r["TradeValue"]) for r in rows if all(r[k] == v for k, v in where.items()))
    )


def duty(year: int, code: str, months: tuple[int, ...] = tuple(range(1, 13))) -> tuple[int, int]:
    rows = json.loads((RAW / "census-duties-by-country" / f"{year}.json").read_text())["rows"]
    picked = [r for r in rows if r[1] == code and int(r[0][5:]) in months]
    return sum(int(r[3]) for r in picked), sum(int(r[4]) for r in picked)


def _facts(result: Answer) -> dict[str, Decimal]:
    return {f.label: f.value for f in result.facts}


@pytest.mark.parametrize(
    ("question", "label", "expected"),
    [
        (
            "Texas exports to Mexico 2024",
            "Texas exports to Mexico",
            bts(
                "us_state_trade.csv",
                Year="2024",
                State="Texas",
                Country="Mexico",
                TradeType="Export",
            ),
        ),
        (
            "exportaciones de Texas a México 2024",
            "Texas exports to Mexico",
            bts(
                "us_state_trade.csv",
                Year="2024",
                State="Texas",
                Country="Mexico",
                TradeType="Export",
            ),
        ),
        (
            "Michigan imports from Canada 2024",
            "Michigan imports from Canada",
            bts(
                "us_state_trade.csv",
                Year="2024",
                State="Michigan",
                Country="Canada",
                TradeType="Import",
            ),
        ),
        (
            "how much trade crossed at Laredo in 2024",
            "Laredo port: U.S. trade with Mexico",
            bts("texas_mexico_ports.csv", Year="2024", Port="Laredo"),
        ),
        (
            "El Paso imports 2024",
            "El Paso port: U.S. imports from Mexico",
            bts("texas_mexico_ports.csv", Year="2024", Port="El Paso", TradeType="Import"),
        ),
        (
            "how much U.S.–Mexico trade moves by truck in 2024",
            "U.S. trade with Mexico by truck",
            bts("us_transborder.csv", Year="2024", Country="Mexico", Mode="Truck"),
        ),
        (
            "rail exports to Mexico 2025",
            "U.S. exports to Mexico by rail",
            bts(
                "us_transborder.csv", Year="2025", Country="Mexico", Mode="Rail", TradeType="Export"
            ),
        ),
        (
            "pipeline imports from Canada 2024",
            "U.S. imports from Canada by pipeline",
            bts(
                "us_transborder.csv",
                Year="2024",
                Country="Canada",
                Mode="Pipeline",
                TradeType="Import",
            ),
        ),
        (
            "machinery exports to Mexico 2024",
            "Machinery & Electrical Equipment: U.S. exports to Mexico",
            bts(
                "commodity_mexstate_trade.csv",
                Year="2024",
                CommodityGroup="Machinery & Electrical Equipment",
            ),
        ),
        (
            "U.S. exports to Nuevo León 2024",
            "U.S. exports to Nuevo Leon (Mexican state)",
            bts("mexican_state_trade.csv", Year="2024", MexState="Nuevo Leon"),
        ),
    ],
)
def test_border_trade_lookups_equal_the_raw_files(
    ctx: Context, question: str, label: str, expected: int
) -> None:
    result = ask(ctx, question)
    assert result.kind == "lookup", result.reason
    assert result.facts[0].label == label
    assert result.facts[0].value == expected
    assert result.facts[0].source_id == "bts-transborder"
    assert result.sources[0].url == "https://www.bts.gov/transborder"


def test_a_state_answer_says_it_is_first_release_not_the_revised_census_total(
    ctx: Context,
) -> None:
    result = ask(ctx, "Texas exports to Mexico 2024")
    text = render_text(result)
    assert text.startswith("Texas exports to Mexico, 2024: $123.5 billion\nDown 4.6% from 2023")
    assert "Exactly: $123,525,096,575" in text
    assert f"Basis: {BTS_BASIS}" in text
    data = answer_json(result)
    assert data["facts"][0]["basis"] == BTS_BASIS
    assert data["facts"][0]["dimension"] == "state:TX"
    assert data["facts"][0]["source_id"] == "bts-transborder"


def test_which_states_export_the_most_to_mexico(ctx: Context) -> None:
    result = ask(ctx, "which U.S. states export the most to Mexico in 2024")
    assert result.kind == "rank"
    assert [f.label for f in result.facts[:5]] == [
        "Texas", "California", "Michigan", "Illinois", "Unknown",
    ]  # fmt: skip
    assert result.facts[0].value == 123_525_096_575


def test_california_vs_michigan(ctx: Context) -> None:
    result = ask(ctx, "California vs Michigan exports to Mexico 2024")
    assert result.kind == "compare"
    ratio = next(d for d in result.derived if d.name == "ratio")
    assert ratio.value == Decimal(33_517_001_674) / Decimal(17_081_084_943)


def test_laredo_share_is_of_us_mexico_trade_on_the_same_basis(ctx: Context) -> None:
    result = ask(ctx, "Laredo's share of U.S.–Mexico trade in 2024")
    assert result.kind == "share"
    laredo = bts("texas_mexico_ports.csv", Year="2024", Port="Laredo")
    every = bts("us_transborder.csv", Year="2024", Country="Mexico")
    share = next(d for d in result.derived if d.name == "share_pct")
    assert share.value == Decimal(laredo) / Decimal(every) * 100
    assert result.headline.startswith("Laredo port: 39.4% of U.S. trade with Mexico, 2024")
    assert {f.source_id for f in result.facts} == {"bts-transborder"}


def test_top_texas_ports(ctx: Context) -> None:
    result = ask(ctx, "top 3 Texas border ports 2024")
    assert [f.label for f in result.facts] == ["Laredo", "Ysleta", "Hidalgo/Pharr"]


def test_goods_answers_say_what_share_of_exports_they_cover(ctx: Context) -> None:
    result = ask(ctx, "what does the U.S. sell to Mexico in 2024")
    assert result.kind == "rank"
    assert result.facts[0].label == "Machinery & Electrical Equipment"
    assert result.facts[0].value == 90_845_495_001
    covered = next(d for d in result.derived if d.name == "covered_pct")
    assert covered.value == Decimal(258_265_637_435) / Decimal(334_041_359_045) * 100
    text = render_text(result)
    assert "$258.3 billion of $334.0 billion" in text
    assert "surface modes with a recorded Mexican state only" in text


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("El Paso imports 2019", "El Paso includes Ysleta before March 2020"),
        (
            "Texas exports to Mexico 2001",
            "air and vessel enter TransBorder only from November 2003",
        ),
        (
            "rail exports to Mexico october 2020",
            "October 2020 was derived by the source's processor",
        ),
    ],
)
def test_caveats_are_said_where_a_figure_touches_them(
    ctx: Context, question: str, note: str
) -> None:
    assert note in ask(ctx, question).facts[0].note


def test_monthly_rail_exports(ctx: Context) -> None:
    result = ask(ctx, "truck imports from mexico march 2025")
    expected = bts("monthly_trends.csv", Year="2025", Month="3", Country="Mexico", Mode="Truck",
                   TradeType="Import")  # fmt: skip
    assert result.facts[0].value == expected


def test_tariffs_on_chinese_imports_2025(ctx: Context) -> None:
    result = ask(ctx, "tariffs collected on Chinese imports in 2025")
    duties, imports = duty(2025, "5700")
    assert _facts(result) == {
        "Calculated duties on imports from China": duties,
        "Imports for consumption from China": imports,
    }
    assert result.facts[0].source_id == "census-duties-by-country"
    assert "imports for consumption" in result.facts[0].basis


def test_effective_rate_is_duties_over_imports_for_consumption(ctx: Context) -> None:
    result = ask(ctx, "effective tariff rate on imports from Canada june 2025")
    assert result.headline == "Effective tariff rate on imports from Canada, June 2025: 3.55%"
    duties, imports = duty(2025, "1220", (6,))
    rate = next(d for d in result.derived if d.name == "duty_rate_pct")
    assert rate.value == Decimal(duties) / Decimal(imports) * 100
    assert "rate = calculated duties ÷ imports for consumption" in render_text(result)
    assert "October 2026 vintage" in result.facts[0].basis


def test_which_countries_paid_the_most_tariffs(ctx: Context) -> None:
    result = ask(ctx, "which countries paid the most U.S. tariffs in 2025")
    assert [f.partner for f in result.facts[:3]] == ["CHN", "MEX", "VNM"]
    assert result.facts[1].value == duty(2025, "2010")[0]


def test_average_tariff_on_chinese_goods_2017_vs_2025(ctx: Context) -> None:
    result = ask(ctx, "average tariff on Chinese goods 2017 vs 2025")
    rates = [d.value for d in result.derived if d.name == "duty_rate_pct"]
    expected = [Decimal(d) / Decimal(v) * 100 for d, v in (duty(2017, "5700"), duty(2025, "5700"))]
    assert rates == expected
    assert result.headline == (
        "Effective tariff rate on imports from China: 2.68% in 2017 vs 30.60% in 2025"
    )


def test_total_tariff_revenue_2025(ctx: Context) -> None:
    result = ask(ctx, "total U.S. tariff revenue 2025")
    assert result.facts[0].value == duty(2025, "-")[0]


def test_monthly_tariff_trend(ctx: Context) -> None:
    result = ask(ctx, "tariffs on mexico since january 2025")
    assert result.kind == "trend"
    assert result.facts[0].period == "2025-01"
    assert result.facts[0].value == duty(2025, "2010", (1,))[0] == 114_608_442


def test_mexican_nationals_fy2024(ctx: Context) -> None:
    result = ask(ctx, "encounters of Mexican nationals FY2024")
    assert result.facts[0].value == 668_088
    assert result.facts[0].source_id == "cbp-nationwide-encounters"
    assert result.facts[0].dimension == "citizenship:MEX"


def test_mexicans_encountered_in_june_2025(ctx: Context) -> None:
    result = ask(ctx, "how many Mexicans did CBP encounter in June 2025")
    assert result.headline == (
        "CBP encounters nationwide, citizens of Mexico, June 2025: 8,132 encounters"
    )


def test_top_nationalities(ctx: Context) -> None:
    result = ask(ctx, "top nationalities of border encounters fy2024")
    assert result.kind == "rank"
    assert (result.facts[0].label, result.facts[0].value) == ("Mexico", 668_088)


def test_guatemalans_at_the_southwest_border(ctx: Context) -> None:
    result = ask(ctx, "Guatemalan encounters at the southwest border june 2025")
    assert result.facts[0].dimension == "citizenship:GTM"
    assert result.facts[0].partner == "southwest"
    path = RAW / "cbp-nationwide-encounters" / "nationwide-encounters-fy23-fy26-nov-state.csv"
    with path.open(encoding="utf-8", newline="") as file:
        expected = sum(
            int(r["Encounter Count"])
            for r in csv.DictReader(file)
            if (r["Fiscal Year"], r["Month (abbv)"], r["Citizenship"])
            == ("2025", "JUN", "GUATEMALA")
            and r["Land Border Region"] == "Southwest Land Border"
        )
    assert result.facts[0].value == expected == 819


@pytest.mark.parametrize(
    ("question", "missing", "instead"),
    [
        ("Texas exports to China 2024", "not with “china”", "Mexico and Canada"),
        ("trade at Nogales 2024", "not “nogales”", "12 Texas ports"),
        ("tariff on steel from Mexico 2025", "not by product (“steel”)", "by country and month"),
        ("machinery imports from Mexico 2024", "not for imports", "imports by partner"),
        ("machinery exports to Canada 2024", "not for Canada", "exports to Mexico only"),
    ],
)
def test_refusals_name_what_is_missing_and_what_the_store_has(
    ctx: Context, question: str, missing: str, instead: str
) -> None:
    result = ask(ctx, question)
    assert result.kind == "no_data"
    assert missing in result.reason and instead in result.reason
    assert result.facts == () and result.related == ()


def test_a_single_product_is_refused_with_the_commodity_groups_named(ctx: Context) -> None:
    result = ask(ctx, "corn exports to Mexico 2024")
    assert result.kind == "no_data" and result.facts == ()
    assert "“corn”" in result.reason and "22 commodity groups" in result.reason
    # the partner total is shown as context only, never as the answer (facts.parse's refusal)
    assert [f.value for f in result.related] == [334_492_100_000]


def test_partner_questions_are_unchanged(ctx: Context) -> None:
    result = ask(ctx, "mexico exports 2024")
    assert result.facts[0].value == 334_492_100_000
    assert result.facts[0].source_id == "census-trade-by-country"
    assert ask(ctx, "Georgia exports 2024").facts == ()  # the country: refused as before


SUBJECTS = (
    "texas", "laredo", "el paso", "rail", "truck", "machinery", "nuevo leon", "mexican states",
    "tariffs", "tariff rate", "mexican nationals encounters", "nationalities encounters",
    "ports", "states", "corn", "nogales",
)  # fmt: skip
SHAPES = (
    "{s} exports to mexico 2024", "{s} imports from canada", "top {s}", "{s} vs california 2024",
    "{s} share 2024", "{s} since 2019", "highest year {s}", "{s} 2017 vs 2025", "{s} june 2025",
    "{s} fy2024", "{s} narnia", "{s} exports to china", "where does {s} rank", "{s}",
    "{s} and michigan exports to mexico", "{s} q1 2026", "{s} 1990", "{s} 2030",
    "{s} share of u.s.-mexico trade march 2025", "top {s} march 2025", "{s} trend",
    "{s} imports ytd 2025", "lowest month {s}", "{s} vs truck june 2025", "{s} 2026",
)  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
def test_any_border_question_gets_an_answer_or_a_plain_refusal_never_an_error(
    ctx: Context, shape: str
) -> None:
    for subject in SUBJECTS:
        result = ask(ctx, shape.format(s=subject))
        assert result.kind in ("lookup", "compare", "sum", "rank", "trend", "share", "extreme",
                               "no_data", "not_understood"), (shape, subject)  # fmt: skip
        if result.kind in ("no_data", "not_understood"):
            assert result.reason and result.facts == ()
        else:
            assert result.facts and all(f.source_id for f in result.facts)


@pytest.mark.parametrize(
    "question",
    [
        "machinery vs plastics exports to mexico 2024",
        "machinery exports to mexico 2015-2024",
        "top mexican states 2024",
        "machinery exports to mexico 2020 vs 2024",
    ],
)
def test_every_goods_answer_says_what_share_of_exports_it_covers(
    ctx: Context, question: str
) -> None:
    result = ask(ctx, question)
    assert [d.name for d in result.derived].count("covered_pct") == 1, question
    assert "surface modes with a recorded Mexican state" in result.facts[0].basis


@pytest.mark.parametrize(
    ("question", "headline"),
    [
        ("aranceles a productos chinos 2025", "Calculated duties on imports from China, 2025"),
        (
            "tasa arancelaria efectiva de México junio 2025",
            "Effective tariff rate on imports from Mexico, June 2025: 4.53%",
        ),  # noqa: E501
        ("cuánto comercio cruzó por Laredo en 2024", "Laredo port: U.S. trade with Mexico, 2024"),
        ("encuentros de mexicanos junio 2025", "CBP encounters nationwide, citizens of Mexico"),
        ("comercio por ferrocarril con México 2024", "U.S. trade with Mexico by rail, 2024"),
    ],
)
def test_spanish_questions(ctx: Context, question: str, headline: str) -> None:
    assert ask(ctx, question).headline.startswith(headline)
