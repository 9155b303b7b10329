"""Every op-ed claim is stored as structured data and its verdict is computed from the store."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from asking import ask, context_of

from bot.render import answer_json, render_text
from facts.claims import check_claim
from facts.load import build
from facts.model import ClaimCheck
from facts.related import measures, related_claims, restated_claims
from facts.restate import stated_number
from facts.staging import DataError
from facts.store import FactStore

# The op-ed's statistical claims, by the figure each states (brief; paraphrases live in the data).
REQUIRED = {
    "exports-2024": Decimal("335000000000"),
    "mexico-vs-china-2024": Decimal("2.3"),
    "mexico-canada-vs-next-10": None,
    "sme-exports-110b": Decimal("110000000000"),
    "sme-vs-china": Decimal("2"),
    "sme-vs-six": None,
    "per-capita-mexico-canada": Decimal("4000"),
    "per-capita-china": Decimal("100"),
    "mexican-content-10x": Decimal("10"),
    "factory-jobs": Decimal("1"),
    "lowest-crossings-30-years": Decimal("30"),
    "june-2025-lowest": Decimal("1"),
    "june-2025-vs-average": Decimal("-90"),
    "mexico-encounters-vs-usbp": None,
    "fentanyl-258kg": Decimal("258"),
    "fentanyl-doses": Decimal("120000000"),
}


def test_claims_file_covers_every_statistical_claim_of_the_op_ed(store: FactStore) -> None:
    stated = {c.id: c.stated_value for c in store.claims}
    assert set(REQUIRED) <= set(stated)
    for claim_id, value in REQUIRED.items():
        assert stated[claim_id] == value, claim_id


def test_every_claim_is_checkable_or_says_why_not(store: FactStore) -> None:
    for claim in store.claims:
        assert (claim.check is None) == bool(claim.unverifiable), claim.id
        assert claim.paraphrase and len(claim.paraphrase) < 240


@pytest.mark.parametrize(
    ("claim_id", "verdict", "computed", "places"),
    [
        ("exports-2024", "supported", Decimal("334492100000"), 0),
        ("mexico-vs-china-2024", "supported", Decimal("2.33"), 2),
        ("top-consumer", "not_supported", Decimal("2"), 0),
        ("mexico-canada-vs-next-10", "supported", Decimal("685097700000"), 0),
        ("per-capita-mexico-canada", "roughly", Decimal("3979.66"), 2),
        ("per-capita-china", "supported", Decimal("101.69"), 2),
        ("june-2025-lowest", "supported", Decimal("1"), 0),
        ("june-2025-vs-average", "supported", Decimal("-88.96"), 2),
        ("sme-exports-110b", "unverifiable", None, 0),
        ("mexican-content-10x", "unverifiable", None, 0),
        ("fentanyl-258kg", "unverifiable", None, 0),
        ("mexico-encounters-vs-usbp", "unverifiable", None, 0),
    ],
)
def test_claim_verdict_is_computed_from_the_data(
    store: FactStore, claim_id: str, verdict: str, computed: Decimal | None, places: int
) -> None:
    row = next(c for c in store.claims if c.id == claim_id)
    check = check_claim(store, row)
    assert check.verdict == verdict
    if computed is None:
        assert check.computed is None and check.why
    else:
        assert check.computed is not None
        assert round(check.computed, places) == computed


def test_next_ten_partners_sum_is_shown_beside_mexico_and_canada(store: FactStore) -> None:
    row = next(c for c in store.claims if c.id == "mexico-canada-vs-next-10")
    assert check_claim(store, row).compared_to == Decimal("645080400000")


def test_unverifiable_claims_still_show_the_nearest_data(store: FactStore) -> None:
    row = next(c for c in store.claims if c.id == "fentanyl-258kg")
    [context] = check_claim(store, row).context
    assert context.unit == "kg"
    assert round(context.value, 1) == Decimal("2943.5")  # U.S. CBP, Feb-Sep 2025, not Mexico's
    row = next(c for c in store.claims if c.id == "lowest-crossings-30-years")
    rank, june, rank_now, mexicans = check_claim(store, row).context
    assert (rank.value, june.value, rank_now.value) == (Decimal(1), Decimal(6068), Decimal(2))
    assert mexicans.value == Decimal(4117)  # Mexican citizens among them (CBP SW border file)


# --- figures computed from data/raw, independently of the loader -------------------------------

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
MILLION = Decimal(1_000_000)
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


@cache
def census_year(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """(exports, imports) in whole USD by country code, from the Census file (in $ millions)."""
    kinds = {
        row["code"]: row["kind"]
        for row in csv.DictReader((RAW.parent / "countries.csv").open(encoding="utf-8"))
    }
    rows = json.loads((RAW / "census-trade-by-country" / f"{year}.json").read_text())
    return {
        r["country_code"]: (
            Decimal(str(r["exports_year"])) * MILLION,
            Decimal(str(r["imports_year"])) * MILLION,
        )
        for r in rows
        if kinds.get(r["country_code"]) in ("country", "former")
    }


def ranked(year: int, by: str) -> list[str]:
    """Country codes, largest first, by exports or total trade (ties by code, as the store)."""
    trade = census_year(year)
    value = {c: e if by == "exports" else e + i for c, (e, i) in trade.items()}
    return sorted(value, key=lambda c: (-value[c], c))


@cache
def population(code: str, year: int) -> Decimal:
    path = RAW / "worldbank-population" / "population.csv"
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["Country Code"] == code and row["Year"] == str(year):
            return Decimal(row["Value"])
    raise KeyError((code, year))


@cache
def nationwide() -> dict[tuple[int, int], int]:
    """CBP nationwide encounters by calendar month; a newer release replaces a month it has."""
    months: dict[tuple[int, int], int] = {}
    folder = RAW / "cbp-nationwide-encounters"
    for name in (
        "nationwide-encounters-fy20-fy23-state.csv",
        "nationwide-encounters-fy22-fy25-state.csv",
        "nationwide-encounters-fy23-fy26-nov-state.csv",
    ):
        release: dict[tuple[int, int], int] = {}
        for row in csv.DictReader((folder / name).open(encoding="utf-8")):
            month = MONTHS.index(row["Month (abbv)"]) + 1
            fiscal = int(row["Fiscal Year"][:4])  # "2026 (FYTD)"
            key = (fiscal - 1 if month >= 10 else fiscal, month)
            release[key] = release.get(key, 0) + int(row["Encounter Count"])
        months.update(release)
    return months


def test_next_ten_is_read_two_ways_each_with_its_verdict(store: FactStore) -> None:
    year = 2024
    exports = {c: e for c, (e, _) in census_year(year).items()}
    mexico_canada = exports["MEX"] + exports["CAN"]
    by_exports, by_total = ranked(year, "exports"), ranked(year, "total")
    assert by_exports[:2] == ["CAN", "MEX"] and by_total[:2] == ["MEX", "CAN"]
    assert by_total[2:5] == ["CHN", "DEU", "JPN"]  # the three the op-ed names, in its order
    next_markets = sum(exports[c] for c in by_exports[2:12])
    next_partners = sum(exports[c] for c in by_total[2:12])
    assert (mexico_canada, next_markets, next_partners) == (
        Decimal("685097700000"),
        Decimal("711370000000"),
        Decimal("645080400000"),
    )
    check = _check(store, "mexico-canada-vs-next-10")
    partners, markets = check.readings
    assert (partners.id, partners.verdict, partners.computed, partners.compared_to) == (
        "trading-partners",
        "supported",
        mexico_canada,
        next_partners,
    )
    assert (markets.id, markets.verdict, markets.computed, markets.compared_to) == (
        "export-markets",
        "not_supported",
        mexico_canada,
        next_markets,
    )
    assert partners.note == (
        "ranks 3–12 by total trade: China, Germany, Japan, South Korea, Taiwan, Vietnam,"
        " United Kingdom, India, Netherlands, Ireland"
    )
    assert markets.note == (
        "ranks 3–12 by exports: China, Netherlands, United Kingdom, Japan, Germany,"
        " South Korea, Brazil, Singapore, France, Taiwan"
    )
    assert (check.headline, check.verdict, check.compared_to) == (
        "trading-partners",
        "supported",
        next_partners,
    )
    assert "ranks 3, 4 and 5 by total trade" in check.headline_why


def test_per_person_spending_is_read_pooled_and_separately(store: FactStore) -> None:
    exports = {c: census_year(2024)[c][0] for c in ("MEX", "CAN")}
    people = {c: population(c, 2024) for c in ("MEX", "CAN")}
    pooled = sum(exports.values()) / sum(people.values())
    mexico, canada = (exports[c] / people[c] for c in ("MEX", "CAN"))
    assert (round(pooled, 2), round(mexico, 2), round(canada, 2)) == (
        Decimal("3979.66"),
        Decimal("2556.09"),
        Decimal("8491.58"),
    )
    check = _check(store, "per-capita-mexico-canada")
    together, each = check.readings
    assert (together.id, together.verdict, together.computed) == ("pooled", "roughly", pooled)
    assert (each.id, each.verdict, each.computed) == ("separate", "not_supported", mexico)
    assert each.note == "each: Mexico $2,556, Canada $8,492"
    assert (check.headline, check.verdict) == ("pooled", "roughly")
    assert check.headline_why.startswith("The op-ed gives one figure for Mexicans and Canadians")


def test_lowest_month_is_checked_when_made_and_against_all_the_data(store: FactStore) -> None:
    months = nationwide()
    first, last = min(months), max(months)
    assert (first, last) == ((2019, 10), (2025, 11))
    june = months[(2025, 6)]
    until_june = [v for m, v in months.items() if m <= (2025, 6)]
    lowest = min(months, key=months.__getitem__)
    assert (june, min(until_june), lowest, months[lowest]) == (25185, 25185, (2025, 7), 24589)
    assert sorted(months.values()).index(june) + 1 == 2
    check = _check(store, "june-2025-lowest")
    made, now = check.readings
    assert (made.id, made.verdict, made.computed) == ("when-made", "supported", Decimal(1))
    assert made.note == (
        f"lowest among {len(until_june)} months on record, since the series starts in"
        " October 2019, through June 2025"
    )
    assert (now.id, now.verdict, now.computed) == ("all-data", "not_supported", Decimal(2))
    assert now.note == (
        f"lowest among {len(months)} months on record, since the series starts in"
        " October 2019, through November 2025; July 2025 was lower (24,589 encounters)"
    )
    assert (check.headline, check.verdict) == ("when-made", "supported")


def usbp_southwest() -> dict[tuple[int, int], int]:
    """Border Patrol Southwest encounters by month: OHSS to Sep 2021, then CBP's own file."""
    import openpyxl

    months: dict[tuple[int, int], int] = {}
    path = RAW / "dhs-ohss-usbp-encounters" / "KHSM Encounters (USBP) fy25m11.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for fiscal, label, region, count, *_ in book["Monthly Region"].iter_rows(
        min_row=2, values_only=True
    ):
        month = MONTHS.index(str(label).split()[-1][:3].upper()) + 1
        key = (int(fiscal) - 1 if month >= 10 else int(fiscal), month)
        if region == "Southwest Land Border" and key < (2021, 10):
            months[key] = int(count)
    book.close()
    path = RAW / "cbp-sw-border-encounters" / "sbo-encounters-fy22-fy25-aug.csv"
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["Component"] == "U.S. Border Patrol":
            month = MONTHS.index(row["Month (abbv)"]) + 1
            fiscal = int(row["Fiscal Year"][:4])
            key = (fiscal - 1 if month >= 10 else fiscal, month)
            months[key] = months.get(key, 0) + int(row["Encounter Count"])
    return months


