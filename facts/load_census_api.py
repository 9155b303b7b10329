"""Load the Census International Trade API vintages kept under data/raw/census-api/.

Each refresh that found something new left a directory `<release>/` (the date it fetched, Eastern
time) with every response as received (`<endpoint>-<year>.json`) and beside it the request
without the key, the time fetched and the HTTP status (`<endpoint>-<year>.request.json`). Each
response is checked like any source; each directory is a vintage, applied in order over the
workbook's months by facts.vintages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from facts.staging import DataError
from facts.vintages import apply_vintages

API_DIR = "raw/census-api"
API_SOURCE = "census-api"  # the entry of data/sources.yaml each release's source is made from
ROUNDING_USD = 1_000  # whole dollars per row; sums and year-to-date may differ by rounding
# Census aggregates whose API code means the same grouping as the workbook's; the API's other
# groupings (0020 USMCA, 0021-0028, the nXXX regions) are not the workbook's and are not loaded.
SAME_AGGREGATES = {"0003": "AGG_0003", "0014": "AGG_0014", "0017": "AGG_0017"}


# What one response gives: trade rows (partner, year, month, flow, USD) and duty rows (CTY_CODE,
# CTY_NAME, year, month, calculated duties, imports for consumption).
Read = tuple[list[tuple[str, int, int, str, int]], list[tuple[str, str, int, int, int, int]]]


@dataclass(frozen=True)
class Endpoint:
    """What a response of one endpoint must hold: value columns, each with its year-to-date."""

    flow: str  # the trade_monthly flow of the first monthly column
    monthly: tuple[str, ...]  # checked and summed; the first is loaded as `flow`
    ytd: dict[str, str]  # monthly column -> its year-to-date column


ENDPOINTS = {
    "exports/hs": Endpoint("exports", ("ALL_VAL_MO",), {"ALL_VAL_MO": "ALL_VAL_YR"}),
    "imports/hs": Endpoint(
        "imports", ("GEN_VAL_MO", "CON_VAL_MO", "CAL_DUT_MO"), {"GEN_VAL_MO": "GEN_VAL_YR"}
    ),
}


def requested_columns(endpoint: str) -> str:
    """The `get` of a request: the country, its name and every column the loader checks."""
    spec = ENDPOINTS[endpoint]
    return ",".join(("CTY_CODE", "CTY_NAME", *spec.monthly, *spec.ytd.values()))


def load_census_api(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Validate every kept response and apply the vintages over trade_monthly, in order."""
    releases = sorted(p for p in (data_dir / API_DIR).glob("*") if p.is_dir())
    if not releases:
        return
    if not con.execute("SELECT 1 FROM sources WHERE id = ?", [API_SOURCE]).fetchall():
        raise DataError("sources.yaml", None, f"no entry {API_SOURCE!r} for {API_DIR}/")
    codes = {
        str(r[0]): str(r[1])
        for r in con.execute(
            "SELECT census_code, code FROM countries WHERE kind <> 'aggregate'"
        ).fetchall()
    }
    rows: list[dict[str, Any]] = []
    duties: list[dict[str, Any]] = []
    for order, release in enumerate(releases, start=1):
        source_id = f"{API_SOURCE}-{release.name}"
        for response in sorted(release.glob("*.request.json")):
            trade, duty = _read(data_dir, response, codes)
            for partner, year, month, flow, value in trade:
                rows.append(
                    {"ord": order, "source_id": source_id, "partner": partner, "year": year}
                    | {"month": month, "flow": flow, "value": value}
                )
            for code, name, year, month, paid, value in duty:
                duties.append(
                    {"ord": order, "source_id": source_id, "code": code, "name": name}
                    | {"year": year, "month": month, "duties": paid, "consumption": value}
                )
        con.execute(
            "INSERT INTO sources SELECT ?, title || ', as published on ' || ?, publisher, url,"
            " NULL, coverage, units, basis, license, obtained, caveats FROM sources WHERE id = ?",
            [source_id, release.name, API_SOURCE],
        )
    if rows:
        apply_vintages(con, rows, sorted(set(codes.values())))
    if duties:  # fed to the duties table once it is loaded: feed_duties()
        con.execute(
            "CREATE TEMP TABLE api_duties AS SELECT * FROM (SELECT unnest($1, recursive := true))",
            [duties],
        )


