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

_COLUMNS = {"fetched_at": "VARCHAR", "year": "VARCHAR", "rows": "JSON[]"}
# (condition on a staged row, the problem); `n` is the row's position in the file's "rows".
_CHECKS = (
    ("file_year IS DISTINCT FROM year", "'year' does not match the file name"),
    ("json_array_length(r) <> 5", "a row must have 5 fields (time, code, name, duties, value)"),
    (
        "NOT regexp_full_match(coalesce(t, ''), '\\d{4}-(0[1-9]|1[0-2])') OR t[1:4] <> file_year",
        "time is not a month of the file's year",
    ),
    (
        "NOT regexp_full_match(coalesce(code, ''), '-|00\\d\\d|[1-7]XXX|[1-7]\\d{3}')",
        "CTY_CODE is not a Census country or group code",
    ),
    (
        "NOT regexp_full_match(coalesce(dut, ''), '\\d+')"
        " OR NOT regexp_full_match(coalesce(val, ''), '\\d+')",
        "CAL_DUT_MO and CON_VAL_MO must be whole dollars (digits only)",
    ),
)


def load_duties(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Stage every <year>.json, check it row by row, map codes to partners, check the totals."""
    con.execute(SCHEMA)
    files = sorted((data_dir / DUTIES_DIR).glob("*.json"))
    if not files:
        raise DataError(DUTIES_DIR, None, "no <year>.json files")
    con.execute(
        "CREATE TEMP TABLE duties_staged (file VARCHAR, file_year VARCHAR, year VARCHAR,"
        " n BIGINT, r JSON)"
    )
    for path in files:
        rel = f"{DUTIES_DIR}/{path.name}"
        try:
            con.execute(
                "INSERT INTO duties_staged SELECT $2, $3, year, generate_subscripts(rows, 1),"
                " unnest(rows) FROM read_json($1, format = 'unstructured', columns = $4)",
                [str(path), rel, path.stem, _COLUMNS],
            )
        except duckdb.Error as exc:
            raise DataError(
                rel, None, f"not a JSON object with year and rows ({first_line(exc)})"
            ) from exc
        if not con.execute("SELECT 1 FROM duties_staged WHERE file = $1", [rel]).fetchall():
            raise DataError(rel, None, "has no rows")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE duties_rows AS SELECT file, file_year, year, n, r,
           r->>0 AS t, r->>1 AS code, r->>2 AS name, r->>3 AS dut, r->>4 AS val
           FROM duties_staged"""
    )
    for condition, problem in _CHECKS:
        bad = con.execute(
            f"SELECT file, n, r::VARCHAR FROM duties_rows WHERE {condition}"
            " ORDER BY file, n LIMIT 1"
        ).fetchall()
        if bad:
            raise DataError(bad[0][0], bad[0][1], f"{problem}: {bad[0][2][:120]}")
    dupes = con.execute(
        "SELECT file, n, t, code FROM (SELECT *, row_number() OVER (PARTITION BY t, code"
        " ORDER BY file, n) AS k FROM duties_rows) WHERE k > 1 ORDER BY file, n LIMIT 1"
    ).fetchall()
    if dupes:
        raise DataError(dupes[0][0], dupes[0][1], f"duplicate month and code {dupes[0][2:]!r}")
    con.execute(
        """INSERT INTO duties
           SELECT d.code, d.name,
                  CASE WHEN d.code = $1 THEN 'WORLD'
                       ELSE coalesce(c.code, $3[list_position($2, d.code)]) END,
                  CASE WHEN d.code = $1 THEN 'total'
                       WHEN regexp_full_match(d.code, '[1-7]\\d{3}') THEN 'country'
                       ELSE 'aggregate' END,
                  CAST(d.t[1:4] AS INTEGER), CAST(d.t[6:7] AS INTEGER),
                  CAST(d.dut AS DECIMAL(18, 0)), CAST(d.val AS DECIMAL(18, 0)), $4
           FROM duties_rows d LEFT JOIN countries c ON c.census_code = d.code""",
        [TOTAL_CODE, list(FORMER_CODES), list(FORMER_CODES.values()), SOURCE],
    )
    unknown = con.execute(
        """SELECT r.file, r.n, d.census_code, d.census_name FROM duties d JOIN duties_rows r
           ON r.code = d.census_code AND CAST(r.t[1:4] AS INTEGER) = d.year
              AND CAST(r.t[6:7] AS INTEGER) = d.month
           WHERE d.kind = 'country' AND d.partner IS NULL ORDER BY r.file, r.n LIMIT 1"""
    ).fetchall()
    if unknown:
        file, n, code, name = unknown[0]
        raise DataError(file, n, f"Census country code {code} ({name}) is not in countries.csv")
    _check_total(con)


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