def test_thirty_year_low_context_counts_every_border_patrol_month(store: FactStore) -> None:
    months = usbp_southwest()
    assert (min(months), max(months)) == ((1999, 10), (2025, 8))
    until_june = {m: v for m, v in months.items() if m <= (2025, 6)}
    assert min(until_june.values()) == months[(2025, 6)] == 6068
    assert min(months, key=months.__getitem__) == (2025, 7) and months[(2025, 7)] == 4596
    then, june, now, _mexicans = _check(store, "lowest-crossings-30-years").context
    assert (then.value, june.value, now.value) == (Decimal(1), Decimal(6068), Decimal(2))
    assert f"lowest among {len(until_june)} months on record" in then.label
    assert now.label.endswith(
        f"(lowest among {len(months)} months on record, since the series starts in October"
        " 1999, through August 2025; July 2025 was lower (4,596 encounters))"
    )


def test_the_op_eds_date_is_recorded_with_the_check_that_needs_it(store: FactStore) -> None:
    row = next(c for c in store.claims if c.id == "june-2025-lowest")
    assert row.check is not None and row.check["made"] == "2025-07"
    assert "(July 2025)" in _check(store, "june-2025-lowest").readings[0].label


@pytest.mark.parametrize(
    ("claim_id", "tolerance"),
    [
        ("exports-2024", "within ±0.5% counts as supported; within ±3% roughly right"),
        ("mexico-vs-china-2024", "within ±2.2% counts as supported; within ±10% roughly right"),
        ("top-consumer", "supported only if exactly #1"),
        (
            "mexico-canada-vs-next-10",
            "supported if larger; short by no more than 2% counts as roughly right",
        ),
        (
            "per-capita-mexico-canada",
            "supported if larger; short by no more than 2% counts as roughly right",
        ),
        ("per-capita-china", "within ±5% counts as supported; within ±15% roughly right"),
        ("june-2025-lowest", "supported only if exactly #1"),
        ("june-2025-vs-average", "within ±1.5% counts as supported; within ±5% roughly right"),
        ("fentanyl-258kg", ""),
    ],
)
def test_every_verdict_carries_its_tolerance_in_words(
    store: FactStore, claim_id: str, tolerance: str
) -> None:
    check = _check(store, claim_id)
    assert check.tolerance == tolerance
    assert all(r.tolerance == tolerance for r in check.readings)


