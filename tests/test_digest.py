"""The weekly digest's content: exact figures for a known date, rotation, citations, rendering."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from asking import context_of

from bot.cli import main
from bot.render import (
    BLOCK_LIMIT,
    CONTEXT_ELEMENTS,
    HEADER_LIMIT,
    SECTION_LIMIT,
    render_digest_blocks,
    render_digest_text,
)
from facts.digest import (
    Change,
    Digest,
    MarketRank,
    PortShare,
    Tariffs,
    build_digest,
    claim_of_the_week,
    iso_week,
)
from facts.model import Fact
from facts.store import FactStore

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "census-trade-by-country"
DAY = date(2025, 7, 7)  # a Monday, ISO week 2025-W28
CENSUS = "census-trade-by-country"
CBP = "cbp-nationwide-encounters"
EXPORTS = "U.S. exports to Mexico (what Mexico buys from the U.S.)"
IMPORTS = "U.S. imports from Mexico"
BALANCE = "U.S. trade balance with Mexico"
ENCOUNTERS = "CBP encounters nationwide"
DUTIES = "census-duties-by-country"
BTS = "bts-transborder"
TARIFFS = "Calculated duties on imports from Mexico, August 2026"
BTS_BASIS = "BTS TransBorder: Census first-release values, not the revised Census totals"

# Mexico, whole U.S. dollars, from data/raw/census-trade-by-country/{2025,2026}.json (millions
# there): August, and January to August. test_pinned_figures_are_the_census_files checks them.
PINNED = {
    ("exports", "2026-08"): Decimal("33656300000"),
    ("exports", "2025-08"): Decimal("29191300000"),
    ("imports", "2026-08"): Decimal("60637400000"),
    ("imports", "2025-08"): Decimal("45189700000"),
    ("exports", "2026-01..2026-08"): Decimal("263473200000"),
    ("exports", "2025-01..2025-08"): Decimal("225900800000"),
    ("imports", "2026-01..2026-08"): Decimal("419344400000"),
    ("imports", "2025-01..2025-08"): Decimal("354477400000"),
}


def _duties(year: int, month: int) -> tuple[int, int]:
    """Mexico's calculated duties and imports for consumption, from the raw duty file."""
    rows = json.loads((ROOT / "data/raw/census-duties-by-country" / f"{year}.json").read_text())
    [row] = [r for r in rows["rows"] if r[0] == f"{year}-{month:02d}" and r[1] == "2010"]
    return int(row[3]), int(row[4])


def _laredo(year: str) -> tuple[int, int]:
    """Laredo's trade and all U.S.-Mexico trade in a year, from the raw TransBorder files."""
    bts = ROOT / "data/raw/bts-transborder"
    with (bts / "texas_mexico_ports.csv").open(encoding="utf-8") as file:
        port = sum(
            Decimal(r["TradeValue"])
            for r in csv.DictReader(file)
            if (r["Year"], r["Port"]) == (year, "Laredo")
        )
    with (bts / "us_transborder.csv").open(encoding="utf-8") as file:
        every = sum(
            Decimal(r["TradeValue"])
            for r in csv.DictReader(file)
            if (r["Year"], r["Country"]) == (year, "Mexico")
        )
    return int(port), int(every)


def _usd(metric: str, period: str) -> Fact:
    if metric == "balance":
        value = PINNED[("exports", period)] - PINNED[("imports", period)]
    else:
        value = PINNED[(metric, period)]
    return Fact(metric, "MEX", period, value, "USD", CENSUS, "Mexico")


def _pct(now: Decimal, before: Decimal) -> Decimal:
    return (now - before) / before * 100


def _change(label: str, metric: str, now: str, before: str) -> Change:
    a, b = _usd(metric, now), _usd(metric, before)
    return Change(label, a, b, _pct(a.value, b.value) if metric != "balance" else None)


def test_pinned_figures_are_the_census_files() -> None:
    for year in (2025, 2026):
        rows = json.loads((RAW / f"{year}.json").read_text())
        mexico = next(r for r in rows if r["country_code"] == "MEX")
        for flow in ("exports", "imports"):
            months = [Decimal(str(v)) * 1_000_000 for v in mexico[flow][:8]]  # 2026: to August
            assert PINNED[(flow, f"{year}-08")] == months[7]
            assert PINNED[(flow, f"{year}-01..{year}-08")] == sum(months[:8])


