"""Load Census calculated import duties and imports for consumption by country and month."""

from __future__ import annotations

from pathlib import Path

import duckdb

from facts.staging import DataError, first_line

SOURCE = "census-duties-by-country"
DUTIES_DIR = f"raw/{SOURCE}"
# Census retired code 7320 (Sudan) at the 2011 split; its rows belong to Sudan (SDN, now 7321).
FORMER_CODES = {"7320": "SDN"}
TOTAL_CODE = "-"  # TOTAL FOR ALL COUNTRIES

SCHEMA = """
CREATE TABLE duties (
    census_code VARCHAR NOT NULL, census_name VARCHAR NOT NULL,
    partner VARCHAR,               -- ISO3 of a country, AGG_xxxx of a known aggregate, WORLD
    kind VARCHAR NOT NULL,         -- country | aggregate | total
    year INTEGER NOT NULL, month INTEGER NOT NULL,
    duties_usd DECIMAL(18, 0) NOT NULL, consumption_usd DECIMAL(18, 0) NOT NULL,
    source_id VARCHAR NOT NULL);
"""
TABLES = ("duties",)

_COLUMNS = {"fetched_at": "VARCHAR", "year": "VARCHAR", "rows": "VARCHAR[][]"}
# The first problem of a staged row (r = its 5 fields), checked in one pass over every file.
_PROBLEM = r"""CASE
    WHEN file_year IS DISTINCT FROM year THEN 'year does not match the file name'
    WHEN len(r) <> 5 THEN 'a row must have 5 fields (time, code, name, duties, value)'
    WHEN NOT regexp_full_match(coalesce(r[1], ''), '\d{4}-(0[1-9]|1[0-2])')
      OR r[1][1:4] <> file_year THEN 'time is not a month of the file year'
    WHEN NOT regexp_full_match(coalesce(r[2], ''), '-|00\d\d|[1-7]XXX|[1-7]\d{3}')
      THEN 'CTY_CODE is not a Census country or group code'
    WHEN NOT regexp_full_match(coalesce(r[4], ''), '\d+')
      OR NOT regexp_full_match(coalesce(r[5], ''), '\d+')
      THEN 'CAL_DUT_MO and CON_VAL_MO must be whole dollars (digits only)'
END"""


def load_duties(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Stage every <year>.json in one read, check it row by row, map codes, check the totals."""
    con.execute(SCHEMA)
    files = sorted((data_dir / DUTIES_DIR).glob("*.json"))
    if not files:
        raise DataError(DUTIES_DIR, None, "no <year>.json files")
    try:
        _stage(con, files)
    except duckdb.Error:
        for path in files:  # read one by one only to name the file that cannot be read
            try:
                _stage(con, [path])
            except duckdb.Error as exc:
                raise DataError(
                    f"{DUTIES_DIR}/{path.name}",
                    None,
                    f"not a JSON object with year and rows ({first_line(exc)})",
                ) from exc
        raise
    staged = {r[0] for r in con.execute("SELECT DISTINCT file FROM duties_rows").fetchall()}
    for path in files:
        if f"{DUTIES_DIR}/{path.name}" not in staged:
            raise DataError(f"{DUTIES_DIR}/{path.name}", None, "has no rows")
    bad = con.execute(
        f"SELECT file, n, problem, CAST(r AS VARCHAR) FROM (SELECT *, {_PROBLEM} AS problem"
        " FROM duties_rows) WHERE problem IS NOT NULL ORDER BY file, n LIMIT 1"
    ).fetchall()
    if bad:
        file, n, problem, row = bad[0]
        raise DataError(file, n, f"{problem}: {row[:120]}")
    dupes = con.execute(
        "SELECT file, n, t, code FROM (SELECT *, row_number() OVER (PARTITION BY t, code"
        " ORDER BY file, n) AS k FROM duties_rows) WHERE k > 1 ORDER BY file, n LIMIT 1"
    ).fetchall()
    if dupes:
        raise DataError(dupes[0][0], dupes[0][1], f"duplicate month and code {dupes[0][2:]!r}")
    con.execute(
        r"""INSERT INTO duties
           SELECT d.code, d.name,
                  CASE WHEN d.code = $1 THEN 'WORLD'
                       ELSE coalesce(c.code, $3[list_position($2, d.code)]) END,
                  CASE WHEN d.code = $1 THEN 'total'
                       WHEN regexp_full_match(d.code, '[1-7]\d{3}') THEN 'country'
                       ELSE 'aggregate' END,
                  CAST(d.t[1:4] AS INTEGER), CAST(d.t[6:7] AS INTEGER),
                  CAST(d.dut AS DECIMAL(18, 0)), CAST(d.val AS DECIMAL(18, 0)), $4
           FROM duties_rows d LEFT JOIN countries c ON c.census_code = d.code""",
        [TOTAL_CODE, list(FORMER_CODES), list(FORMER_CODES.values()), SOURCE],
    )
    unknown = con.execute(
        r"""SELECT file, n, code, name FROM duties_rows
           WHERE regexp_full_match(code, '[1-7]\d{3}') AND NOT list_contains($1, code)
             AND code NOT IN (SELECT census_code FROM countries WHERE census_code IS NOT NULL)
           ORDER BY file, n LIMIT 1""",
        [list(FORMER_CODES)],
    ).fetchall()
    if unknown:
        file, n, code, name = unknown[0]
        raise DataError(file, n, f"Census country code {code} ({name}) is not in countries.csv")
    _check_total(con)


def _stage(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    """Every row of the files as text fields, with its file and its place in the file."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE duties_rows AS
           SELECT '{DUTIES_DIR}/' || parse_filename(filename) AS file,
                  parse_filename(filename, true) AS file_year, year, n, r, r[1] AS t,
                  r[2] AS code, r[3] AS name, r[4] AS dut, r[5] AS val
           FROM (SELECT filename, year, generate_subscripts(rows, 1) AS n, unnest(rows) AS r
                 FROM read_json($1, format = 'unstructured', columns = $2, filename = true))""",
        [[str(p) for p in paths], _COLUMNS],
    )


def _check_total(con: duckdb.DuckDBPyConnection) -> None:
    """Every month has the all-countries row, and the countries add up to it to the dollar."""
    bad = con.execute(
        """SELECT c.year, c.month, c.dut, t.duties_usd, c.val, t.consumption_usd
           FROM (SELECT year, month, sum(duties_usd) dut, sum(consumption_usd) val FROM duties
                 WHERE kind = 'country' GROUP BY ALL) c
           LEFT JOIN (SELECT * FROM duties WHERE kind = 'total') t USING (year, month)
           WHERE t.duties_usd IS DISTINCT FROM c.dut ORDER BY 1, 2 LIMIT 1"""
    ).fetchall()
    if bad:
        year, month, total, stated, *_ = bad[0]
        problem = (
            "no TOTAL FOR ALL COUNTRIES row"
            if stated is None
            else f"the countries' duties add up to {total}, not the total row's {stated}"
        )
        raise DataError(f"{DUTIES_DIR}/{year}.json", f"{year}-{month:02d}", problem)