def test_every_checked_claim_shows_its_tolerance_beside_its_verdict(store: FactStore) -> None:
    text = render_text(ask(store, "claims"))
    for check in context_of(store).checks.values():
        if check.verdict != "unverifiable":
            assert f"    Tolerance: {check.tolerance}\n" in text, check.id
    assert text.count("    Tolerance: ") == sum(
        c.verdict != "unverifiable" for c in context_of(store).checks.values()
    )


def test_a_claim_read_two_ways_is_rendered_with_both_readings(store: FactStore) -> None:
    lines = render_text(ask(store, "claim 8")).splitlines()
    assert lines[:9] == [
        "Claim 8: 🟡 Roughly right",
        "🟡 Roughly right — Claim 8 (per capita): People in Mexico and Canada spend over $4,000"
        " a year each on U.S. goods.",
        "    Op-ed: over $4,000 per person a year · The wording can be read 2 ways:",
        "    Reading A (headline): Pooled: U.S. goods exports to Mexico and Canada together,"
        " divided by their combined population",
        "        🟡 Roughly right: $3,980 per person (-0.51% off)",
        "    Reading B: Separate: each country's own exports per person must be over $4,000",
        "        ❌ Not supported: $2,556 per person (-36.1% off) — each: Mexico $2,556,"
        " Canada $8,492",
        "    The verdict uses the reading marked (headline). The op-ed gives one figure for"
        " Mexicans and Canadians together, so the headline divides their combined purchases by"
        " their combined population.",
        "    Tolerance: supported if larger; short by no more than 2% counts as roughly right",
    ]


