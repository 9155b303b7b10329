"""Load BTS TransBorder Freight Data: U.S. trade with Mexico and Canada by mode, U.S. state,
Texas border port, Mexican state and commodity group (one CSV a cut, checked against each other).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from facts.staging import DataError, allowed, no_duplicates, stage_csv

SOURCE = "bts-transborder"
BTS_DIR = f"raw/{SOURCE}"
MODE_FILE = f"{BTS_DIR}/us_transborder.csv"
MONTHLY_FILE = f"{BTS_DIR}/monthly_trends.csv"
STATE_FILE = f"{BTS_DIR}/us_state_trade.csv"
PORT_FILE = f"{BTS_DIR}/texas_mexico_ports.csv"
MEXSTATE_FILE = f"{BTS_DIR}/mexican_state_trade.csv"
COMMODITY_FILE = f"{BTS_DIR}/commodity_mexstate_trade.csv"

# The source's labels -> the ids the store and the answers use.
MODES = {
    "Truck": "truck",
    "Rail": "rail",
    "Pipeline": "pipeline",
    "Air": "air",
    "Vessel": "vessel",
    "Mail (U.S. Postal Service)": "mail",
    "Foreign Trade Zones (FTZs)": "ftz",
    "Other/Unknown": "other",
}
COUNTRIES = {"Mexico": "MEX", "Canada": "CAN"}
FLOWS = {"Export": "exports", "Import": "imports"}
# From this year on the six tables agree exactly (monthly = annual, states = annual, commodity
# groups = Mexican states); the 1993-2002 tables were mapped from BTS's legacy layout and do not.
CONSISTENT_FROM = 2003

SCHEMA = """
CREATE TABLE mode_trade_annual (
    country VARCHAR NOT NULL, year INTEGER NOT NULL, mode VARCHAR NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, weight_kg DECIMAL(18, 2), source_id VARCHAR NOT NULL);
CREATE TABLE mode_trade_monthly (
    country VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, mode VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, value_usd DECIMAL(18, 0) NOT NULL, weight_kg DECIMAL(18, 2),
    source_id VARCHAR NOT NULL);
CREATE TABLE state_trade (
    state VARCHAR NOT NULL, state_name VARCHAR NOT NULL, country VARCHAR NOT NULL,
    year INTEGER NOT NULL, mode VARCHAR NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, weight_kg DECIMAL(18, 2), source_id VARCHAR NOT NULL);
CREATE TABLE port_trade (
    port_code VARCHAR NOT NULL, port VARCHAR NOT NULL, year INTEGER NOT NULL,
    mode VARCHAR NOT NULL, flow VARCHAR NOT NULL, value_usd DECIMAL(18, 0) NOT NULL,
    weight_kg DECIMAL(18, 2), freight_usd DECIMAL(18, 2), source_id VARCHAR NOT NULL);