def test_digest_for_2025_07_07_has_the_latest_month_against_a_year_earlier(
    store: FactStore,
) -> None:
    digest = build_digest(store, DAY)
    census, cbp = store.sources[CENSUS], store.sources[CBP]
    claim = context_of(store).checks["top-consumer"]  # the week's checkable claim (below)
    border_now = Fact("encounters", "nationwide", "2025-11", Decimal(30375), "encounters", CBP)
    border_before = replace(border_now, period="2024-11", value=Decimal(124972))
    (now, value), (before, _) = _duties(2026, 8), _duties(2025, 8)
    duty_basis = store.border.duties("MEX", (2026, 8), (2026, 8))[0].basis  # type: ignore[index]
    duties_now = Fact(
        "duties", "MEX", "2026-08", Decimal(now), "USD", DUTIES, TARIFFS, "", duty_basis
    )
    duties_before = replace(duties_now, period="2025-08", value=Decimal(before))
    imports = Fact("imports_for_consumption", "MEX", "2026-08", Decimal(value), "USD", DUTIES,
                   "Mexico", "", duty_basis)  # fmt: skip
    port, every = _laredo("2025")
    laredo = Fact("total", "MEX", "2025", Decimal(port), "USD", BTS, "Laredo", "", BTS_BASIS,
                  "port:2304")  # fmt: skip
    mexico = Fact("total", "MEX", "2025", Decimal(every), "USD", BTS, "Mexico", "", BTS_BASIS,
                  "mode:*")  # fmt: skip
    assert digest == Digest(
        day=DAY,
        week="2025-W28",
        week_of=DAY,
        partner="Mexico",
        month=(
            _change(EXPORTS, "exports", "2026-08", "2025-08"),
            _change(IMPORTS, "imports", "2026-08", "2025-08"),
            _change(BALANCE, "balance", "2026-08", "2025-08"),
        ),
        ytd=(
            _change(EXPORTS, "exports", "2026-01..2026-08", "2025-01..2025-08"),
            _change(IMPORTS, "imports", "2026-01..2026-08", "2025-01..2025-08"),
            _change(BALANCE, "balance", "2026-01..2026-08", "2025-01..2025-08"),
        ),
        rank=MarketRank(
            fact=_usd("exports", "2026-08"),
            rank=1,
            markets=215,
            neighbour=Fact(
                "exports", "CAN", "2026-08", Decimal("30289600000"), "USD", CENSUS, "Canada"
            ),
            neighbour_rank=2,
            gap=Decimal("3366700000"),
        ),
        border=Change(
            ENCOUNTERS,
            replace(border_now, label=ENCOUNTERS),
            replace(border_before, label=ENCOUNTERS),
            _pct(Decimal(30375), Decimal(124972)),
        ),
        claim=claim,
        trade_months=digest.trade_months,  # checked against the raw files below
        trade_sources=(census,),
        border_sources=(cbp,),
        claim_sources=tuple(store.sources[s] for s in claim.source_ids),
        tariffs=Tariffs(
            Change(TARIFFS, duties_now, duties_before, _pct(duties_now.value, duties_before.value)),
            imports,
            duties_now.value / imports.value * 100,
        ),
        port=PortShare(laredo, mexico, laredo.value / mexico.value * 100),
        tariff_sources=(store.sources[DUTIES], store.sources[BTS]),
    )
    assert claim.number == 3
    assert (duties_now.value, imports.value) == (1_932_487_514, 60_312_891_117)
    assert (laredo.value, mexico.value) == (344_553_742_638, 872_833_677_052)


def test_the_digest_chart_has_the_last_13_months_from_the_census_files(store: FactStore) -> None:
    months = build_digest(store, DAY).trade_months
    raw = {}
    for year in (2025, 2026):
        rows = json.loads((RAW / f"{year}.json").read_text())
        mexico = next(r for r in rows if r["country_code"] == "MEX")
        for flow in ("exports", "imports"):
            for m, value in enumerate(mexico[flow][:12], start=1):
                if value is not None:
                    raw[(flow, f"{year}-{m:02d}")] = Decimal(str(value)) * 1_000_000
    periods = [f"2025-{m:02d}" for m in range(8, 13)] + [f"2026-{m:02d}" for m in range(1, 9)]
    assert [(e.period, i.period) for e, i in months] == [(p, p) for p in periods]
    assert [(e.value, i.value) for e, i in months] == [
        (raw[("exports", p)], raw[("imports", p)]) for p in periods
    ]
    assert months[-1][0] == _usd("exports", "2026-08")


def test_digest_does_not_depend_on_the_day_within_a_week(store: FactStore) -> None:
    monday = build_digest(store, DAY)
    for offset in range(1, 7):
        assert build_digest(store, DAY + timedelta(days=offset)) == replace(
            monday, day=DAY + timedelta(days=offset)
        )