def feed_duties(con: duckdb.DuckDBPyConnection) -> None:
    """Add the API's months after the duties files' newest to `duties` (newest release wins).

    Months the files hold keep the files' values; a row a previous store had from the API (the
    border tables are copied when their inputs are unchanged) is replaced.
    """
    if not con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = 'api_duties' AND temporary"
    ).fetchall():
        return
    con.execute("DELETE FROM duties WHERE source_id LIKE ?", [f"{API_SOURCE}-%"])
    con.execute(
        r"""INSERT INTO duties
        SELECT d.code, d.name, CASE WHEN d.code = '-' THEN 'WORLD' ELSE c.code END,
               CASE WHEN d.code = '-' THEN 'total'
                    WHEN regexp_full_match(d.code, '[1-7]\d{3}') THEN 'country'
                    ELSE 'aggregate' END,
               d.year, d.month, d.duties, d.consumption, d.source_id
        FROM (SELECT code, year, month, arg_max(name, ord) AS name,
                     arg_max(duties, ord) AS duties, arg_max(consumption, ord) AS consumption,
                     arg_max(source_id, ord) AS source_id
              FROM api_duties GROUP BY code, year, month) d
        LEFT JOIN countries c ON c.census_code = d.code
        WHERE d.year * 100 + d.month > (SELECT coalesce(max(year * 100 + month), 0)
                                        FROM duties WHERE source_id NOT LIKE ?)""",
        [f"{API_SOURCE}-%"],
    )


def _read(data_dir: Path, sidecar: Path, codes: dict[str, str]) -> Read:
    """A response checked against its request: its trade rows and its duty rows."""
    rel = sidecar.relative_to(data_dir).as_posix()
    try:
        request = json.loads(sidecar.read_text(encoding="utf-8"))
        endpoint, status, params = request["endpoint"], int(request["status"]), request["params"]
        if not isinstance(params, dict) or not request["fetched_at"]:
            raise TypeError("'params' must be an object and 'fetched_at' a time")
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(rel, None, f"not a request record ({exc})") from None
    if "key" in params:
        raise DataError(rel, None, "the request record holds the API key: remove it")
    if endpoint not in ENDPOINTS:
        raise DataError(rel, None, f"unknown endpoint {endpoint!r}")
    body_path = sidecar.with_name(sidecar.name.removesuffix(".request.json") + ".json")
    body_rel = body_path.relative_to(data_dir).as_posix()
    if not body_path.exists():
        raise DataError(body_rel, None, "the response is missing")
    if status == 204:  # nothing published for that time: an empty body, kept as received
        return [], []
    if status != 200:
        raise DataError(rel, None, f"HTTP status {status}: only 200 and 204 are data")
    try:
        table = json.loads(body_path.read_bytes())
    except ValueError as exc:
        raise DataError(body_rel, None, f"not JSON ({exc})") from None
    return _table(body_rel, ENDPOINTS[endpoint], str(params.get("time", "")), table, codes)