def test_json_carries_readings_tolerance_and_headline(store: FactStore) -> None:
    [claim] = answer_json(ask(store, "claim 4"))["claims"]
    assert claim["verdict"] == "supported"
    assert claim["headline_reading"] == "trading-partners"
    assert claim["tolerance"] == (
        "supported if larger; short by no more than 2% counts as roughly right"
    )
    assert [
        (r["id"], r["verdict"], r["computed"], r["compared_to"]) for r in claim["readings"]
    ] == [
        ("trading-partners", "supported", 685097700000, 645080400000),
        ("export-markets", "not_supported", 685097700000, 711370000000),
    ]


@pytest.mark.parametrize(
    ("question", "headline", "verdict"),
    [
        ("claim 4", "trading-partners", "supported"),
        (
            "is it true that Mexico and Canada buy more than the next 10 markets combined?",
            "export-markets",
            "not_supported",
        ),
        (
            "do Mexico and Canada buy more than the next ten trading partners together?",
            "trading-partners",
            "supported",
        ),
        (
            "is June 2025 still the lowest month for nationwide encounters?",
            "all-data",
            "not_supported",
        ),
        ("claim 13", "when-made", "supported"),
        (
            "was June 2025 the lowest month ever for nationwide encounters?",
            "when-made",
            "supported",
        ),
        ("per capita", "pooled", "roughly"),
        (
            "is it true mexicans and canadians each spend over $4,000 a year separately?",
            "separate",
            "not_supported",
        ),
    ],
)
def test_a_question_that_names_a_reading_gets_that_reading_as_headline(
    store: FactStore, question: str, headline: str, verdict: str
) -> None:
    [check] = [c for c in ask(store, question).claims if c.readings]
    assert (check.headline, check.verdict) == (headline, verdict)
    assert check.verdict == next(r.verdict for r in check.readings if r.id == headline)


