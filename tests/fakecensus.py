"""A fake Census International Trade API on 127.0.0.1, answering like the real one.

`GET /data/timeseries/intltrade/{exports,imports}/hs?get=...&time=...&key=...` answers a JSON
array of arrays: the header (the `get` columns, then `time`), then one row per month and
country code, every value a string; countries are mixed with the Census groupings (`-` TOTAL
FOR ALL COUNTRIES, `0003` European Union, `1XXX` North America...). Nothing for the time asked:
HTTP 204 and no body. No key or a wrong one: a 302 redirect to an HTML page, as the real API
does. An unknown variable: HTTP 400 with a one-line error.

The months the repository's data hold are served with the real figures of
data/raw/census-trade-by-country (millions to one decimal, as whole dollars). Months published
with `publish()` and figures changed with `revise()` are test-only, and live only in memory.
CAL_DUT_MO and CON_VAL_MO are the real figures of data/raw/census-duties-by-country where it
has the month and the country; elsewhere (new months, a country the duty files lack) they are
test-only: imports for consumption 99% of general imports, duties 2.5% of that.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parent.parent / "data"
PREFIX = "/data/timeseries/intltrade/"
KEY = "test-census-key-3b9d"
AGGREGATES = {
    "AGG_0003": ("0003", "EUROPEAN UNION"),
    "AGG_0014": ("0014", "PACIFIC RIM COUNTRIES"),
    "AGG_0017": ("0017", "CAFTA-DR"),
}
REGIONS = {
    "1": "NORTH AMERICA",
    "2": "CENTRAL AMERICA",
    "3": "SOUTH AMERICA",
    "4": "EUROPE",
    "5": "ASIA",
    "6": "AUSTRALIA AND OCEANIA",
    "7": "AFRICA",
}
MONTHLY = {"exports/hs": ("ALL_VAL_MO",), "imports/hs": ("GEN_VAL_MO", "CON_VAL_MO", "CAL_DUT_MO")}
YEARLY = {"ALL_VAL_YR": "ALL_VAL_MO", "GEN_VAL_YR": "GEN_VAL_MO"}
Month = tuple[int, int]
FIRST_MONTH = (2010, 1)


class FakeCensus:
    """The fake API: start with `with FakeCensus() as census:`; `census.base_url` is its URL."""

    def __init__(self) -> None:
        self._codes, self._names = _countries()
        # (year, month) -> flow -> census code -> whole dollars (countries and three groupings)
        self._months: dict[Month, dict[str, dict[str, int]]] = {}
        self._loaded_years: set[int] = set()
        # (year, month) -> census code -> (calculated duties, imports for consumption)
        self._duties: dict[Month, dict[str, tuple[int, int]]] = {}
        self._faults: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []  # (endpoint, params without key)
        self.keys_seen: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeCensus:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        """What CENSUS_API_URL is set to."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/data/timeseries/intltrade"

    # --- what the tests change ------------------------------------------------------------

    def publish(self, year: int, month: int, like: Month, overrides: dict[str, int]) -> None:
        """Publish a test-only month: `like`'s figures plus 1% and $1,234 a row, then overrides.

        `overrides` maps "exports:2010" (flow, census code) to whole dollars.
        """
        source = self._month(like)
        made = {
            flow: {code: value + value // 100 + 1_234 for code, value in values.items()}
            for flow, values in source.items()
        }
        for key, value in overrides.items():
            flow, code = key.split(":")
            made[flow][code] = value
        with self._lock:
            self._months[(year, month)] = made

    def revise(self, year: int, month: int, flow: str, code: str, value: int) -> None:
        """Change one figure of a month (the TOTAL row follows): a test-only revision."""
        month_values = self._month((year, month))
        with self._lock:
            month_values[flow][code] = value

    def fail(self, kind: str, endpoint: str | None = None, times: int = 1) -> None:
        """The next `times` requests (to `endpoint`, or any) get a fault.

        Kinds: "500", "503", "429", "timeout", "html" (200 with an HTML page), "garbage",
        "missing:<COLUMN>" (left out of the answer), "unknown:<COLUMN>" (a 400 for asking for it),
        "partial:<CTY_CODE>" (a country left out, TOTAL kept), "ytd" (year to date off by $1M),
        "newcountry" (a country code 4999 no one knows, in the TOTAL too).
        """
        with self._lock:
            self._faults.extend([(kind, endpoint)] * times)

    def figure(self, year: int, month: int, flow: str, code: str) -> int:
        """A figure as served (whole dollars)."""
        return self._month((year, month))[flow][code]

    # --- serving ------------------------------------------------------------------------

    def _month(self, month: Month) -> dict[str, dict[str, int]]:
        with self._lock:
            if month[0] not in self._loaded_years and month not in self._months:
                self._load_year(month[0])
            return self._months[month]

    def _load_year(self, year: int) -> None:
        self._loaded_years.add(year)
        duties = DATA / "raw" / "census-duties-by-country" / f"{year}.json"
        if duties.exists():
            for time_, code, _, paid, value in json.loads(duties.read_text())["rows"]:
                month = (int(time_[:4]), int(time_[5:]))
                self._duties.setdefault(month, {})[code] = (int(paid), int(value))
        path = DATA / "raw" / "census-trade-by-country" / f"{year}.json"
        if not path.exists():
            return
        for row in json.loads(path.read_text()):
            code = self._codes.get(row["country_code"])
            if code is None:
                continue
            for flow in ("exports", "imports"):
                for number, value in enumerate(row[flow], start=1):
                    if value is not None:
                        figures = self._months.setdefault((year, number), defaultdict(dict))
                        figures[flow][code] = int(Decimal(str(value)) * 1_000_000)

    def _has(self, month: Month) -> bool:
        if month < FIRST_MONTH:
            return False  # the API's data start in January 2010
        with self._lock:
            if month[0] not in self._loaded_years:
                self._load_year(month[0])
            return month in self._months

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one GET."""
        if path in ("/data/missing_key.html", "/data/invalid_key.html"):
            return 200, {"Content-Type": "text/html"}, _PAGE.encode()
        endpoint = path.removeprefix(PREFIX)
        key = query.pop("key", None)
        with self._lock:
            self.requests.append((endpoint, dict(query)))
            if key is not None:
                self.keys_seen.append(key)
        if key != KEY:
            page = "missing_key.html" if not key else "invalid_key.html"
            location = f"http://127.0.0.1:{self._server.server_address[1]}/data/{page}"
            return 302, {"Location": location, "Content-Type": "text/html"}, b""
        if endpoint not in MONTHLY:
            return 404, {"Content-Type": "text/html"}, b"<html>404 Not Found</html>"
        fault = self._take_fault(endpoint)
        if fault in ("500", "503", "429"):
            headers = {"Retry-After": "0"} if fault == "429" else {}
            return int(fault), headers, b"<html>Service Unavailable</html>"
        if fault == "timeout":
            time.sleep(1.5)
        if fault == "html":
            return 200, {"Content-Type": "text/html"}, _PAGE.encode()
        if fault == "garbage":
            return 200, {"Content-Type": "application/json"}, b'[["CTY_CODE"],["2010"'
        columns = query.get("get", "").split(",")
        allowed = {"CTY_CODE", "CTY_NAME", *MONTHLY[endpoint], *YEARLY}
        if fault and fault.startswith("unknown:"):  # a variable the API no longer has
            allowed.discard(fault.split(":")[1])
        for column in columns:
            if column not in allowed or (column in YEARLY and YEARLY[column] not in allowed):
                return (
                    400,
                    {"Content-Type": "text/plain"},
                    f"error: unknown variable '{column}'".encode(),
                )
        months = _months(query.get("time", ""))
        if months is None:
            return 400, {"Content-Type": "text/plain"}, b"error: invalid 'time' argument"
        table = self._table(endpoint, columns, [m for m in months if self._has(m)], fault)
        if len(table) == 1:
            return 204, {}, b""
        return 200, {"Content-Type": "application/json;charset=utf-8"}, _json(table)

    def _take_fault(self, endpoint: str) -> str | None:
        with self._lock:
            for index, (kind, only) in enumerate(self._faults):
                if only in (None, endpoint):
                    del self._faults[index]
                    return kind
        return None

    def _table(
        self, endpoint: str, columns: list[str], months: list[Month], fault: str | None
    ) -> list[list[str]]:
        if fault and fault.startswith("missing:"):
            columns = [c for c in columns if c != fault.split(":")[1]]
        table = [[*columns, "time"]]
        running: dict[tuple[int, str, str], int] = defaultdict(int)
        for month in sorted(months):
            rows = self._rows(endpoint, month, fault)
            for code in sorted(rows, key=_order):
                values = rows[code]
                for column, value in values.items():
                    running[(month[0], code, column)] += value
                if fault == f"partial:{code}":
                    continue
                cells = {"CTY_CODE": code, "CTY_NAME": self._names.get(code, "NEW COUNTRY")}
                for column in columns:
                    if column in YEARLY:
                        total = running[(month[0], code, YEARLY[column])]
                        cells[column] = str(total + (1_000_000 if fault == "ytd" else 0))
                    elif column in values:
                        cells[column] = str(values[column])
                table.append([*(cells[c] for c in columns), f"{month[0]}-{month[1]:02d}"])
        return table

    def _rows(self, endpoint: str, month: Month, fault: str | None) -> dict[str, dict[str, int]]:
        """Census code -> column -> value for one month: countries, groupings and the TOTAL."""
        figures = self._month(month)
        flow = "exports" if endpoint == "exports/hs" else "imports"
        rows: dict[str, dict[str, int]] = {}
        extra = {"4999": 1_000_000} if fault == "newcountry" else {}  # a code Census just added
        for code, value in {**figures[flow], **extra}.items():
            if endpoint == "exports/hs":
                rows[code] = {"ALL_VAL_MO": value}
            else:
                real = self._duties.get(month, {}).get(code)
                paid, used = real or ((value - value // 100) // 40, value - value // 100)
                rows[code] = {"GEN_VAL_MO": value, "CON_VAL_MO": used, "CAL_DUT_MO": paid}
        countries = [c for c in rows if not c.startswith("0")]
        for total_code, members in [("-", countries)] + [
            (f"{d}XXX", [c for c in countries if c.startswith(d)]) for d in REGIONS
        ]:
            columns = rows[countries[0]].keys()
            rows[total_code] = {k: sum(rows[c][k] for c in members) for k in columns}
        return rows


def _order(code: str) -> tuple[int, str]:
    return (0 if code == "-" else 1, code)


def _months(text: str) -> list[Month] | None:
    words = text.split()
    if len(words) == 1:
        first = last = words[0]
    elif len(words) == 4 and words[0] == "from" and words[2] == "to":
        first, last = words[1], words[3]
    else:
        return None
    try:
        start, end = (int(first[:4]), int(first[5:7])), (int(last[:4]), int(last[5:7]))
    except ValueError:
        return None
    return list(_between(start, end))


def _between(start: Month, end: Month) -> Iterator[Month]:
    year, month = start
    while (year, month) <= end:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _json(table: list[list[str]]) -> bytes:
    # The real API puts one row per line: [["CTY_CODE",...],\n["-",...],\n...]
    return ("[" + ",\n".join(json.dumps(r) for r in table) + "]").encode()


def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """ISO3 (or AGG_ id) -> census code for the rows the fake serves; census code -> name."""
    codes, names = (
        {},
        {"-": "TOTAL FOR ALL COUNTRIES", **{f"{d}XXX": n for d, n in REGIONS.items()}},
    )
    with (DATA / "countries.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["kind"] != "aggregate" and row["census_code"]:
                codes[row["code"]] = row["census_code"]
                names[row["census_code"]] = row["census_name"].upper()
    for code, (census, name) in AGGREGATES.items():
        codes[code], names[census] = census, name
    return codes, names


_PAGE = """<!DOCTYPE html>
<html><head><title>Invalid Key</title></head><body>
<div class="content-wrap center"><h1>Invalid Key</h1>
<p>A valid <em>key</em> must be included with each data API request.</p></div>
</body></html>
"""


def _handler(fake: FakeCensus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            status, headers, body = fake.answer(parts.path, query)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