CREATE TABLE mexstate_exports (
    mex_state VARCHAR NOT NULL, year INTEGER NOT NULL, mode VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE commodity_exports (
    commodity VARCHAR NOT NULL, mex_state VARCHAR NOT NULL, year INTEGER NOT NULL,
    mode VARCHAR NOT NULL, value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
"""
TABLES = (
    "mode_trade_annual",
    "mode_trade_monthly",
    "state_trade",
    "port_trade",
    "mexstate_exports",
    "commodity_exports",
)

_USD = "CAST(CAST(TradeValue AS DECIMAL(20, 2)) AS DECIMAL(18, 0))"
_KG = "CAST(NULLIF(trim(Weight), '') AS DECIMAL(18, 2))"
# Labels are mapped through lists passed as parameters ($1..$6, see _LABELS), never formatted in.
_MODE = '$2[list_position($1, "Mode")]'
_FLOW = '$4[list_position($3, "TradeType")]'
_COUNTRY = '$6[list_position($5, "Country")]'
_LABELS = [
    list(MODES),
    list(MODES.values()),
    list(FLOWS),
    list(FLOWS.values()),
    list(COUNTRIES),
    list(COUNTRIES.values()),
]


def load_transborder(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Stage, check and insert the six TransBorder tables, then check that they agree."""
    con.execute(SCHEMA)
    maps = _LABELS
    keys = ["Year", "Country", "Mode", "TradeType"]
    _stage(con, data_dir, MODE_FILE, keys, countries=True)
    con.execute(
        f"""INSERT INTO mode_trade_annual SELECT {_COUNTRY}, CAST(Year AS INTEGER), {_MODE},
            {_FLOW}, {_USD}, {_KG}, '{SOURCE}' FROM staged""",
        maps,
    )
    _stage(con, data_dir, MONTHLY_FILE, [*keys, "Month"], countries=True)
    bad = con.execute(
        "SELECT line, Month FROM staged WHERE TRY_CAST(Month AS INTEGER) NOT BETWEEN 1 AND 12"
        " OR TRY_CAST(Month AS INTEGER) IS NULL ORDER BY line LIMIT 1"
    ).fetchall()
    if bad:
        raise DataError(MONTHLY_FILE, bad[0][0], f"'Month' is not 1 to 12: {bad[0][1]!r}")
    con.execute(
        f"""INSERT INTO mode_trade_monthly SELECT {_COUNTRY}, CAST(Year AS INTEGER),
            CAST(Month AS INTEGER), {_MODE}, {_FLOW}, {_USD}, {_KG}, '{SOURCE}' FROM staged""",
        maps,
    )
    _stage(con, data_dir, STATE_FILE, [*keys, "StateCode", "State"], countries=True)
    con.execute(
        f"""INSERT INTO state_trade SELECT StateCode, State, {_COUNTRY}, CAST(Year AS INTEGER),
            {_MODE}, {_FLOW}, {_USD}, {_KG}, '{SOURCE}' FROM staged""",
        maps,
    )
    _stage(con, data_dir, PORT_FILE, ["Year", "PortCode", "Port", "Mode", "TradeType"])
    _numbers(con, PORT_FILE, "FreightCharges")
    con.execute(
        f"""INSERT INTO port_trade SELECT PortCode, Port, CAST(Year AS INTEGER), {_MODE}, {_FLOW},
            {_USD}, {_KG}, CAST(NULLIF(trim(FreightCharges), '') AS DECIMAL(18, 2)), '{SOURCE}'
            FROM staged""",
        maps[:4],
    )
    _stage(con, data_dir, MEXSTATE_FILE, ["Year", "MexState", "Mode", "TradeType"], exports=True)
    con.execute(
        f"""INSERT INTO mexstate_exports SELECT MexState, CAST(Year AS INTEGER), {_MODE}, {_USD},
            '{SOURCE}' FROM staged""",
        maps[:2],
    )
    commodity_keys = ["Year", "MexState", "CommodityGroup", "Mode", "TradeType"]
    _stage(con, data_dir, COMMODITY_FILE, commodity_keys, exports=True)
    con.execute(
        f"""INSERT INTO commodity_exports SELECT CommodityGroup, MexState, CAST(Year AS INTEGER),
            {_MODE}, {_USD}, '{SOURCE}' FROM staged""",
        maps[:2],
    )
    _check_totals(con)


def _stage(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    rel: str,
    keys: list[str],
    *,
    countries: bool = False,
    exports: bool = False,
) -> None:
    """Stage a TransBorder CSV and check its keys, labels and values (file and row on failure)."""
    stage_csv(con, data_dir, rel, [*keys, "TradeValue", "Weight"])
    allowed(con, rel, "Mode", list(MODES))
    allowed(con, rel, "TradeType", ["Export"] if exports else list(FLOWS))
    if countries:
        allowed(con, rel, "Country", list(COUNTRIES))
    # One pass for the per-row problems; column names are constants of this module.
    empty = [f"WHEN coalesce(trim(\"{k}\"), '') = '' THEN '{k} is empty'" for k in keys]
    bad = con.execute(
        f"""SELECT line, problem FROM (SELECT line, CASE
                WHEN TRY_CAST(Year AS INTEGER) IS NULL
                  OR TRY_CAST(Year AS INTEGER) NOT BETWEEN 1990 AND 2100
                  THEN 'Year is not a year: ' || coalesce(Year, 'empty')
                {" ".join(empty)}
                WHEN TRY_CAST(TradeValue AS DECIMAL(20, 2)) IS NULL
                  OR CAST(TradeValue AS DECIMAL(20, 2)) < 0
                  OR CAST(TradeValue AS DECIMAL(20, 2)) <> round(CAST(TradeValue AS DECIMAL(20, 2)))
                  THEN 'TradeValue is not whole dollars ≥ 0: ' || coalesce(TradeValue, 'empty')
                WHEN nullif(trim(Weight), '') IS NOT NULL
                  AND coalesce(TRY_CAST(Weight AS DECIMAL(20, 2)) < 0, true)
                  THEN 'Weight is not a number ≥ 0: ' || Weight
                END AS problem FROM staged) WHERE problem IS NOT NULL ORDER BY line LIMIT 1"""
    ).fetchall()
    if bad:
        raise DataError(rel, bad[0][0], bad[0][1])
    no_duplicates(con, rel, keys)


def _numbers(con: duckdb.DuckDBPyConnection, rel: str, column: str) -> None:
    """An optional column: empty, or a number ≥ 0."""
    bad = con.execute(
        f"""SELECT line, "{column}" FROM staged WHERE nullif(trim("{column}"), '') IS NOT NULL
            AND coalesce(TRY_CAST("{column}" AS DECIMAL(20, 2)) < 0, true)
            ORDER BY line LIMIT 1"""
    ).fetchall()
    if bad:
        raise DataError(rel, bad[0][0], f"{column!r} is not a number ≥ 0: {bad[0][1]!r}")


# (file named in the error, SQL giving the first disagreeing key and both sums)
_AGREEMENT = (
    (
        MONTHLY_FILE,
        """SELECT country, year, mode, flow, a.value_usd, m.v
           FROM mode_trade_annual a FULL JOIN (SELECT country, year, mode, flow, sum(value_usd) v
               FROM mode_trade_monthly GROUP BY ALL) m USING (country, year, mode, flow)""",
        "the months add up to {5}, not the annual {4} of us_transborder.csv",
    ),
    (
        STATE_FILE,
        """SELECT country, year, mode, flow, a.value_usd, s.v
           FROM mode_trade_annual a FULL JOIN (SELECT country, year, mode, flow, sum(value_usd) v
               FROM state_trade GROUP BY ALL) s USING (country, year, mode, flow)""",
        "the U.S. states add up to {5}, not the {4} of us_transborder.csv",
    ),
    (
        COMMODITY_FILE,
        """SELECT mex_state, year, mode, 'exports', s.value_usd, c.v
           FROM mexstate_exports s FULL JOIN (SELECT mex_state, year, mode, sum(value_usd) v
               FROM commodity_exports GROUP BY ALL) c USING (mex_state, year, mode)""",
        "the commodity groups add up to {5}, not the {4} of mexican_state_trade.csv",
    ),
)


def _check_totals(con: duckdb.DuckDBPyConnection) -> None:
    """From 2003 the cuts agree to the dollar; a file that breaks that stops the build."""
    for rel, joined, problem in _AGREEMENT:
        bad = con.execute(
            f"SELECT * FROM ({joined}) WHERE year >= $1"
            " AND value_usd IS DISTINCT FROM v ORDER BY ALL LIMIT 1",
            [CONSISTENT_FROM],
        ).fetchall()
        if bad:
            key = " ".join(str(k) for k in bad[0][:4])
            raise DataError(rel, None, f"{key}: {problem.format(*bad[0])}")
    over = con.execute(
        """SELECT s.year, s.v, a.v FROM (SELECT year, sum(value_usd) v FROM mexstate_exports
               GROUP BY year) s
           JOIN (SELECT year, sum(value_usd) v FROM mode_trade_annual
                 WHERE country = 'MEX' AND flow = 'exports' GROUP BY year) a USING (year)
           WHERE s.v > a.v AND s.year >= $1 ORDER BY 1 LIMIT 1""",
        [CONSISTENT_FROM],
    ).fetchall()
    if over:
        raise DataError(
            MEXSTATE_FILE,
            over[0][0],
            f"exports by Mexican state {over[0][1]} exceed all {over[0][2]}",
        )