# --- claims matched by meaning ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "partners", "period", "op", "claim_ids"),
    [
        ("exports", ("MEX",), "2024", "lookup", ("exports-2024", "top-consumer")),
        ("exports", ("MEX",), "2025", "lookup", ()),  # a 2025 question never gets 2024 claims
        ("exports", ("MEX",), "2024-01..2024-08", "lookup", ()),
        ("imports", ("MEX",), "2024", "lookup", ()),
        ("exports", ("MEX", "CHN"), "2024", "compare", ("mexico-vs-china-2024",)),
        ("exports", ("MEX", "CHN"), "2025", "compare", ()),
        ("exports", ("MEX", "CAN"), "2024", "sum", ("mexico-canada-vs-next-10",)),
        ("exports", (), "2024", "rank", ("top-consumer", "mexico-canada-vs-next-10")),
        ("total", (), "2024", "rank", ("mexico-canada-vs-next-10",)),
        ("exports", (), "2025", "rank", ()),
        ("exports", ("MEX",), "2024", "rank_of", ("top-consumer",)),
        ("exports", ("MEX",), "2024", "per_capita", ("per-capita-mexico-canada",)),
        ("exports", ("CHN",), "2024", "per_capita", ("per-capita-china",)),
        ("exports", ("MEX", "CAN"), "2023", "per_capita", ()),
        (
            "encounters",
            ("nationwide",),
            "2025-06",
            "lookup",
            ("june-2025-lowest", "june-2025-vs-average"),
        ),
        ("encounters", ("nationwide",), "2025-07", "lookup", ()),
        ("encounters", ("usbp-southwest",), "2025-06", "lookup", ("lowest-crossings-30-years",)),
        (
            "encounters",
            ("usbp-southwest",),
            "2024-05..2025-03",
            "lookup",
            ("mexico-encounters-vs-usbp",),
        ),
        ("encounters", ("nationwide",), "", "lowest", ("june-2025-lowest",)),
        ("encounters", ("nationwide",), "2025", "lowest", ("june-2025-lowest",)),
        ("encounters", ("nationwide",), "2024", "lowest", ()),
        ("encounters", ("southwest",), "", "lowest", ()),
        ("encounters", ("nationwide",), "", "highest", ()),
        ("seizures", ("fentanyl",), "2025-01..2025-12", "seizures", ("fentanyl-258kg",)),
        ("seizures", ("fentanyl",), "2024", "seizures", ()),
        ("seizures", ("cocaine",), "2025", "seizures", ()),
        ("exports", ("MEX",), "2024", "trend", ()),
    ],
)
def test_related_claims_measure_what_the_question_asks(
    store: FactStore,
    metric: str,
    partners: tuple[str, ...],
    period: str,
    op: str,
    claim_ids: tuple[str, ...],
) -> None:
    assert related_claims(measures(store.claims), metric, partners, period, op) == claim_ids