def _table(rel: str, spec: Endpoint, asked: str, table: Any, codes: dict[str, str]) -> Read:
    if not isinstance(table, list) or not table or not all(isinstance(r, list) for r in table):
        raise DataError(rel, None, "not a JSON array of rows")
    header = table[0]
    for column in ("CTY_CODE", "CTY_NAME", "time", *spec.monthly, *spec.ytd.values()):
        if column not in header:
            raise DataError(rel, 1, f"missing column {column!r}")
    at = {name: header.index(name) for name in header}
    first, last = _time_range(rel, asked)
    values: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)  # column -> (time, code)
    names: dict[str, str] = {}
    for number, row in enumerate(table[1:], start=2):
        if len(row) != len(header) or not all(isinstance(v, str) for v in row):
            raise DataError(rel, number, "a row does not match the header")
        time, code = row[at["time"]], row[at["CTY_CODE"]]
        if not first <= time <= last or len(time) != 7:
            raise DataError(rel, number, f"month {time!r} is outside the request ({asked})")
        if _kind(code) == "country" and code not in codes:
            raise DataError(rel, number, f"unknown country code {code!r} ({row[at['CTY_NAME']]})")
        for column in (*spec.monthly, *spec.ytd.values()):
            text = row[at[column]]
            if not text.isdigit():
                raise DataError(rel, number, f"{column} of {code} {time} is not a number: {text!r}")
            if (time, code) in values[column]:
                raise DataError(rel, number, f"{code} {time} appears twice")
            values[column][(time, code)] = int(text)
        names[code] = row[at["CTY_NAME"]]
    _check_totals(rel, spec, values, names)
    _check_year_to_date(rel, spec, values)
    loaded = []
    for (time, code), value in values[spec.monthly[0]].items():
        partner = codes.get(code) if _kind(code) == "country" else SAME_AGGREGATES.get(code)
        if partner:
            loaded.append((partner, int(time[:4]), int(time[5:]), spec.flow, value))
    duties = [
        (code, names[code], int(time[:4]), int(time[5:]), value, values["CON_VAL_MO"][(time, code)])
        for (time, code), value in values.get("CAL_DUT_MO", {}).items()
    ]
    return loaded, duties


def _time_range(rel: str, asked: str) -> tuple[str, str]:
    """The months a `time` predicate asks for: "2026-09" or "from 2026-01 to 2026-12"."""
    words = asked.split()
    if len(words) == 1:
        return words[0], words[0]
    if len(words) == 4 and words[0] == "from" and words[2] == "to":
        return words[1], words[3]
    raise DataError(rel, None, f"the request's time {asked!r} is not a month or a range")


def _kind(code: str) -> str:
    if code == "-":
        return "total"
    if code.startswith("0") or code.endswith("XXX"):
        return "aggregate"
    return "country"


def _check_totals(
    rel: str, spec: Endpoint, values: dict[str, dict[tuple[str, str], int]], names: dict[str, str]
) -> None:
    """Every month has a TOTAL row, and its countries add up to it: no partial month."""
    for column in spec.monthly:
        sums: dict[str, int] = defaultdict(int)
        counts: dict[str, int] = defaultdict(int)
        for (time, code), value in values[column].items():
            if _kind(code) == "country":
                sums[time] += value
                counts[time] += 1
        for time in sorted(sums):
            total = values[column].get((time, "-"))
            if total is None:
                raise DataError(rel, None, f"{time}: no TOTAL FOR ALL COUNTRIES row ('-')")
            if abs(total - sums[time]) > ROUNDING_USD:
                raise DataError(
                    rel,
                    None,
                    f"{time}: the {counts[time]} countries' {column} add up to {sums[time]:,},"
                    f" not the TOTAL row's {total:,}: a partial month (countries missing)",
                )


def _check_year_to_date(
    rel: str, spec: Endpoint, values: dict[str, dict[tuple[str, str], int]]
) -> None:
    """Each year-to-date value equals the sum of its year's months (when all are present)."""
    months = {time for time, _ in values[spec.monthly[0]]}
    codes = {code for _, code in values[spec.monthly[0]]}
    for monthly, ytd in spec.ytd.items():
        for time in sorted(months):
            year, month = time[:4], int(time[5:])
            if any(f"{year}-{m:02d}" not in months for m in range(1, month)):
                continue  # an earlier month is not in the response: nothing to add up
            for code in sorted(codes):
                stated = values[ytd].get((time, code))
                if stated is None:
                    continue
                added = sum(
                    values[monthly].get((f"{year}-{m:02d}", code), 0) for m in range(1, month + 1)
                )
                if abs(stated - added) > ROUNDING_USD:
                    raise DataError(
                        rel,
                        None,
                        f"{code} {time}: the months add up to {added:,}, not {ytd} {stated:,}",
                    )
