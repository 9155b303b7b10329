"""Periods for every series, with figures computed here from the raw files, not by the bot.

Fiscal years are CBP's (FY2024 = October 2023 to September 2024); a span not starting in January
is compared with the same months a year earlier; records look at every month in the store.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from asking import ask

from facts.store import FactStore

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
NATIONWIDE = sorted((RAW / "cbp-nationwide-encounters").glob("*.csv"))  # oldest release first


@cache
def census(year: int) -> dict[str, dict[str, object]]:
    rows = json.loads((RAW / "census-trade-by-country" / f"{year}.json").read_text())
    return {r["country_code"]: r for r in rows}


def census_month(code: str, year: int, month: int, flow: str = "exports") -> int:
    return int(Decimal(str(census(year)[code][flow][month - 1])) * 1_000_000)


@cache
def nationwide() -> dict[tuple[int, int], int]:
    """Encounters by (fiscal year, month number); a newer release replaces a month it covers."""
    months: dict[tuple[int, int], int] = {}
    for path in NATIONWIDE:
        release: dict[tuple[int, int], int] = {}
        with path.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                key = (int(row["Fiscal Year"][:4]), MONTHS.index(row["Month (abbv)"]) + 1)
                release[key] = release.get(key, 0) + int(row["Encounter Count"])
        months.update(release)
    return months


def fiscal_total(fy: int) -> int:
    return sum(n for (year, _), n in nationwide().items() if year == fy)


def fentanyl_lb(fy: int) -> Decimal:
    total = Decimal(0)
    for path in sorted((RAW / "cbp-drug-seizures").glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if row["FY"][:4] == str(fy) and row["Drug Type"].strip().lower() == "fentanyl":
                    total += Decimal(row["Sum Qty (lbs)"])
    return total


@pytest.mark.parametrize(
    "question", ["FY2023 encounters", "encounters fiscal year 2023", "encuentros año fiscal 2023"]
)
def test_a_fiscal_year_is_october_to_september_as_cbp_totals_it(
    store: FactStore, question: str
) -> None:
    answer = ask(store, question)
    assert answer.kind == "lookup"
    assert (answer.facts[0].period, answer.facts[0].value) == ("FY2023", fiscal_total(2023))


def test_fiscal_year_to_date_is_october_to_the_latest_month(store: FactStore) -> None:
    fact = ask(store, "fy26 so far encounters").facts[0]
    assert fact.period == "2025-10..2025-11"
    assert fact.value == nationwide()[(2026, 10)] + nationwide()[(2026, 11)]
    assert fact.note == "fiscal year 2026 to date"


def test_fentanyl_seized_in_a_fiscal_year(store: FactStore) -> None:
    fact = ask(store, "fentanyl seized fy2024").facts[0]
    assert fact.period == "FY2024"
    assert fact.value.quantize(Decimal("0.001")) == fentanyl_lb(2024).quantize(Decimal("0.001"))


def test_a_calendar_year_of_encounters_shows_the_fiscal_year_beside_it(store: FactStore) -> None:
    answer = ask(store, "nationwide encounters 2024")
    calendar = sum(n for (fy, m), n in nationwide().items() if (fy - (m >= 10)) == 2024)
    assert answer.facts[0].value == calendar
    fiscal = [d for d in answer.derived if d.name == "fiscal_year"]
    assert [d.value for d in fiscal] == [fiscal_total(2024)]
    assert "fiscal year 2024 (October 2023 – September 2024)" in fiscal[0].label


def test_a_quarter_is_compared_with_the_same_quarter_a_year_earlier(store: FactStore) -> None:
    answer = ask(store, "mexico exports Q3 2025 yoy")
    now = sum(census_month("MEX", 2025, m) for m in (7, 8, 9))
    before = sum(census_month("MEX", 2024, m) for m in (7, 8, 9))
    assert (answer.facts[0].period, answer.facts[0].value) == ("2025-07..2025-09", now)
    change = {d.name: d.value for d in answer.derived}["change_pct"]
    assert round(change, 1) == round(Decimal(now - before) / before * 100, 1) == Decimal("-2.1")


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("mexico exports jan-mar 2026", (1, 2, 3)),
        ("exportaciones a México primer trimestre 2026", (1, 2, 3)),
        ("exports to mexico from january to march 2026", (1, 2, 3)),
    ],
)
def test_month_ranges_sum_their_months(
    store: FactStore, question: str, months: tuple[int, ...]
) -> None:
    fact = ask(store, question).facts[0]
    assert fact.value == sum(census_month("MEX", 2026, m) for m in months)


def test_a_partial_year_says_so_and_is_compared_with_the_same_months(store: FactStore) -> None:
    answer = ask(store, "mexico exports 2026")
    fact = answer.facts[0]
    assert (fact.period, fact.note) == ("2026-01..2026-08", "January–August only")
    assert "January–August 2026" in answer.headline
    previous = {d.name: d for d in answer.derived}["previous"]
    assert previous.value == sum(census_month("MEX", 2025, m) for m in range(1, 9))


def test_top_n_honours_any_n_up_to_every_partner(store: FactStore) -> None:
    answer = ask(store, "top 1000 export markets 2024")
    countries = {r["code"] for r in csv.DictReader((RAW.parent / "countries.csv").open())
                 if r["kind"] in ("country", "former")}  # fmt: skip
    ranked = [c for c in census(2024) if c in countries and census(2024)[c]["exports_year"]]
    assert len(answer.facts) == len(ranked)


def test_the_best_month_ever_for_exports_to_mexico(store: FactStore) -> None:
    months = [
        (census_month("MEX", y, m), f"{y}-{m:02d}")
        for y in range(1991, 2027)
        for m in range(1, 13)
        if "MEX" in census(y) and m <= len(census(y)["MEX"]["exports"])
        and census(y)["MEX"]["exports"][m - 1] is not None
    ]  # fmt: skip
    best = max(months)
    record = ask(store, "best month ever for exports to Mexico").facts[0]
    assert (record.value, record.period) == best


def test_the_lowest_month_on_record_for_encounters_looks_at_every_month(store: FactStore) -> None:
    lowest = min(nationwide().items(), key=lambda item: item[1])
    answer = ask(store, "lowest month for border encounters")
    (fy, month), value = lowest
    year = fy - 1 if month >= 10 else fy
    assert (answer.facts[0].period, answer.facts[0].value) == (f"{year}-{month:02d}", value)
    assert "the data start in October 2019" in answer.derived[0].label


def test_the_largest_trade_deficit_across_partners(store: FactStore) -> None:
    kinds = {r["code"]: r["kind"] for r in csv.DictReader((RAW.parent / "countries.csv").open())}
    balances = {
        code: Decimal(str(r["exports_year"])) - Decimal(str(r["imports_year"]))
        for code, r in census(2025).items()
        if kinds.get(code) in ("country", "former")
    }
    code = min(balances, key=lambda c: balances[c])
    answer = ask(store, "which country has the biggest trade deficit")
    assert answer.kind == "extreme"
    assert (answer.facts[0].partner, answer.facts[0].value) == (code, balances[code] * 1_000_000)