@pytest.mark.parametrize(
    ("meaning", "claim_ids"),
    [
        # "is it true Mexico buys 2.3 times more than China?"
        (
            {"metric": "exports", "partners": ("MEX", "CHN"), "number": "2.3", "unit": "x"},
            ("mexico-vs-china-2024",),
        ),
        ({"metric": "exports", "partners": ("MEX", "CHN"), "number": "5", "unit": "x"}, ()),
        ({"metric": "exports", "partners": ("MEX", "CHN"), "period": "2025", "unit": "x"}, ()),
        # "did Mexico really buy $335 billion of U.S. goods in 2024?"
        (
            {
                "metric": "exports",
                "partners": ("MEX",),
                "period": "2024",
                "number": "335e9",
                "unit": "USD",
            },
            ("exports-2024",),
        ),
        # "is Mexico the biggest buyer of U.S. goods?"
        (
            {"metric": "exports", "partners": ("MEX",), "op": "rank_of"},
            ("top-consumer", "exports-2024"),
        ),
        # "do Mexicans and Canadians really spend over $4,000 a year on U.S. goods?"
        (
            {
                "metric": "exports",
                "partners": ("MEX", "CAN"),
                "number": "4000",
                "unit": "USD per person",
            },
            ("per-capita-mexico-canada",),
        ),
        # "do Mexico and Canada buy more than the next ten partners together?"
        (
            {"metric": "exports", "partners": ("MEX", "CAN"), "op": "sum"},
            ("mexico-canada-vs-next-10", "per-capita-mexico-canada"),
        ),
        # "were June 2025 encounters nearly 90% below the 2021-2024 average?"
        (
            {
                "metric": "encounters",
                "partners": ("nationwide",),
                "period": "2025-06",
                "number": "-90",
                "unit": "%",
            },
            ("june-2025-vs-average",),
        ),
        # "was June 2025 the lowest month on record for encounters?"
        (
            {
                "metric": "encounters",
                "partners": ("nationwide",),
                "period": "2025-06",
                "op": "lowest",
            },
            ("june-2025-lowest", "june-2025-vs-average"),
        ),
        # "are crossings the lowest in 30 years?"
        (
            {
                "metric": "encounters",
                "partners": ("usbp-southwest",),
                "number": "30",
                "unit": "years",
            },
            ("lowest-crossings-30-years",),
        ),
        # "did CBP seize 258 kg of fentanyl since February 2025?"
        (
            {
                "metric": "seizures",
                "partners": ("fentanyl",),
                "period": "2025-02..2025-09",
                "number": "258",
                "unit": "kg",
            },
            ("fentanyl-258kg",),
        ),
        ({"metric": "imports", "partners": ("MEX",)}, ()),
    ],
)
def test_a_restated_claim_is_found_by_its_meaning(
    store: FactStore, meaning: dict[str, Any], claim_ids: tuple[str, ...]
) -> None:
    number = meaning.pop("number", None)
    found = restated_claims(
        measures(store.claims),
        number=None if number is None else Decimal(number),
        **meaning,
    )
    assert found == claim_ids


def _check(store: FactStore, claim_id: str) -> ClaimCheck:
    return check_claim(store, next(c for c in store.claims if c.id == claim_id))


@pytest.mark.parametrize(
    ("question", "claim_id", "verdict"),
    [
        # New wordings the parser reads as data questions, or refuses only for "true" / "2.3x".
        ("is it true Mexico purchases 2.3x what China does?", "mexico-vs-china-2024", "supported"),
        ("is mexico really the top buyer of american goods?", "top-consumer", "not_supported"),
        (
            "did mexicans and canadians each spend 4,000 dollars per person on US goods"
            " separately?",
            "per-capita-mexico-canada",
            "not_supported",
        ),
        ("is June 2025 still the lowest month for nationwide encounters?", "june-2025-lowest",
         "not_supported"),
    ],
)  # fmt: skip
def test_a_new_wording_of_a_claim_gets_the_claim(
    store: FactStore, question: str, claim_id: str, verdict: str
) -> None:
    reply = ask(store, question)
    assert reply.kind == "claim"
    assert [(c.id, c.verdict) for c in reply.claims] == [(claim_id, verdict)]


@pytest.mark.parametrize(
    "question",
    [
        "is it true Mexico purchases 5x what China does?",  # not the op-ed's figure
        "is it true mexico is the biggest buyer of us goods in 2025?",  # the claim is about 2024
        "mexico exports 2025",
    ],
)
def test_a_question_that_restates_no_claim_gets_no_claim(store: FactStore, question: str) -> None:
    reply = ask(store, question)
    assert reply.kind != "claim" and not reply.claims


