"""Border trade, duties and citizenship in the store equal the raw files to the dollar or person.

Expected figures are computed here from the raw files with the csv and json modules, not with
the loader's SQL, and a few are also pinned as literals (from SOURCES.md's checked figures).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pytest

from facts import load_bts
from facts.load import DataError, build
from facts.store import FactStore

DATA = Path(__file__).resolve().parent.parent / "data"
BTS = DATA / "raw" / "bts-transborder"
DUTIES = DATA / "raw" / "census-duties-by-country"
NATIONWIDE = sorted((DATA / "raw" / "cbp-nationwide-encounters").glob("*.csv"))
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
SW_FILE = DATA / "raw" / "cbp-sw-border-encounters" / "sbo-encounters-fy22-fy25-aug.csv"


@cache
def _csv(name: str) -> list[dict[str, str]]:
    with (BTS / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _bts_sum(name: str, **where: str) -> int:
    total = Decimal(0)
    for row in _csv(name):
        if all(row[k] == v for k, v in where.items()):
            total += Decimal(row["TradeValue"])
    return int(total)


@cache
def _duty_rows(year: int) -> list[list[str]]:
    return json.loads((DUTIES / f"{year}.json").read_text(encoding="utf-8"))["rows"]


def test_exports_to_mexico_2024_are_the_bts_first_release_total(store: FactStore) -> None:
    fact = store.border.cut_total("mode", "MEX", "exports", 2024)
    assert fact is not None
    expected = _bts_sum("us_transborder.csv", Year="2024", Country="Mexico", TradeType="Export")
    assert fact.value == expected == 334_041_359_045
    assert fact.source_id == "bts-transborder" and "first-release" in fact.basis
    # The Census partner table holds the revised value: the two are never the same figure.
    revised = store.trade_year("exports", "MEX", 2024)
    assert revised is not None and revised.value == 334_492_100_000


@pytest.mark.parametrize(
    ("state", "name", "expected"),
    [("TX", "Texas", 123_525_096_575), ("CA", "California", 33_517_001_674)],
)
def test_us_state_exports_to_mexico_2024(
    store: FactStore, state: str, name: str, expected: int
) -> None:
    facts = {f.dimension: f for f in store.border.cut_year("state", "MEX", "exports", 2024)}
    fact = facts[f"state:{state}"]
    raw = _bts_sum(
        "us_state_trade.csv", Year="2024", StateCode=state, Country="Mexico", TradeType="Export"
    )
    assert fact.value == raw == expected
    assert fact.label == name


def test_states_ranked_by_exports_to_mexico_2024_keep_unknown(store: FactStore) -> None:
    ranked = [f.label for f in store.border.cut_year("state", "MEX", "exports", 2024)[:6]]
    assert ranked == ["Texas", "California", "Michigan", "Illinois", "Unknown", "Ohio"]


def test_michigan_imports_from_canada_2024(store: FactStore) -> None:
    facts = {f.dimension: f for f in store.border.cut_year("state", "CAN", "imports", 2024)}
    raw = _bts_sum(
        "us_state_trade.csv", Year="2024", StateCode="MI", Country="Canada", TradeType="Import"
    )
    assert facts["state:MI"].value == raw


def test_laredo_trade_2024(store: FactStore) -> None:
    facts = {f.dimension: f for f in store.border.cut_year("port", "MEX", "exports", 2024)}
    assert facts["port:2304"].value == _bts_sum(
        "texas_mexico_ports.csv", Year="2024", Port="Laredo", TradeType="Export"
    )
    total = {f.dimension: f for f in store.border.cut_year("port", "MEX", "total", 2024)}
    assert total["port:2304"].value == _bts_sum(
        "texas_mexico_ports.csv", Year="2024", Port="Laredo"
    )
    assert total["port:2304"].value == 331_201_314_349


@pytest.mark.parametrize(
    ("country", "mode", "flow", "raw_mode", "raw_country", "raw_flow"),
    [
        ("MEX", "truck", "exports", "Truck", "Mexico", "Export"),
        ("MEX", "rail", "imports", "Rail", "Mexico", "Import"),
        ("CAN", "pipeline", "imports", "Pipeline", "Canada", "Import"),
    ],
)
def test_trade_by_mode_2024(
    store: FactStore,
    country: str,
    mode: str,
    flow: str,
    raw_mode: str,
    raw_country: str,
    raw_flow: str,
) -> None:
    fact = store.border.cut_total("mode", country, flow, 2024, mode)
    assert fact is not None
    assert fact.value == _bts_sum(
        "us_transborder.csv", Year="2024", Country=raw_country, Mode=raw_mode, TradeType=raw_flow
    )


def test_monthly_rail_exports_to_mexico(store: FactStore) -> None:
    fact = store.border.mode_month("MEX", "exports", 2025, 3, "rail")
    assert fact is not None
    assert fact.value == _bts_sum(
        "monthly_trends.csv",
        Year="2025",
        Month="3",
        Country="Mexico",
        Mode="Rail",
        TradeType="Export",
    )


def test_commodity_groups_cover_only_surface_exports_with_a_mexican_state(
    store: FactStore,
) -> None:
    groups = store.border.cut_year("commodity", "MEX", "exports", 2024)
    assert groups[0].label == "Machinery & Electrical Equipment"
    assert groups[0].value == _bts_sum(
        "commodity_mexstate_trade.csv", Year="2024", CommodityGroup=groups[0].label
    )
    assert len(groups) == 22
    covered = store.border.cut_total("mexstate", "MEX", "exports", 2024)
    assert covered is not None and covered.value == 258_265_637_435
    assert sum(f.value for f in groups) == covered.value
    assert "surface modes" in covered.basis
    assert store.border.cut_year("commodity", "MEX", "imports", 2024) == []


def test_exports_to_nuevo_leon_2024(store: FactStore) -> None:
    facts = {f.dimension: f for f in store.border.cut_year("mexstate", "MEX", "exports", 2024)}
    assert facts["mexstate:Nuevo Leon"].value == _bts_sum(
        "mexican_state_trade.csv", Year="2024", MexState="Nuevo Leon"
    )


@pytest.mark.parametrize(
    ("partner", "code", "duties", "value"),
    [
        ("CAN", "1220", 1_054_156_926, 29_694_128_619),
        ("MEX", "2010", 2_033_118_597, 44_844_524_200),
        ("CHN", "5700", 7_059_486_487, 17_645_444_692),
        ("WORLD", "-", 24_074_060_616, 259_200_840_060),
    ],
)
def test_duties_june_2025(
    store: FactStore, partner: str, code: str, duties: int, value: int
) -> None:
    [raw] = [r for r in _duty_rows(2025) if r[0] == "2025-06" and r[1] == code]
    found = store.border.duties(partner, (2025, 6), (2025, 6))
    assert found is not None
    assert (found[0].value, found[1].value) == (int(raw[3]), int(raw[4])) == (duties, value)
    assert "imports for consumption" in found[0].basis


def test_duties_on_chinese_goods_2025_add_up_the_months(store: FactStore) -> None:
    raw = sum(int(r[3]) for r in _duty_rows(2025) if r[1] == "5700")
    found = store.border.duties("CHN", (2025, 1), (2025, 12))
    assert found is not None and found[0].value == raw


def test_duty_ranking_2025_holds_countries_only(store: FactStore) -> None:
    ranked = store.border.duties_ranking((2025, 1), (2025, 12))
    assert [f.partner for f in ranked[:3]] == ["CHN", "MEX", "VNM"]
    world = store.border.duties("WORLD", (2025, 1), (2025, 12))
    assert world is not None and sum(f.value for f in ranked) == world[0].value


def test_duties_refuse_a_period_with_missing_months(store: FactStore) -> None:
    assert store.border.duties("MEX", (2026, 1), (2026, 12)) is None


def test_mexican_nationals_encountered_fy2024(store: FactStore) -> None:
    facts = store.border.citizenship("nationwide", (2023, 10), (2024, 9))
    assert facts[0].label == "Mexico" and facts[0].value == 668_088
    assert facts[0].dimension == "citizenship:MEX"


def _raw_nationwide_by_month() -> Counter[tuple[str, str, str]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for path in NATIONWIDE:  # oldest release first: later files replace a month wholesale
        per_file: Counter[tuple[str, str, str]] = Counter()
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                key = (row["Fiscal Year"][:4], row["Month (abbv)"], row["Citizenship"])
                per_file[key] += int(row["Encounter Count"].replace(",", ""))
        months = {k[:2] for k in per_file}
        for key in [k for k in counts if k[:2] in months]:
            del counts[key]
        counts.update(per_file)
    return counts


def test_citizenship_matches_the_raw_files_and_adds_up_to_every_encounter_total(
    store: FactStore,
) -> None:
    raw = _raw_nationwide_by_month()
    assert raw[("2025", "JUN", "MEXICO")] == 8_132
    for (fiscal, abbr, citizenship), count in raw.items():
        if citizenship in ("MEXICO", "GUATEMALA"):
            month = MONTHS.index(abbr) + 1
            year = int(fiscal) - (1 if month >= 10 else 0)
            [fact] = [
                f
                for f in store.border.citizenship("nationwide", (year, month), (year, month))
                if f.label == citizenship.title()
            ]
            assert fact.value == count
    first, last = store.coverage.encounter_months["nationwide"]
    for series in ("nationwide", "southwest", "northern", "other-air-sea-interior"):
        months = store.encounters(series, first, last)
        for month in months:
            year, number = int(month.period[:4]), int(month.period[5:])
            by_citizenship = store.border.citizenship(series, (year, number), (year, number))
            assert sum(f.value for f in by_citizenship) == month.value, (series, month.period)
    june = store.border.citizenship("nationwide", (2025, 6), (2025, 6))
    assert {f.dimension: f.value for f in june}["citizenship:MEX"] == 8_132


def test_southwest_citizenship_groups_add_up_to_each_component(store: FactStore) -> None:
    raw: Counter[tuple[str, str]] = Counter()
    with SW_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            raw[(row["Component"], row["Citizenship Grouping"])] += int(row["Encounter Count"])
    for series, component in (
        ("usbp-southwest", "U.S. Border Patrol"),
        ("ofo-southwest", "Office of Field Operations"),
    ):
        facts = store.border.citizenship(series, (2021, 10), (2025, 8))
        total = sum(f.value for f in store.encounters(series, (2021, 10), (2025, 8)))
        assert sum(f.value for f in facts) == total
        assert {f.label: f.value for f in facts}["Guatemala"] == raw[(component, "Guatemala")]


# --- malformed inputs ---------------------------------------------------------------------


def _rewrite(data_dir: Path, rel: str, old: str, new: str) -> None:
    path = data_dir / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.unlink()  # the symlink: the repository's file stays as it is
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


STATES = "raw/bts-transborder/us_state_trade.csv"
PORTS = "raw/bts-transborder/texas_mexico_ports.csv"
COMMODITY = "raw/bts-transborder/commodity_mexstate_trade.csv"
DUTIES_2025 = "raw/census-duties-by-country/2025.json"
SW = "raw/cbp-sw-border-encounters/sbo-encounters-fy22-fy25-aug.csv"


@pytest.mark.parametrize(
    ("rel", "old", "new", "message"),
    [
        (
            STATES,
            "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,100978.0,,",
            "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,lots,,",
            f"{STATES}, row 2: TradeValue is not whole dollars ≥ 0: lots",
        ),
        (
            STATES,
            "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,100978.0,,",
            "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,100978.5,,",
            f"{STATES}, row 2: TradeValue is not whole dollars ≥ 0: 100978.5",
        ),
        (
            STATES,
            "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,",
            "1993,AK,Alaska,Canada,Hovercraft,Export,",
            f"{STATES}, row 2: unknown Mode 'Hovercraft'",
        ),
        (
            PORTS,
            "1993,2301,Brownsville,Mail (U.S. Postal Service),Import,10389.0",
            "1993,2301,Brownsville,Mail (U.S. Postal Service),Import,-10389.0",
            f"{PORTS}, row 2: TradeValue is not whole dollars ≥ 0: -10389.0",
        ),
        (
            "raw/bts-transborder/us_transborder.csv",
            "Year,Country,Mode",
            "Year,Nation,Mode",
            "raw/bts-transborder/us_transborder.csv, row 1: missing column 'Country'",
        ),
        (
            COMMODITY,
            "2024,Aguascalientes,Animal or Vegetable Fats & Oils,Truck,Export,",
            "2024,Aguascalientes,Animal or Vegetable Fats & Oils,Truck,Export,1",
            f"{COMMODITY}: Aguascalientes 2024 truck exports: the commodity groups add up to",
        ),
        (
            COMMODITY,
            "1994,Aguascalientes,Animal or Vegetable Fats & Oils,Truck,Export,",
            "1994,Aguascalientes,Animal or Vegetable Fats & Oils,Truck,Import,",
            f"{COMMODITY}, row 2: unknown TradeType 'Import'",
        ),
        (
            DUTIES_2025,
            '["2025-01","1220","CANADA",',
            '["2024-01","1220","CANADA",',
            f"{DUTIES_2025}, row ",
        ),
        (
            DUTIES_2025,
            '["2025-01","1220","CANADA","',
            '["2025-01","1220","CANADA","9',
            f"{DUTIES_2025}, row 2025-01: the countries' duties add up to",
        ),
        (
            SW,
            "2022,FYTD,OCT,Office of Field Operations,Accompanied Minors,El Salvador,",
            "2022,FYTD,OCT,Office of Field Operations,Accompanied Minors,Atlantis,",
            f"{SW}, row 2: unknown Citizenship Grouping 'Atlantis'",
        ),
    ],
)
def test_malformed_border_input_fails_with_file_row_and_problem(
    data_copy: Path, tmp_path: Path, rel: str, old: str, new: str, message: str
) -> None:
    _rewrite(data_copy, rel, old, new)
    with pytest.raises(DataError) as failure:
        build(data_copy, tmp_path / "out.duckdb")
    assert str(failure.value).startswith(message)
    assert not (tmp_path / "out.duckdb").exists()


def test_an_unknown_census_country_code_is_named(data_copy: Path, tmp_path: Path) -> None:
    _rewrite(data_copy, DUTIES_2025, '"1220","CANADA"', '"1999","ATLANTIS"')
    with pytest.raises(DataError) as failure:
        build(data_copy, tmp_path / "out.duckdb")
    assert "Census country code 1999 (ATLANTIS) is not in countries.csv" in str(failure.value)


# --- a rebuild redoes only what changed -------------------------------------------------------


def _border_rows(path: Path) -> dict[str, object]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "state": con.execute("SELECT count(*), sum(value_usd) FROM state_trade").fetchone(),
            "commodity": con.execute(
                "SELECT count(*), sum(value_usd) FROM commodity_exports"
            ).fetchone(),
            "duties": con.execute("SELECT count(*), sum(duties_usd) FROM duties").fetchone(),
            "inputs": con.execute("SELECT value FROM meta WHERE key = 'border_inputs'").fetchone(),
        }
    finally:
        con.close()


def test_a_rebuild_copies_unchanged_border_tables_and_reloads_changed_ones(
    data_copy: Path, tmp_path: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "facts.duckdb"
    build(data_copy, db)
    first = _border_rows(db)
    assert first == _border_rows(store_path)  # the same as a build from scratch
    _rewrite(data_copy, "claims.yaml", "- id: exports-2024\n", "- id: exports-2024 \n")
    with monkeypatch.context() as patch:  # another input changed: the tables are copied
        patch.setattr(load_bts, "load_transborder", _must_not_load)
        build(data_copy, db)
    assert _border_rows(db) == first
    # 1993 is before the cross-file checks, so a changed dollar there loads as it is.
    _rewrite(
        data_copy,
        STATES,
        "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,100978.0,,",
        "1993,AK,Alaska,Canada,Mail (U.S. Postal Service),Export,100979.0,,",
    )
    build(data_copy, db)
    changed = _border_rows(db)
    assert changed["state"] == (first["state"][0], first["state"][1] + 1)  # type: ignore[index]
    assert changed["inputs"] != first["inputs"]
    assert changed["duties"] == first["duties"]


def _must_not_load(*args: object) -> None:
    raise AssertionError("the TransBorder files were loaded again although unchanged")


def test_a_damaged_previous_store_means_a_full_load(data_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    db.write_bytes(b"not a duckdb file" * 1000)
    build(data_copy, db)
    assert _border_rows(db)["commodity"][0] == 38_477  # type: ignore[index]