def test_every_figure_cites_a_source_of_the_digest(store: FactStore) -> None:
    digest = build_digest(store, DAY)
    assert digest.border is not None and digest.rank is not None
    facts = [c.now for c in digest.month + digest.ytd] + [c.before for c in digest.month]
    facts += [digest.rank.fact, digest.rank.neighbour, digest.border.now, digest.border.before]
    cited = {s.id for s in digest.sources}
    assert {f.source_id for f in facts if f is not None} <= cited
    assert set(digest.claim.source_ids) <= cited
    assert digest.tariffs is not None and digest.port is not None
    facts += [digest.tariffs.duties.now, digest.port.port, digest.port.whole]
    cited = {s.id for s in digest.sources}
    assert {f.source_id for f in facts if f is not None} <= cited
    assert [s.id for s in digest.sources] == [CENSUS, DUTIES, BTS, CBP, "amcham-oped-2025"]


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2025, 7, 7), "2025-W28"),
        (date(2025, 7, 13), "2025-W28"),
        (date(2024, 12, 30), "2025-W01"),
        (date(2021, 1, 3), "2020-W53"),
    ],
)
def test_iso_week_names_the_week_of_a_date(day: date, week: str) -> None:
    assert iso_week(day) == week


def test_claim_of_the_week_differs_every_week_and_covers_every_checkable_claim(
    store: FactStore,
) -> None:
    every = list(context_of(store).checks.values())
    checkable = [c for c in every if c.verdict != "unverifiable"]
    assert 0 < len(checkable) < len(every)
    mondays = [date(2024, 12, 30) + timedelta(weeks=n) for n in range(3 * 52)]
    picked = [claim_of_the_week(every, day).id for day in mondays]
    assert all(a != b for a, b in zip(picked, picked[1:], strict=False))
    for start in range(0, len(mondays) - len(checkable)):
        assert set(picked[start : start + len(checkable)]) == {c.id for c in checkable}


def test_claim_of_the_week_is_the_same_all_week(store: FactStore) -> None:
    checks = context_of(store).checks.values()
    week = {claim_of_the_week(checks, DAY + timedelta(days=d)).id for d in range(7)}
    assert week == {"top-consumer"}


def test_ranking_month_lists_countries_only_largest_first(store: FactStore) -> None:
    ranking = store.ranking_month("exports", 2026, 8)
    assert [(f.partner, f.value) for f in ranking[:3]] == [
        ("MEX", Decimal("33656300000")),
        ("CAN", Decimal("30289600000")),
        ("NLD", Decimal("10652500000")),
    ]
    kinds = {store.countries[f.partner].kind for f in ranking}
    assert kinds <= {"country", "former"}
    assert [f.value for f in ranking] == sorted((f.value for f in ranking), reverse=True)


DRY_RUN = """\
*TradeFact weekly digest: August 2026 figures, the newest in the data · week of July 7, 2025 (2025-W28)*

*U.S. trade with Mexico, August 2026* (the latest month in the data)
• U.S. exports to Mexico (what Mexico buys from the U.S.): *$33.7 billion* (exactly $33,656,300,000), +15.3% from $29.2 billion in August 2025
• U.S. imports from Mexico: *$60.6 billion* (exactly $60,637,400,000), +34.2% from $45.2 billion in August 2025
• U.S. trade balance with Mexico: *deficit of $27.0 billion* (exactly -$26,981,100,000), against a deficit of $16.0 billion in August 2025
*Year to date, January–August 2026*
• U.S. exports to Mexico (what Mexico buys from the U.S.): *$263.5 billion* (exactly $263,473,200,000), +16.6% from $225.9 billion in January–August 2025
• U.S. imports from Mexico: *$419.3 billion* (exactly $419,344,400,000), +18.3% from $354.5 billion in January–August 2025
• U.S. trade balance with Mexico: *deficit of $155.9 billion* (exactly -$155,871,200,000), against a deficit of $128.6 billion in January–August 2025
*Mexico is the #1 market for U.S. exports in August 2026* (of 215 countries): $3.4 billion ahead of #2 Canada ($30.3 billion)

Source: <https://www.census.gov/foreign-trade/balance/country.xlsx|U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods by Country (country.xlsx), monthly and annual, 1991 to August 2026>

*Tariffs and ports* (the latest month and year in the data)
• Calculated duties on imports from Mexico, August 2026: *$1.9 billion* (exactly $1,932,487,514), -7.1% from $2.1 billion in August 2025; 3.20% of $60.3 billion of imports for consumption (calculated duties ÷ imports for consumption)
• Laredo's share of U.S. trade with Mexico, 2025: *39.48%* ($344.6 billion of $872.8 billion; BTS TransBorder, first-release values)

Source: <https://api.census.gov/data/timeseries/intltrade/imports/hs|U.S. Census Bureau, International Trade API, U.S. imports by country - calculated duties (CAL_DUT_MO) and imports for consumption (CON_VAL_MO), monthly>
Source: <https://www.bts.gov/transborder|U.S. Department of Transportation, Bureau of Transportation Statistics (compiled from U.S. Census Bureau trade records), TransBorder Freight Data - U.S. trade with Mexico and Canada by mode, U.S. state, Texas port, Mexican state and commodity group>

*Border, November 2025* (the latest month in the data)
• CBP encounters nationwide: *30,375 encounters*, -75.7% from 124,972 encounters in November 2024

Source: <https://www.cbp.gov/document/stats/nationwide-encounters|U.S. Customs and Border Protection, Nationwide Encounters (by state), FY2020 to FY2026 (November)>

*Claim of the week*
❌ *Not supported* — Claim 3 (trade): Mexico is the largest market for U.S. goods, buying more than any other country.
    Op-ed: first among U.S. export markets · Data: #2
    Tolerance: supported only if exactly #1
    Related: Mexico's rank among U.S. export markets in the months published when the op-ed appeared (1 = largest) (January–June 2025; first: Canada): #2
    Related: Mexico's rank among U.S. export markets in 2025 (1 = largest): #1

Source: American Chamber of Commerce of Mexico (Pedro Casas-Alatriste, CEO), Op-ed on U.S.-Mexico trade, 2025
Source: <https://www.census.gov/foreign-trade/balance/country.xlsx|U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods by Country (country.xlsx), monthly and annual, 1991 to August 2026>
"""  # noqa: E501


