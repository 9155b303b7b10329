"""Apply Census API vintages over the workbook's months: revisions kept, newest values written.

Every (partner, year, month, flow) is a chain of versions: the workbook's value first, then each
release's, in order. A version that differs from the one before it (beyond the older one's
rounding) is a revision, kept in `trade_revisions`; `trade_monthly` holds the newest value with
the source id of the release that last changed it, and `trade_annual` the sums of the years
that have API months. `releases` says what each release added and revised.
"""

from __future__ import annotations

from typing import Any

import duckdb

WORKBOOK_SOURCE = "census-trade-by-country"
WORKBOOK_ROUNDING = 50_000  # the workbook's values are millions to one decimal: ±$50,000


def apply_vintages(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], countries: list[str]
) -> None:
    """Chain every key's versions (workbook first), keep revisions, write the newest values.

    rows: {ord, source_id, partner, year, month, flow, value}, one a figure of a release.
    """
    con.execute(
        "CREATE TEMP TABLE api_rows AS SELECT * FROM (SELECT unnest($1, recursive := true))",
        [rows],
    )
    # A country the API leaves out of a month it published traded nothing that month (the
    # countries add up to the TOTAL without it): a zero, so that every country-year has the
    # same months. (A grouping left out is not a zero: it is only not loaded.)
    con.execute(
        """INSERT INTO api_rows
        SELECT g.ord, g.source_id, p.partner, g.year, g.month, g.flow, 0
        FROM (SELECT DISTINCT ord, source_id, year, month, flow FROM api_rows) g
        JOIN (SELECT DISTINCT partner, year, flow FROM trade_monthly
              UNION SELECT DISTINCT partner, year, flow FROM api_rows) p USING (year, flow)
        WHERE list_contains($1, p.partner) AND NOT EXISTS (
            SELECT 1 FROM api_rows a WHERE a.ord = g.ord AND a.partner = p.partner
            AND a.year = g.year AND a.month = g.month AND a.flow = g.flow)""",
        [countries],
    )
    con.execute(
        f"""CREATE TEMP TABLE api_chain AS
        WITH versions AS (
            SELECT 0 AS ord, m.source_id, m.partner, m.year, m.month, m.flow,
                   CAST(m.value_usd AS DECIMAL(18, 0)) AS value
            FROM trade_monthly m SEMI JOIN api_rows a USING (partner, year, month, flow)
            UNION ALL
            SELECT ord, source_id, partner, year, month, flow, CAST(value AS DECIMAL(18, 0))
            FROM api_rows),
        chained AS (
            SELECT *, lag(value) OVER w AS old_value, lag(source_id) OVER w AS old_source
            FROM versions WINDOW w AS (PARTITION BY partner, year, month, flow ORDER BY ord))
        SELECT *, old_value IS NULL OR abs(value - old_value) >
                  CASE old_source WHEN '{WORKBOOK_SOURCE}' THEN {WORKBOOK_ROUNDING} ELSE 0 END
                  AS changed
        FROM chained"""
    )
    con.execute(
        "INSERT INTO trade_revisions SELECT partner, year, month, flow, old_value, old_source,"
        " value, source_id FROM api_chain WHERE changed AND old_value IS NOT NULL"
    )
    # A figure's source is the release that last changed it (or first published it).
    con.execute(
        """CREATE TEMP TABLE api_newest AS
        SELECT partner, year, month, flow, arg_max(value, ord) AS value_usd,
               arg_max(source_id, ord) AS source_id
        FROM api_chain WHERE changed GROUP BY ALL"""
    )
    con.execute(
        "DELETE FROM trade_monthly m USING api_newest n WHERE m.partner = n.partner"
        " AND m.year = n.year AND m.month = n.month AND m.flow = n.flow"
    )
    con.execute("INSERT INTO trade_monthly BY NAME SELECT * FROM api_newest")
    _rebuild_years(con)
    con.execute(
        """INSERT INTO releases
        SELECT source_id, substr(source_id, length('census-api-') + 1),
               min(year * 100 + month) FILTER (WHERE old_value IS NULL),
               max(year * 100 + month) FILTER (WHERE old_value IS NULL),
               count(*) FILTER (WHERE changed AND old_value IS NOT NULL)
        FROM api_chain WHERE ord > 0 GROUP BY source_id"""
    )


def _rebuild_years(con: duckdb.DuckDBPyConnection) -> None:
    """Partner-years with a month from the API: the year is the sum of its months."""
    con.execute(
        """CREATE TEMP TABLE api_years AS
        SELECT partner, year, flow, sum(value_usd) AS value_usd, count(*) AS months,
               max(source_id) FILTER (WHERE source_id <> ?) AS newest
        FROM trade_monthly SEMI JOIN (SELECT DISTINCT partner, year FROM api_newest)
            USING (partner, year)
        GROUP BY ALL""",
        [WORKBOOK_SOURCE],
    )
    con.execute(
        "DELETE FROM trade_annual t USING api_years y WHERE t.partner = y.partner"
        " AND t.year = y.year AND t.flow = y.flow"
    )
    con.execute(
        "INSERT INTO trade_annual SELECT partner, year, flow, value_usd, months,"
        " coalesce(newest, ?) FROM api_years",
        [WORKBOOK_SOURCE],
    )


SCHEMA = """
CREATE TABLE trade_revisions (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL,
    flow VARCHAR NOT NULL, old_value DECIMAL(18, 0) NOT NULL, old_source VARCHAR NOT NULL,
    new_value DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE releases (
    source_id VARCHAR PRIMARY KEY, published VARCHAR NOT NULL, first_new INTEGER,
    last_new INTEGER, revisions INTEGER NOT NULL);
"""
