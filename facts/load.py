"""Build the DuckDB fact store from the files in data/: the only writer of the store.

Every input is validated; a problem stops the build with the file, the row and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb

SCHEMA_VERSION = "2"  # 2: trade_detail (trade by commodity)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

NATIONWIDE_FILES = (  # oldest release first: a newer release replaces overlapping months
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy20-fy23-state.csv",
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy22-fy25-state.csv",
    "raw/cbp-nationwide-encounters/nationwide-encounters-fy23-fy26-nov-state.csv",
)
SW_BORDER_FILE = "raw/cbp-sw-border-encounters/sbo-encounters-fy22-fy25-aug.csv"
OHSS_FILE = "raw/dhs-ohss-usbp-encounters/KHSM Encounters (USBP) fy25m11.xlsx"
SEIZURE_FILES = (
    "raw/cbp-drug-seizures/nationwide-drugs-fy19-fy22.csv",
    "raw/cbp-drug-seizures/nationwide-drugs-fy23-fy26-apr.csv",
)
POPULATION_FILE = "raw/worldbank-population/population.csv"
TRADE_DIR = "raw/census-trade-by-country"
# Optional monthly trade by commodity, in any source's directory (the directory names the source).
COMMODITY_GLOB = "raw/*/trade-by-commodity*.parquet"
REGION_SERIES = {
    "Southwest Land Border": "southwest",
    "Northern Land Border": "northern",
    "Other": "other-air-sea-interior",
}
COMPONENT_SERIES = {
    "U.S. Border Patrol": "usbp-southwest",
    "Office of Field Operations": "ofo-southwest",
}
# The first month of the unrounded CBP Southwest file; OHSS supplies Border Patrol months before.
SW_FILE_START = (2021, 10)


class DataError(Exception):
    """A data file is malformed: names the file, the row and the problem."""

    def __init__(self, file: str, row: int | str | None, problem: str) -> None:
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {problem}")
        self.file, self.row, self.problem = file, row, problem


@dataclass(frozen=True)
class BuildReport:
    """What a build put in the store."""

    path: Path
    tables: dict[str, int]
    fingerprint: str


def fingerprint(data_dir: Path) -> str:
    """Hash every input file under data_dir (names and bytes) plus the schema version."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in sorted(_input_files(data_dir)):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _input_files(data_dir: Path) -> Iterator[Path]:
    for path in data_dir.rglob("*"):
        if path.is_file() and ".duckdb" not in path.name and not path.name.startswith("."):
            yield path


def build(data_dir: Path, db_path: Path) -> BuildReport:
    """Validate data_dir and write the store to db_path atomically (temp file, then rename)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    digest = fingerprint(data_dir)
    try:
        con = duckdb.connect(str(tmp))
        try:
            counts = _build_into(con, data_dir, digest)
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return BuildReport(db_path, counts, digest)


def _build_into(con: duckdb.DuckDBPyConnection, data_dir: Path, digest: str) -> dict[str, int]:
    con.execute(_SCHEMA)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # openpyxl is pure Python; DuckDB releases the GIL, so the two overlap on two cores.
        usbp = pool.submit(_ohss_usbp, data_dir)
        sources = _read_sources(data_dir)
        _insert(con, "sources", sources)
        _load_countries(con, data_dir)
        _insert(con, "claims", _read_claims(data_dir))
        _load_trade(con, data_dir)
        _load_commodity_trade(con, data_dir)
        _load_population(con, data_dir)
        _load_encounters(con, data_dir)
        _load_seizures(con, data_dir)
        _insert(con, "encounters", usbp.result())
    _check_references(con, {s["id"] for s in sources})
    con.execute(
        "INSERT INTO meta VALUES ('fingerprint', ?), ('schema', ?)", [digest, SCHEMA_VERSION]
    )
    con.execute(_DERIVED)
    con.execute("CHECKPOINT")
    return {
        name: count
        for name, count in con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
        ).fetchall()
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts keyed by column) in one statement; the table name is a constant."""
    if rows:
        con.execute(f"INSERT INTO {table} BY NAME SELECT unnest($1, recursive := true)", [rows])