def test_a_record_low_question_shows_the_record_claim_and_the_newer_low(store: FactStore) -> None:
    reply = ask(store, "lowest month for border encounters")
    assert (reply.kind, reply.facts[0].period, reply.facts[0].value) == (
        "extreme",
        "2025-07",
        Decimal(24589),
    )
    assert [c.id for c in reply.claims] == ["june-2025-lowest"]
    assert ask(store, "lowest month for nationwide encounters in 2024").claims == ()
    assert ask(store, "peak month for border encounters").claims == ()


@pytest.mark.parametrize(
    ("norm", "number"),
    [
        ("is it true mexico buys 2.3x what china does", Decimal("2.3")),
        ("mexico bought 335 billion dollars in 2024", Decimal("335e9")),
        ("over 4,000 per person", Decimal(4000)),
        ("june 2025 was 90% below the 2021 2024 average", Decimal(90)),
        ("mexico exports 2024", None),
    ],
)
def test_the_figure_a_question_states_is_read_in_base_units(
    norm: str, number: Decimal | None
) -> None:
    assert stated_number(norm) == number


def test_single_reading_claims_match_the_raw_files_exactly(store: FactStore) -> None:
    trade = census_year(2024)
    exports = {c: e for c, (e, _) in trade.items()}
    months = nationwide()
    baseline = [v for (y, _), v in months.items() if 2021 <= y <= 2024]
    assert len(baseline) == 48
    average = Decimal(sum(baseline)) / 48
    expected = {
        "exports-2024": exports["MEX"],
        "mexico-vs-china-2024": exports["MEX"] / exports["CHN"],
        "top-consumer": Decimal(ranked(2024, "exports").index("MEX") + 1),
        "per-capita-china": exports["CHN"] / population("CHN", 2024),
        "june-2025-vs-average": (months[(2025, 6)] - average) / average * 100,
    }
    for claim_id, value in expected.items():
        assert _check(store, claim_id).computed == value, claim_id
    assert ranked(2025, "exports")[0] == "MEX"  # #1 in 2025, shown beside the 2024 verdict


def test_times_more_is_read_as_times_as_much_and_literally(store: FactStore) -> None:
    exports = {c: census_year(2024)[c][0] for c in ("MEX", "CHN")}
    as_much = exports["MEX"] / exports["CHN"]
    on_top = (exports["MEX"] - exports["CHN"]) / exports["CHN"]
    assert (round(as_much, 2), round(on_top, 2)) == (Decimal("2.33"), Decimal("1.33"))
    check = _check(store, "mexico-vs-china-2024")
    assert [(r.id, r.verdict, r.computed) for r in check.readings] == [
        ("times-as-much", "supported", as_much),
        ("times-more", "not_supported", on_top),
    ]
    assert (check.headline, check.verdict, check.computed) == (
        "times-as-much",
        "supported",
        as_much,
    )


def test_largest_market_is_also_checked_on_the_months_published_when_made(
    store: FactStore,
) -> None:
    kinds = {
        row["code"]: row["kind"]
        for row in csv.DictReader((RAW.parent / "countries.csv").open(encoding="utf-8"))
    }
    rows = json.loads((RAW / "census-trade-by-country" / "2025.json").read_text())
    first_half = {
        r["country_code"]: sum(Decimal(str(v)) for v in r["exports"][:6])
        for r in rows
        if kinds.get(r["country_code"]) in ("country", "former")
    }
    order = sorted(first_half, key=lambda c: (-first_half[c], c))
    assert order[:2] == ["CAN", "MEX"]
    then, year = _check(store, "top-consumer").context
    assert (then.value, year.value) == (Decimal(2), Decimal(1))
    assert then.label.endswith("(January–June 2025; first: Canada)")


