"""The fact store holds the raw files' figures exactly, each with a source that resolves."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from facts.load import DataError, build, ensure_built, fingerprint
from facts.store import FactStore

DATA = Path(__file__).resolve().parent.parent / "data"

MILLION = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("partner", "millions"),
    [("MEX", "334492.1"), ("CAN", "350605.6"), ("CHN", "143271.7")],
)
def test_2024_exports_match_the_census_file(store: FactStore, partner: str, millions: str) -> None:
    fact = store.trade_year("exports", partner, 2024)
    assert fact is not None
    assert fact.value == Decimal(millions) * MILLION
    assert (fact.unit, fact.period, fact.source_id) == ("USD", "2024", "census-trade-by-country")


def test_balance_is_exports_minus_imports(store: FactStore) -> None:
    fact = store.trade_year("balance", "MEX", 2024)
    assert fact is not None and fact.value == Decimal("-168618.0") * MILLION


def test_partial_year_is_marked(store: FactStore) -> None:
    fact = store.trade_year("exports", "MEX", 2026)
    assert fact is not None
    assert fact.value == Decimal("263473.1") * MILLION
    assert fact.note == "January–August only"


def test_monthly_values_add_up_to_the_year(store: FactStore) -> None:
    months = [store.trade_month("exports", "MEX", 2024, m) for m in range(1, 13)]
    total = sum((m.value for m in months if m), Decimal(0))
    assert abs(total - Decimal("334492.1") * MILLION) <= MILLION


def test_export_ranking_excludes_aggregates(store: FactStore) -> None:
    top = [f.partner for f in store.ranking("exports", 2024)[:10]]
    assert top == ["CAN", "MEX", "CHN", "NLD", "GBR", "JPN", "DEU", "KOR", "BRA", "SGP"]


def test_world_total_is_the_sum_of_partner_rows(store: FactStore) -> None:
    fact = store.trade_world("exports", 2024)
    assert fact is not None and fact.value == Decimal("2063023.8") * MILLION


def test_population_of_mexico_2024(store: FactStore) -> None:
    fact = store.population("MEX", 2024)
    assert fact is not None
    assert (fact.value, fact.unit, fact.source_id) == (
        Decimal(130861007),
        "people",
        "worldbank-population",
    )


@pytest.mark.parametrize(
    ("series", "value", "source"),
    [
        ("nationwide", 25185, "cbp-nationwide-encounters"),
        ("southwest", 9300, "cbp-nationwide-encounters"),
        ("usbp-southwest", 6068, "cbp-sw-border-encounters"),
        ("ofo-southwest", 3234, "cbp-sw-border-encounters"),
    ],
)
def test_june_2025_encounters(store: FactStore, series: str, value: int, source: str) -> None:
    [fact] = store.encounters(series, (2025, 6), (2025, 6))
    assert (fact.value, fact.source_id, fact.period) == (Decimal(value), source, "2025-06")


def test_border_patrol_series_reaches_back_to_fy2000(store: FactStore) -> None:
    [first] = store.encounters("usbp-southwest", (1999, 10), (1999, 10))
    assert first.source_id == "dhs-ohss-usbp-encounters"
    assert first.value == 87820


def test_fentanyl_seizures_june_2025(store: FactStore) -> None:
    fact = store.seizures("fentanyl", (2025, 6), (2025, 6))
    assert fact is not None and round(fact.value, 1) == Decimal("843.6")
    assert fact.unit == "lb"


def test_every_row_has_a_source_with_a_url_or_a_reason(store_path: Path) -> None:
    con = duckdb.connect(str(store_path), read_only=True)
    sources = {
        r[0]: (r[1], r[2]) for r in con.execute("SELECT id, url, url_note FROM sources").fetchall()
    }
    assert all(url or note for url, note in sources.values())
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    checked = 0
    for table in tables:
        columns = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
        if "source_id" in columns:
            ids = {
                r[0] for r in con.execute(f'SELECT DISTINCT source_id FROM "{table}"').fetchall()
            }
            assert ids <= set(sources), table
            checked += 1
    assert checked >= 7


def test_store_is_opened_read_only(store: FactStore) -> None:
    with pytest.raises(duckdb.Error):
        store._con.execute("DELETE FROM sources")  # noqa: SLF001


def test_build_is_deterministic(tmp_path: Path, store_path: Path) -> None:
    again = tmp_path / "again.duckdb"
    build(DATA, again)

    def digest(path: Path) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(path), read_only=True)
        return con.execute(
            "SELECT 'trade', count(*), sum(value_usd) FROM trade_monthly UNION ALL "
            "SELECT 'enc', count(*), sum(value) FROM encounters UNION ALL "
            "SELECT 'seiz', count(*), sum(pounds) FROM seizures UNION ALL "
            "SELECT value, 0, 0 FROM meta WHERE key = 'fingerprint' ORDER BY 1"
        ).fetchall()

    assert digest(again) == digest(store_path)


# --- malformed inputs ---------------------------------------------------------------------


def _rewrite(data_dir: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = data_dir / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.unlink()
    path.write_text(text.replace(old, new, count), encoding="utf-8")


POPULATION = "raw/worldbank-population/population.csv"
NATIONWIDE = "raw/cbp-nationwide-encounters/nationwide-encounters-fy22-fy25-state.csv"


@pytest.mark.parametrize(
    ("rel", "old", "new", "message"),
    [
        (
            POPULATION,
            "Country Name,Country Code,Year,Value",
            "Country Name,Country Code,Year,Amount",
            "raw/worldbank-population/population.csv, row 1: missing column 'Value'",
        ),
        (
            POPULATION,
            "Aruba,ABW,1961,55578",
            "Aruba,ABW,1961,lots",
            "raw/worldbank-population/population.csv, row 3: 'Value' is not a whole number: 'lots'",
        ),
        (
            POPULATION,
            "Aruba,ABW,1961,55578",
            "Aruba,ABW,1960,55578",
            "raw/worldbank-population/population.csv, row 3: duplicate key "
            "(Country Code='ABW', Year='1960')",
        ),
        (
            NATIONWIDE,
            "2022,FYTD,APR,Northern Land Border,AK,Single Adults,OTHER,Title 8,1",
            "2022,FYTD,APR,Northern Land Border,AK,Single Adults,OTHER,Title 8,one",
            f"{NATIONWIDE}, row 3: 'Encounter Count' is not a whole number: 'one'",
        ),
        (
            NATIONWIDE,
            "2022,FYTD,APR,Northern Land Border,AK,Single Adults,OTHER,Title 8,1",
            "2022,FYTD,APRIL?,Northern Land Border,AK,Single Adults,OTHER,Title 8,1",
            f"{NATIONWIDE}, row 3: 'Fiscal Year'/'Month (abbv)' is not a fiscal year and month",
        ),
        (
            "raw/census-trade-by-country/2024.json",
            '"exports_year":717.3',
            '"exports_year":917.3',
            "raw/census-trade-by-country/2024.json, row 1: ABW: the months do not add up to the "
            "year (tolerance $1M)",
        ),
        (
            "raw/census-trade-by-country/2024.json",
            '"exports_year":717.3',
            '"exports_year":"lots"',
            "raw/census-trade-by-country/2024.json, row 1: ABW: a value is not a number",
        ),
        (
            "raw/census-trade-by-country/2024.json",
            '{"country_code":"AFG"',
            '{"country_code":"ABW"',
            "raw/census-trade-by-country/2024.json, row 2: duplicate country_code 'ABW'",
        ),
        (
            "raw/census-trade-by-country/2024.json",
            '"country_code":"ABW",',
            "",
            "raw/census-trade-by-country/2024.json, row 1: None: missing a column",
        ),
        (
            "claims.yaml",
            "- id: exports-2024\n",
            "- id: exports-2024\n  source: no-such-source\n",
            "sources.yaml: unknown source id 'no-such-source' in claims",
        ),
        (
            "claims.yaml",
            "- id: mexico-vs-china-2024",
            "- id: exports-2024",
            "claims.yaml, row 2: duplicate id 'exports-2024'",
        ),
        (
            "sources.yaml",
            "  url: https://www.census.gov/foreign-trade/balance/country.xlsx\n",
            "",
            "sources.yaml, row 1: needs a 'url' or a 'url_note' saying why not",
        ),
        (
            "countries.csv",
            "MEX,country,",
            "MEX,planet,",
            "countries.csv, row ",
        ),
    ],
)
def test_malformed_input_fails_with_file_row_and_problem(
    data_copy: Path, tmp_path: Path, rel: str, old: str, new: str, message: str
) -> None:
    _rewrite(data_copy, rel, old, new)
    with pytest.raises(DataError) as failure:
        build(data_copy, tmp_path / "out.duckdb")
    assert str(failure.value).startswith(message)
    assert not (tmp_path / "out.duckdb").exists()


def test_missing_data_file_fails_clearly(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / NATIONWIDE).unlink()
    with pytest.raises(DataError, match=f"{NATIONWIDE}: file is missing"):
        build(data_copy, tmp_path / "out.duckdb")


def test_failed_rebuild_keeps_the_last_good_store(data_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    build(data_copy, db)
    _rewrite(data_copy, POPULATION, "Aruba,ABW,1961,55578", "Aruba,ABW,1961,x")
    with pytest.raises(DataError):
        ensure_built(data_copy, db)
    assert FactStore.open(db).population("MEX", 2024) is not None


def test_store_rebuilds_itself_when_data_change(data_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    assert ensure_built(data_copy, db) is True
    assert ensure_built(data_copy, db) is False
    _rewrite(data_copy, POPULATION, "Aruba,ABW,1961,55578", "Aruba,ABW,1961,55579")
    assert ensure_built(data_copy, db) is True
    fact = FactStore.open(db).population("ABW", 1961)
    assert fact is not None and fact.value == 55579
    assert FactStore.open(db).fingerprint == fingerprint(data_copy)


def test_raw_files_match_their_recorded_checksums() -> None:
    sums = (DATA / "raw" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    present = {
        p.relative_to(DATA / "raw").as_posix()
        for p in (DATA / "raw").rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((DATA / "raw" / name).read_bytes()).hexdigest() == digest, name


def test_annual_figures_from_memory_match_the_table(store: FactStore, store_path: Path) -> None:
    con = duckdb.connect(str(store_path), read_only=True)
    rows = con.execute(
        "SELECT partner, year, sum(value_usd) FILTER (WHERE flow = 'exports'),"
        " sum(CASE flow WHEN 'exports' THEN value_usd ELSE -value_usd END), sum(value_usd)"
        " FROM trade_annual WHERE year IN (1991, 2024, 2026) GROUP BY ALL"
    ).fetchall()
    for partner, year, exports, balance, total in rows:
        for metric, value in (("exports", exports), ("balance", balance), ("total", total)):
            fact = store.trade_year(metric, partner, year)
            assert fact is not None and fact.value == value, (partner, year, metric)