def _env(store_path: Path) -> dict[str, str]:
    # No SLACK_ variable and no state database: a dry run needs neither.
    return {"TRADEFACT_DATA_DIR": str(ROOT / "data"), "TRADEFACT_DB": str(store_path)}


def test_dry_run_prints_the_digest_for_2025_07_07_with_citations(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**_env(store_path), "TRADEFACT_STATE_DB": str(tmp_path / "state" / "ledger.sqlite3")}
    argv = ["digest", "--channel", "C0TEST", "--date", "2025-07-07", "--dry-run"]
    assert main(argv, env) == 0
    assert capsys.readouterr().out == DRY_RUN
    assert not (tmp_path / "state").exists()  # a dry run writes nothing


def test_dry_run_json_is_the_whole_chat_post_message_payload(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["digest", "--channel", "C0TEST", "--date", "2025-07-07", "--dry-run", "--json"]
    assert main(argv, _env(store_path)) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["channel"] == "C0TEST"
    assert payload["text"] + "\n" == DRY_RUN
    assert payload["metadata"] == {
        "event_type": "tradefact_digest",
        "event_payload": {"week": "2025-W28"},
    }
    assert [b["type"] for b in payload["blocks"]] == [
        "header",
        "section",
        "context",
        "divider",
        "section",
        "context",
        "divider",
        "section",
        "context",
        "divider",
        "section",
        "context",
    ]


def test_blocks_stay_within_slack_limits_and_carry_every_citation(store: FactStore) -> None:
    blocks = render_digest_blocks(build_digest(store, DAY))
    assert len(blocks) <= BLOCK_LIMIT
    assert len(blocks[0]["text"]["text"]) <= HEADER_LIMIT
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(s) <= SECTION_LIMIT for s in sections)
    contexts = [b["elements"] for b in blocks if b["type"] == "context"]
    assert all(len(e) <= CONTEXT_ELEMENTS for e in contexts)
    links = " ".join(e["text"] for elements in contexts for e in elements)
    assert "<https://www.census.gov/foreign-trade/balance/country.xlsx|" in links
    assert "<https://www.cbp.gov/document/stats/nationwide-encounters|" in links
    assert "American Chamber of Commerce of Mexico" in links


def test_rendering_escapes_every_string(store: FactStore) -> None:
    digest = build_digest(store, DAY)
    hostile = "<!channel> & <@U123> <https://evil|click>"
    month = (replace(digest.month[0], label=hostile), *digest.month[1:])
    claim = replace(digest.claim, paraphrase=hostile)
    source = replace(digest.trade_sources[0], title=hostile)
    bad = replace(digest, partner=hostile, month=month, claim=claim, trade_sources=(source,))
    blocks = json.dumps(render_digest_blocks(bad), ensure_ascii=False)
    for rendered in (render_digest_text(bad), blocks):
        assert "<!channel>" not in rendered and "<@U123>" not in rendered
        assert "<https://evil" not in rendered
        assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in rendered


def test_a_partner_behind_its_neighbour_shows_the_gap_behind(store: FactStore) -> None:
    digest = build_digest(store, DAY)
    assert digest.rank is not None
    canada = replace(digest.rank.neighbour, value=Decimal("40000000000"))
    second = replace(digest.rank, rank=2, neighbour=canada, neighbour_rank=1, gap=Decimal(-6.3e9))
    text = render_digest_text(replace(digest, rank=second))
    assert (
        "*Mexico is the #2 market for U.S. exports in August 2026* (of 215 countries):"
        " $6.3 billion behind #1 Canada ($40.0 billion)"
    ) in text
