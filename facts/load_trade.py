"""Load U.S. Census goods trade by partner (JSON a year) and, if present, detail by commodity."""

from __future__ import annotations

from pathlib import Path

import duckdb

from facts.staging import DataError, first_line

TRADE_DIR = "raw/census-trade-by-country"
# Optional monthly trade by commodity, in any source's directory (the directory names the source).
COMMODITY_GLOB = "raw/*/trade-by-commodity*.parquet"
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


def load_trade(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
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
                rel, None, f"not a JSON array of partner rows ({first_line(exc)})"
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


def load_commodity_trade(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
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
                f" ({first_line(exc)})",
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