def _check_references(con: duckdb.DuckDBPyConnection, source_ids: set[str]) -> None:
    """Every trade partner has a country row; every row's source id is a known source."""
    missing = con.execute(
        "SELECT DISTINCT partner FROM trade_annual"
        " WHERE partner NOT IN (SELECT code FROM countries) ORDER BY 1 LIMIT 1"
    ).fetchall()
    if missing:
        raise DataError("countries.csv", None, f"trade partner {missing[0][0]!r} has no row")
    for table in _FACT_TABLES:
        ids = {r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM {table}").fetchall()}
        if not ids <= source_ids:
            raise DataError(
                "sources.yaml",
                None,
                f"unknown source id {sorted(ids - source_ids)[0]!r} in {table}",
            )


_FACT_TABLES = (
    "countries",
    "claims",
    "trade_monthly",
    "trade_annual",
    "trade_detail",
    "population",
    "encounters",
    "seizures",
)


# --- sources, countries, claims -------------------------------------------------------------

_SOURCE_FIELDS = ("id", "title", "publisher", "coverage", "units", "basis", "license", "obtained")


def _read_sources(data_dir: Path) -> list[dict[str, Any]]:
    entries = _load_yaml(data_dir, "sources.yaml")
    rows = []
    for number, entry in enumerate(entries, start=1):
        for key in _SOURCE_FIELDS:
            if not str(entry.get(key) or "").strip():
                raise DataError("sources.yaml", number, f"missing {key!r}")
        if not entry.get("url") and not entry.get("url_note"):
            raise DataError("sources.yaml", number, "needs a 'url' or a 'url_note' saying why not")
        for rel in entry.get("files", []):
            if not (data_dir / rel).exists():
                raise DataError("sources.yaml", number, f"file {rel!r} does not exist")
        fields = (*_SOURCE_FIELDS, "url", "url_note", "caveats")
        rows.append({k: " ".join(str(entry.get(k) or "").split()) for k in fields})
    _reject_duplicates(rows, "id", "sources.yaml")
    return rows


_COUNTRY_COLUMNS = ["code", "kind", "census_code", "census_name", "name", "name_es", "aliases"]
_KINDS = ("country", "former", "aggregate", "unallocated")


def _load_countries(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    rel = "countries.csv"
    _stage_csv(con, data_dir, rel, _COUNTRY_COLUMNS)
    _no_duplicates(con, rel, ["code"])
    _allowed(con, rel, "kind", list(_KINDS))
    empty = con.execute(
        "SELECT line FROM staged WHERE coalesce(trim(code), '') = ''"
        " OR coalesce(trim(name), '') = '' ORDER BY line LIMIT 1"
    ).fetchall()
    if empty:
        raise DataError(rel, empty[0][0], "code and name must not be empty")
    con.execute(
        "INSERT INTO countries SELECT code, kind, census_code, census_name, name, name_es, aliases,"
        " 'tradefact-countries' FROM staged"
    )


_VERDICT_OPS = {"approx", "greater", "equal"}


def _read_claims(data_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for number, claim in enumerate(_load_yaml(data_dir, "claims.yaml"), start=1):
        for key in ("id", "topic", "paraphrase", "stated"):
            if not claim.get(key):
                raise DataError("claims.yaml", number, f"missing {key!r}")
        check, why = claim.get("check"), claim.get("unverifiable")
        if bool(check) == bool(why):
            raise DataError("claims.yaml", number, "needs exactly one of 'check' or 'unverifiable'")
        if check and check.get("op") not in _VERDICT_OPS:
            raise DataError(
                "claims.yaml", number, f"check op must be one of {sorted(_VERDICT_OPS)}"
            )
        stated = claim["stated"]
        rows.append(
            {
                "id": claim["id"],
                "number": number,
                "topic": claim["topic"],
                "paraphrase": " ".join(str(claim["paraphrase"]).split()),
                "keywords": json.dumps([str(k) for k in claim.get("keywords", [])]),
                "stated_value": _number_text(stated.get("value"), "claims.yaml", number),
                "stated_unit": str(stated.get("unit", "")),
                "stated_period": str(stated.get("period") or ""),
                "stated_text": str(stated.get("text", "")),
                "check_json": json.dumps(check) if check else None,
                "unverifiable": " ".join(str(why).split()) if why else None,
                "context_json": json.dumps(claim.get("context", [])),
                "source_id": claim.get("source", "amcham-oped-2025"),
            }
        )
    _reject_duplicates(rows, "id", "claims.yaml")
    return rows


# --- trade ----------------------------------------------------------------------------------


_TRADE_COLUMNS = {
    "country_code": "VARCHAR",
    "year": "VARCHAR",
    "exports": "VARCHAR[]",
    "imports": "VARCHAR[]",
    "exports_year": "VARCHAR",
    "imports_year": "VARCHAR",
    "balance_year": "VARCHAR",
}
# (condition on a staged partner-year, the problem to report); numbers stay text until checked.
_TRADE_CHECKS = (
    (
        "country_code IS NULL OR year IS NULL OR exports IS NULL OR imports IS NULL"
        " OR exports_year IS NULL OR imports_year IS NULL OR balance_year IS NULL",
        "missing a column (country_code, year, exports, imports, exports_year, imports_year,"
        " balance_year)",
    ),
    ("year <> file_year", "'year' does not match the file name"),
    ("len(exports) <> 12 OR len(imports) <> 12", "exports and imports must list 12 months"),
    (
        "len(list_filter(exports || imports || [exports_year, imports_year, balance_year],"
        " lambda x: x IS NOT NULL AND TRY_CAST(x AS DECIMAL(18, 6)) IS NULL)) > 0",
        "a value is not a number",
    ),
    (
        "len(list_filter(exports || imports || [exports_year, imports_year],"
        " lambda x: TRY_CAST(x AS DECIMAL(18, 6)) < 0)) > 0",
        "a value is negative",
    ),
    (
        "len(list_filter(exports[1:len(list_filter(exports, lambda x: x IS NOT NULL))],"
        " lambda x: x IS NULL)) + len(list_filter(imports[1:len(list_filter(imports,"
        " lambda x: x IS NOT NULL))], lambda x: x IS NULL)) > 0",
        "a month is missing before a later month",
    ),
    (
        "abs(list_sum(list_transform(exports, lambda x: CAST(x AS DECIMAL(18, 6))))"
        " - CAST(exports_year AS DECIMAL(18, 6))) > 1.0"
        " OR abs(list_sum(list_transform(imports, lambda x: CAST(x AS DECIMAL(18, 6))))"
        " - CAST(imports_year AS DECIMAL(18, 6))) > 1.0",
        "the months do not add up to the year (tolerance $1M)",
    ),
    (
        "abs(CAST(exports_year AS DECIMAL(18, 6)) - CAST(imports_year AS DECIMAL(18, 6))"
        " - CAST(balance_year AS DECIMAL(18, 6))) > 0.2",
        "exports_year - imports_year does not equal balance_year",
    ),
)


def _load_trade(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    files = sorted((data_dir / TRADE_DIR).glob("*.json"))
    if not files:
        raise DataError(TRADE_DIR, None, "no <year>.json files")
    con.execute(
        "CREATE TEMP TABLE trade_staged (file VARCHAR, file_year VARCHAR, n BIGINT, country_code"
        " VARCHAR, year VARCHAR, exports VARCHAR[], imports VARCHAR[], exports_year VARCHAR,"
        " imports_year VARCHAR, balance_year VARCHAR)"
    )
    for path in files:
        rel = f"{TRADE_DIR}/{path.name}"
        try:
            con.execute(
                "INSERT INTO trade_staged SELECT $2, $3, row_number() OVER (), country_code, year,"
                " exports, imports, exports_year, imports_year, balance_year"
                " FROM read_json($1, format = 'array', columns = $4)",
                [str(path), rel, path.stem, _TRADE_COLUMNS],
            )
        except duckdb.Error as exc:
            raise DataError(
                rel, None, f"not a JSON array of partner rows ({_first_line(exc)})"
            ) from exc
    for condition, problem in _TRADE_CHECKS:
        bad = con.execute(
            f"SELECT file, n, country_code FROM trade_staged WHERE {condition}"
            " ORDER BY file, n LIMIT 1"
        ).fetchall()
        if bad:
            raise DataError(bad[0][0], bad[0][1], f"{bad[0][2]}: {problem}")
    dupes = con.execute(
        "SELECT file, n, country_code FROM (SELECT *, row_number() OVER (PARTITION BY file,"
        " country_code ORDER BY n) AS k FROM trade_staged) WHERE k > 1 ORDER BY file, n LIMIT 1"
    ).fetchall()
    if dupes:
        raise DataError(dupes[0][0], dupes[0][1], f"duplicate country_code {dupes[0][2]!r}")
    con.execute(
        """INSERT INTO trade_monthly
           SELECT country_code, CAST(year AS INTEGER), m, flow,
                  CAST(values[m] AS DECIMAL(24, 6)) * 1000000, 'census-trade-by-country'
           FROM (SELECT country_code, year, 'exports' AS flow, exports AS values FROM trade_staged
                 UNION ALL
                 SELECT country_code, year, 'imports', imports FROM trade_staged)
           CROSS JOIN range(1, 13) AS months(m)
           WHERE values[m] IS NOT NULL"""
    )
    con.execute(
        """INSERT INTO trade_annual
           SELECT country_code, CAST(year AS INTEGER), 'exports',
                  CAST(exports_year AS DECIMAL(24, 6)) * 1000000,
                  len(list_filter(exports, lambda x: x IS NOT NULL)), 'census-trade-by-country'
           FROM trade_staged
           UNION ALL
           SELECT country_code, CAST(year AS INTEGER), 'imports',
                  CAST(imports_year AS DECIMAL(24, 6)) * 1000000,
                  len(list_filter(imports, lambda x: x IS NOT NULL)), 'census-trade-by-country'
           FROM trade_staged"""
    )


_COMMODITY_CHECK = (
    "partner IS NULL OR year IS NULL OR month IS NULL OR flow IS NULL OR commodity IS NULL"
    " OR value_usd IS NULL OR TRY_CAST(year AS INTEGER) IS NULL"
    " OR TRY_CAST(month AS INTEGER) NOT BETWEEN 1 AND 12 OR flow NOT IN ('exports', 'imports')"
    " OR TRY_CAST(value_usd AS DECIMAL(18, 0)) IS NULL OR TRY_CAST(value_usd AS DECIMAL(18, 0)) < 0"
)


def _load_commodity_trade(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Monthly trade by commodity, if any: kept as detail, and checked against partner totals.

    Answers read the partner totals (trade_monthly, trade_annual, trade_rank), never the detail,
    so that answer time does not grow with it: the detail must add up to those totals.
    """
    files = sorted(data_dir.glob(COMMODITY_GLOB))
    for path in files:
        rel = path.relative_to(data_dir).as_posix()
        try:
            bad = con.execute(
                "SELECT file_row_number + 1, partner, year, month, flow FROM"
                f" read_parquet($1, file_row_number = true) WHERE {_COMMODITY_CHECK} LIMIT 1",
                [str(path)],
            ).fetchall()
            if not bad:
                con.execute(
                    "INSERT INTO trade_detail SELECT partner, year, month, flow, commodity,"
                    " value_usd, $2 FROM read_parquet($1)",
                    [str(path), path.parent.name],
                )
        except duckdb.Error as exc:  # not Parquet, or a column is missing
            raise DataError(
                rel,
                None,
                "not Parquet with partner, year, month, flow, commodity, value_usd"
                f" ({_first_line(exc)})",
            ) from exc
        if bad:
            raise DataError(
                rel,
                bad[0][0],
                f"{bad[0][1:]!r}: a missing value, a month outside 1–12, a flow"
                " other than exports/imports, or a value that is not a number ≥ 0",
            )
    if files:
        _check_commodity_totals(con)


def _check_commodity_totals(con: duckdb.DuckDBPyConnection) -> None:
    """Every partner-month's commodities add up to its total in trade_monthly (within $1M)."""
    bad = con.execute(
        """SELECT d.source_id, d.partner, d.year, d.month, d.flow, d.total, m.value_usd
           FROM (SELECT source_id, partner, year, month, flow, sum(value_usd) AS total
                 FROM trade_detail GROUP BY ALL) AS d
           LEFT JOIN trade_monthly AS m USING (partner, year, month, flow)
           WHERE m.value_usd IS NULL OR abs(d.total - m.value_usd) > 1000000
           ORDER BY ALL LIMIT 1"""
    ).fetchall()
    if bad:
        source, partner, year, month, flow, total, expected = bad[0]
        where = f"{partner} {year}-{month:02d} {flow}"
        problem = (
            f"{where}: no such month in the country data"
            if expected is None
            else f"{where}: the commodities add up to {total:,} USD, not {expected:,} (±$1M)"
        )
        raise DataError(f"raw/{source}/", None, problem)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


# --- CSV sources, read and checked by DuckDB --------------------------------------------------


def _stage_csv(
    con: duckdb.DuckDBPyConnection, data_dir: Path, rel: str, columns: list[str]
) -> None:
    """Load a CSV as text into the temp table `staged`, with `line` = its line in the file."""
    path = data_dir / rel
    if not path.exists():
        raise DataError(rel, None, "file is missing")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged AS SELECT row_number() OVER () + 1 AS line, *"
            " FROM read_csv($1, all_varchar = true, header = true)",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise DataError(rel, None, f"cannot be parsed as CSV ({_first_line(exc)})") from exc
    present = {r[0] for r in con.execute("DESCRIBE staged").fetchall()}
    missing = [c for c in columns if c not in present]
    if missing:
        raise DataError(rel, 1, f"missing column {missing[0]!r}")


def _first_bad(con: duckdb.DuckDBPyConnection, rel: str, column: str, cast: str) -> None:
    """Fail on the first row whose column does not convert to `cast` (a fixed type name)."""
    bad = con.execute(
        f"SELECT line, \"{column}\" FROM staged WHERE TRY_CAST(replace(\"{column}\", ',', '')"
        f" AS {cast}) IS NULL ORDER BY line LIMIT 1"
    ).fetchall()
    if bad:
        kind = "a whole number" if cast == "BIGINT" else "a number"
        raise DataError(rel, bad[0][0], f"{column!r} is not {kind}: {bad[0][1]!r}")


def _no_duplicates(con: duckdb.DuckDBPyConnection, rel: str, keys: list[str]) -> None:
    cols = ", ".join(f'"{k}"' for k in keys)
    dupes = con.execute(
        f"SELECT line, {cols} FROM (SELECT line, {cols}, row_number() OVER (PARTITION BY {cols}"
        " ORDER BY line) AS n FROM staged) WHERE n > 1 ORDER BY line LIMIT 1"
    ).fetchall()
    if dupes:
        key = ", ".join(f"{k}={v!r}" for k, v in zip(keys, dupes[0][1:], strict=True))
        raise DataError(rel, dupes[0][0], f"duplicate key ({key})")


def _check_fiscal_months(con: duckdb.DuckDBPyConnection, rel: str, fy: str, month: str) -> None:
    """Fail on the first row whose fiscal year ("2026 (FYTD)") or month ("OCT") is not one."""
    bad = con.execute(
        rf"""SELECT line, "{fy}", "{month}" FROM staged
            WHERE TRY_CAST(regexp_extract("{fy}", '^\s*(\d{{4}})', 1) AS INTEGER) IS NULL
               OR list_position($1, upper(trim("{month}"))) IS NULL ORDER BY line LIMIT 1""",
        [list(MONTHS)],
    ).fetchall()
    if bad:
        raise DataError(
            rel, bad[0][0], f"{fy!r}/{month!r} is not a fiscal year and month: {bad[0][1:]!r}"
        )


def _calendar_sql(fy: str, month: str) -> str:
    """SQL for the calendar year and month of a checked fiscal year and month (months in $1)."""
    number = f'list_position($1, upper(trim("{month}")))'
    year = rf"""CAST(regexp_extract("{fy}", '^\s*(\d{{4}})', 1) AS INTEGER)"""
    return f"{year} - CASE WHEN {number} >= 10 THEN 1 ELSE 0 END, {number}"


def _allowed(con: duckdb.DuckDBPyConnection, rel: str, column: str, values: list[str]) -> None:
    bad = con.execute(
        f'SELECT line, "{column}" FROM staged WHERE NOT list_contains($1, "{column}")'
        " ORDER BY line LIMIT 1",
        [values],
    ).fetchall()
    if bad:
        raise DataError(rel, bad[0][0], f"unknown {column} {bad[0][1]!r}")


def _load_population(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    _stage_csv(con, data_dir, POPULATION_FILE, ["Country Code", "Year", "Value"])
    _first_bad(con, POPULATION_FILE, "Year", "BIGINT")
    _first_bad(con, POPULATION_FILE, "Value", "BIGINT")
    _no_duplicates(con, POPULATION_FILE, ["Country Code", "Year"])
    con.execute(
        """INSERT INTO population SELECT "Country Code", CAST("Year" AS INTEGER),
           CAST("Value" AS BIGINT), 'worldbank-population' FROM staged"""
    )


def _load_encounters(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    keys = [
        "Fiscal Year",
        "Month (abbv)",
        "Land Border Region",
        "State",
        "Demographic",
        "Citizenship",
        "Title of Authority",
    ]
    con.execute(
        "CREATE TEMP TABLE nationwide"
        " (release INTEGER, region VARCHAR, year INTEGER, month INTEGER, n BIGINT)"
    )
    for release, rel in enumerate(NATIONWIDE_FILES):
        _stage_csv(con, data_dir, rel, [*keys, "Encounter Count"])
        _first_bad(con, rel, "Encounter Count", "BIGINT")
        _check_fiscal_months(con, rel, "Fiscal Year", "Month (abbv)")
        _allowed(con, rel, "Land Border Region", list(REGION_SERIES))
        _no_duplicates(con, rel, keys)
        con.execute(
            f"""INSERT INTO nationwide SELECT $2, "Land Border Region",
                {_calendar_sql("Fiscal Year", "Month (abbv)")},
                sum(CAST(replace("Encounter Count", ',', '') AS BIGINT))
                FROM staged GROUP BY ALL""",
            [list(MONTHS), release],
        )
    # A newer release replaces every month it covers (the overlaps are identical today).
    con.execute(
        """CREATE TEMP TABLE latest AS SELECT * FROM nationwide
           QUALIFY release = max(release) OVER (PARTITION BY year, month)"""
    )
    con.execute(
        """INSERT INTO encounters
           SELECT 'nationwide', year, month, sum(n), 'cbp-nationwide-encounters'
           FROM latest GROUP BY ALL
           UNION ALL
           SELECT $2[list_position($1, region)], year, month, n, 'cbp-nationwide-encounters'
           FROM latest""",
        [list(REGION_SERIES), list(REGION_SERIES.values())],
    )
    sw_keys = [
        "Fiscal Year",
        "Month (abbv)",
        "Component",
        "Demographic",
        "Citizenship Grouping",
        "Title of Authority",
        "Encounter Type",
    ]
    _stage_csv(con, data_dir, SW_BORDER_FILE, [*sw_keys, "Encounter Count"])
    _first_bad(con, SW_BORDER_FILE, "Encounter Count", "BIGINT")
    _check_fiscal_months(con, SW_BORDER_FILE, "Fiscal Year", "Month (abbv)")
    _allowed(con, SW_BORDER_FILE, "Component", list(COMPONENT_SERIES))
    _no_duplicates(con, SW_BORDER_FILE, sw_keys)
    con.execute(
        f"""INSERT INTO encounters SELECT $3[list_position($2, "Component")],
            {_calendar_sql("Fiscal Year", "Month (abbv)")},
            sum(CAST(replace("Encounter Count", ',', '') AS BIGINT)), 'cbp-sw-border-encounters'
            FROM staged GROUP BY ALL""",
        [list(MONTHS), list(COMPONENT_SERIES), list(COMPONENT_SERIES.values())],
    )


def _ohss_usbp(data_dir: Path) -> list[dict[str, Any]]:
    import openpyxl  # imported here: only the build reads spreadsheets

    path = data_dir / OHSS_FILE
    if not path.exists():
        raise DataError(OHSS_FILE, None, "file is missing")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book["Monthly Region"]
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise DataError(OHSS_FILE, None, f"cannot read sheet 'Monthly Region' ({exc})") from exc
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        fiscal, month_label, region, quantity = (tuple(values) + (None,) * 4)[:4]
        if region != "Southwest Land Border":
            continue
        if not isinstance(fiscal, int) or not isinstance(quantity, int):
            raise DataError(
                OHSS_FILE,
                number,
                f"Fiscal Year {fiscal!r} / Quantity {quantity!r} are not whole numbers",
            )
        abbr = str(month_label).split()[-1][:3].upper()
        if abbr not in MONTHS:
            raise DataError(OHSS_FILE, number, f"{month_label!r} is not a month")
        month = MONTHS.index(abbr) + 1
        year = fiscal - 1 if month >= 10 else fiscal
        if (year, month) < SW_FILE_START:
            rows.append(
                {
                    "series": "usbp-southwest",
                    "year": year,
                    "month": month,
                    "value": quantity,
                    "source_id": "dhs-ohss-usbp-encounters",
                }
            )
    book.close()
    return rows


def _load_seizures(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    keys = [
        "FY",
        "Month (abbv)",
        "Component",
        "Region",
        "Land Filter",
        "Area of Responsibility",
        "Drug Type",
    ]
    for rel in SEIZURE_FILES:
        _stage_csv(con, data_dir, rel, [*keys, "Count of Event", "Sum Qty (lbs)"])
        _first_bad(con, rel, "Count of Event", "BIGINT")
        _first_bad(con, rel, "Sum Qty (lbs)", "DECIMAL(38, 16)")
        _check_fiscal_months(con, rel, "FY", "Month (abbv)")
        _no_duplicates(con, rel, keys)
        con.execute(
            f"""INSERT INTO seizures_staged
               SELECT lower(trim(regexp_replace("Drug Type",
                          '\\s*(\\(.*\\)|\\*+|Drugs)\\s*', ' ', 'g'))),
                      "Region", "Component", {_calendar_sql("FY", "Month (abbv)")},
                      CAST("Sum Qty (lbs)" AS DECIMAL(38, 16)),
                      CAST(replace("Count of Event", ',', '') AS BIGINT)
               FROM staged""",
            [list(MONTHS)],
        )
    con.execute(
        """INSERT INTO seizures
           SELECT drug, region, component, year, month, sum(pounds), sum(events),
                  'cbp-drug-seizures'
           FROM seizures_staged GROUP BY ALL"""
    )


# --- helpers --------------------------------------------------------------------------------


def _load_yaml(data_dir: Path, rel: str) -> list[dict[str, Any]]:
    import yaml  # imported here: only a build reads YAML, and serving starts faster without it

    path = data_dir / rel
    if not path.exists():
        raise DataError(rel, None, "file is missing")
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(rel, mark.line + 1 if mark else None, f"not valid YAML ({exc})") from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError(rel, None, "must be a list of entries")
    return entries


def _number_text(value: Any, rel: str, row: int) -> str | None:
    if value is None:
        return None
    try:
        return str(Decimal(str(value)))
    except InvalidOperation:
        raise DataError(rel, row, f"stated value {value!r} is not a number") from None


def _reject_duplicates(rows: list[dict[str, Any]], key: str, rel: str) -> None:
    seen: set[Any] = set()
    for number, row in enumerate(rows, start=1):
        if row[key] in seen:
            raise DataError(rel, number, f"duplicate {key} {row[key]!r}")
        seen.add(row[key])


_SCHEMA = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE sources (
    id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, publisher VARCHAR NOT NULL, url VARCHAR,
    url_note VARCHAR, coverage VARCHAR, units VARCHAR, basis VARCHAR, license VARCHAR,
    obtained VARCHAR, caveats VARCHAR);
CREATE TABLE countries (
    code VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, census_code VARCHAR, census_name VARCHAR,
    name VARCHAR NOT NULL, name_es VARCHAR, aliases VARCHAR,
    source_id VARCHAR NOT NULL);
CREATE TABLE claims (
    id VARCHAR PRIMARY KEY, number INTEGER NOT NULL, topic VARCHAR NOT NULL,
    paraphrase VARCHAR NOT NULL, keywords VARCHAR, stated_value DECIMAL(38, 6),
    stated_unit VARCHAR, stated_period VARCHAR, stated_text VARCHAR, check_json VARCHAR,
    unverifiable VARCHAR, context_json VARCHAR, source_id VARCHAR NOT NULL);
CREATE TABLE trade_monthly (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE trade_detail (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, flow VARCHAR NOT NULL,
    commodity VARCHAR NOT NULL, value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE trade_annual (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, months INTEGER NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (partner, year, flow));
CREATE TABLE population (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, value BIGINT NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (partner, year));
CREATE TABLE encounters (
    series VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, value BIGINT NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (series, year, month));
CREATE TEMP TABLE seizures_staged (
    drug VARCHAR, region VARCHAR, component VARCHAR, year INTEGER, month INTEGER,
    pounds DECIMAL(38, 16), events BIGINT);
CREATE TABLE seizures (
    drug VARCHAR NOT NULL, region VARCHAR NOT NULL, component VARCHAR NOT NULL,
    year INTEGER NOT NULL, month INTEGER NOT NULL, pounds DECIMAL(38, 16) NOT NULL,
    events BIGINT NOT NULL, source_id VARCHAR NOT NULL,
    PRIMARY KEY (drug, region, component, year, month));
"""

# Pre-computed at build: annual export ranks among countries (aggregates and residuals excluded).
_DERIVED = """
CREATE TABLE trade_rank AS
SELECT t.partner, t.year, t.flow, t.value_usd, t.months,
       rank() OVER (PARTITION BY t.year, t.flow ORDER BY t.value_usd DESC, t.partner) AS rank
FROM trade_annual t JOIN countries c ON c.code = t.partner
WHERE c.kind IN ('country', 'former');
"""