@pytest.mark.parametrize(
    ("question", "kind", "not_used"),
    [
        # A claim's keywords, but a qualifier or a period the claim doesn't measure.
        ("is it true mexico buys 2.3 times more corn than china?", "no_data", ("corn",)),
        ("is it true texas exports to mexico were 335 billion in 2024?", "no_data", ("texas",)),
        ("is it true mexico exports 2025 were 335 billion?", "lookup", ()),
        ("did mexico buy 2.3 times more than china in 2023?", "compare", ()),
        ("does mexico buy more than china", "compare", ()),  # the latest year: 2025
    ],
)
def test_a_claims_keywords_never_hide_what_else_the_question_asks(
    store: FactStore, question: str, kind: str, not_used: tuple[str, ...]
) -> None:
    reply = ask(store, question)
    assert (reply.kind, reply.not_used, reply.claims) == (kind, not_used, ())


def test_a_question_about_another_year_gets_that_years_figures(store: FactStore) -> None:
    exports = {c: e for c, (e, _) in census_year(2023).items()}
    reply = ask(store, "did mexico buy 2.3 times more than china in 2023?")
    assert [(f.partner, f.period, f.value) for f in reply.facts[:2]] == [
        ("MEX", "2023", exports["MEX"]),
        ("CHN", "2023", exports["CHN"]),
    ]
    reply = ask(store, "is it true mexico exports 2025 were 335 billion?")
    assert [(f.partner, f.period) for f in reply.facts[:1]] == [("MEX", "2025")]


@pytest.mark.parametrize(
    ("question", "claim_ids"),
    [
        # The data reading misses words the claim understands: the claim stands.
        ("were June 2025 encounters really 90% below the 2021-2024 average?",
         ["june-2025-vs-average"]),
        ("is it true illegal crossings are at their lowest in 30 years?",
         ["lowest-crossings-30-years"]),
        ("is it true every new factory job in mexico creates a us job?", ["factory-jobs"]),
        ("fact check: Mexico bought $335 billion of US goods in 2024", ["exports-2024"]),
        ("is it true that mexico buys more than $110 billion of small business exports",
         ["sme-exports-110b", "sme-vs-china", "sme-vs-six"]),
    ],
)  # fmt: skip
def test_a_restated_claim_that_asks_nothing_more_stays_the_claim(
    store: FactStore, question: str, claim_ids: list[str]
) -> None:
    reply = ask(store, question)
    assert (reply.kind, [c.id for c in reply.claims]) == ("claim", claim_ids)


def test_a_headline_that_names_no_reading_is_refused_at_build(
    data_copy: Path, tmp_path: Path
) -> None:
    path = data_copy / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    path.write_text(text.replace("headline: pooled", "headline: pooled-typo"), encoding="utf-8")
    with pytest.raises(DataError) as failure:
        build(data_copy, tmp_path / "out.duckdb")
    assert str(failure.value) == (
        "claims.yaml, row 8: readings need distinct ids, and a headline among them"
    )


def test_a_plain_data_question_gets_data_with_the_claim_beside_it(store: FactStore) -> None:
    exports = {c: e for c, (e, _) in census_year(2024).items()}
    reply = ask(store, "does mexico buy more than china 2024")
    assert reply.kind == "compare"
    assert [(f.partner, f.value) for f in reply.facts[:2]] == [
        ("MEX", exports["MEX"]),
        ("CHN", exports["CHN"]),
    ]
    assert [c.id for c in reply.claims] == ["mexico-vs-china-2024"]


def test_encounter_and_rail_claims_show_citizenship_and_border_trade_as_context(
    store: FactStore,
) -> None:
    row = next(c for c in store.claims if c.id == "june-2025-lowest")
    check = check_claim(store, row)
    assert check.verdict == "supported"  # the context never changes a verdict
    _, mexicans, share = check.context
    assert mexicans.value == Decimal(8132)
    assert share.value == Decimal(8132) / Decimal(25185) * 100
    row = next(c for c in store.claims if c.id == "investment-border-security")
    check = check_claim(store, row)
    assert check.verdict == "unverifiable"
    rail, rail_share, texas, texas_share, laredo = check.context
    assert rail.value == 98_251_163_890  # us_transborder.csv, 2024, Mexico, Rail
    assert laredo.value == 331_201_314_349
    assert texas_share.value == texas.value / Decimal(839_891_957_628) * 100
    assert rail_share.unit == "%"
