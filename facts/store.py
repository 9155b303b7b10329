"""FactStore: the read-only DuckDB fact store, and the only module that holds SQL."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb

from facts.model import Fact, Source
from facts.store_border import BorderStore
from facts.words import SERIES_WORDS

TRADE_METRICS = ("exports", "imports", "balance", "total")
CACHED_ROWS = 100_000  # rows of query results kept in memory per open store (a few MB)
# Values are written by column name, never by string formatting of user input.
_TRADE_VALUE = {
    "exports": "sum(value_usd) FILTER (WHERE flow = 'exports')",
    "imports": "sum(value_usd) FILTER (WHERE flow = 'imports')",
    "balance": "sum(CASE flow WHEN 'exports' THEN value_usd ELSE -value_usd END)",
    "total": "sum(value_usd)",
}
TRADE_SOURCE = "census-trade-by-country"
POPULATION_SOURCE = "worldbank-population"
SEIZURE_SOURCE = "cbp-drug-seizures"


class FactStoreError(Exception):
    """The store is missing, damaged or cannot be built."""


@dataclass(frozen=True)
class Country:
    """A row of the country reference."""

    code: str
    kind: str  # country | former | aggregate | unallocated
    name: str
    name_es: str
    census_name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ClaimRow:
    """A claim as stored: its check is evaluated by facts.claims."""

    id: str
    number: int
    topic: str
    paraphrase: str
    keywords: tuple[str, ...]
    stated_value: Decimal | None
    stated_unit: str
    stated_period: str
    stated_text: str
    check: dict[str, Any] | None
    unverifiable: str | None
    context: tuple[dict[str, Any], ...]
    source_id: str


@dataclass(frozen=True)
class Coverage:
    """What periods each table holds (for "no data" answers and "latest")."""

    trade_years: tuple[int, int]
    trade_latest_month: tuple[int, int]
    population_years: tuple[int, int]
    encounter_months: dict[str, tuple[tuple[int, int], tuple[int, int]]]
    seizure_months: tuple[tuple[int, int], tuple[int, int]]


class FactStore:
    """Read-only access to the facts; every method returns frozen values carrying a source id."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = con
        self.path = path
        # The store is read-only, so a query's rows never change while it is open. Answers share
        # many lookups (the claim verdicts alone make 56 queries, 22 of them distinct), and a
        # DuckDB point query costs about 0.6 ms against microseconds for a dict.
        self._results: OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] = OrderedDict()
        self._result_rows = 0
        self._results_lock = threading.Lock()
        self._rankings: dict[tuple[str, int], tuple[Fact, ...]] = {}

    @classmethod
    def open(cls, db_path: Path) -> FactStore:
        """Open db_path read-only (facts.load.ensure_built builds it; opening never does)."""
        if not db_path.exists():
            raise FactStoreError(f"no fact store at {db_path}: run `tradefact build`")
        try:
            con = duckdb.connect(str(db_path), read_only=True)
            # No query reads a file but the store: not even read_csv('/etc/passwd'), however
            # it got in. Once off, it cannot be turned back on while the database is open.
            con.execute("SET enable_external_access = false")
            con.execute("SELECT count(*) FROM meta").fetchone()
            short = cut_short(con, db_path)
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            raise FactStoreError(f"the fact store {db_path} cannot be read: {reason}") from exc
        if short:
            con.close()
            raise FactStoreError(f"the fact store {db_path} is cut short: run `tradefact build`")
        return cls(con, db_path)

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query, from memory when it ran before (callers must not change them)."""
        key = (sql, *params)
        with self._results_lock:
            rows = self._results.get(key)
            if rows is not None:
                self._results.move_to_end(key)
                return rows
        rows = self._fetch(sql, params)
        self._keep(key, rows)
        return rows

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._con.cursor()  # one cursor per query: connections are not thread-safe
        try:
            return cursor.execute(sql, list(params)).fetchall()
        finally:
            cursor.close()

    def _keep(self, key: tuple[Any, ...], rows: list[tuple[Any, ...]]) -> None:
        with self._results_lock:
            if key in self._results or len(rows) > CACHED_ROWS // 10:
                return
            self._results[key] = rows
            self._result_rows += len(rows) + 1
            while self._result_rows > CACHED_ROWS:
                _, dropped = self._results.popitem(last=False)
                self._result_rows -= len(dropped) + 1

    # --- reference data, read once --------------------------------------------------------

    @cached_property
    def fingerprint(self) -> str:
        """The data fingerprint the store was built from."""
        return str(self._rows("SELECT value FROM meta WHERE key = 'fingerprint'")[0][0])

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Every source by id."""
        rows = self._rows(
            "SELECT id, title, publisher, url, coverage, units, basis, license, obtained, caveats,"
            " url_note FROM sources ORDER BY id"
        )
        return {
            r[0]: Source(
                id=r[0],
                title=r[1],
                publisher=r[2],
                url=r[3] or None,
                coverage=r[4],
                units=r[5],
                basis=r[6],
                license=r[7],
                obtained=r[8],
                caveats=r[9],
                url_note=r[10] or "",
            )
            for r in rows
        }

    @cached_property
    def countries(self) -> dict[str, Country]:
        """Every partner code of the trade data (and the U.S.), by code."""
        rows = self._rows(
            "SELECT code, kind, name, name_es, census_name, aliases FROM countries ORDER BY code"
        )
        return {
            r[0]: Country(r[0], r[1], r[2], r[3] or "", r[4] or "", tuple(_split(r[5])))
            for r in rows
        }

    def label(self, code: str) -> str:
        """The common English name of a partner code ("MEX" -> "Mexico"), or the code itself."""
        country = self.countries.get(code)
        return country.name if country else code

    @cached_property
    def claims(self) -> tuple[ClaimRow, ...]:
        """The op-ed's claims in the order of the claims file."""
        rows = self._rows(
            "SELECT id, number, topic, paraphrase, keywords, stated_value, stated_unit,"
            " stated_period, stated_text, check_json, unverifiable, context_json, source_id"
            " FROM claims ORDER BY number"
        )
        return tuple(
            ClaimRow(
                r[0],
                r[1],
                r[2],
                r[3],
                tuple(json.loads(r[4] or "[]")),
                r[5].normalize() if r[5] is not None else None,
                r[6],
                r[7],
                r[8],
                json.loads(r[9]) if r[9] else None,
                r[10],
                tuple(json.loads(r[11] or "[]")),
                r[12],
            )
            for r in rows
        )

    @cached_property
    def coverage(self) -> Coverage:
        """First and last periods of every table."""
        trade = self._rows("SELECT min(year), max(year) FROM trade_annual")[0]
        latest = self._rows(
            "SELECT year, max(month) FROM trade_monthly WHERE year = (SELECT max(year) FROM"
            " trade_monthly) GROUP BY year"
        )[0]
        population = self._rows("SELECT min(year), max(year) FROM population")[0]
        encounters = {
            r[0]: ((r[1] // 100, r[1] % 100), (r[2] // 100, r[2] % 100))
            for r in self._rows(
                "SELECT series, min(year * 100 + month), max(year * 100 + month) FROM encounters"
                " GROUP BY series"
            )
        }
        seizures = self._rows(
            "SELECT min(year * 100 + month), max(year * 100 + month) FROM seizures"
        )[0]
        return Coverage(
            (trade[0], trade[1]),
            (latest[0], latest[1]),
            (population[0], population[1]),
            encounters,
            ((seizures[0] // 100, seizures[0] % 100), (seizures[1] // 100, seizures[1] % 100)),
        )

    @cached_property
    def drugs(self) -> tuple[str, ...]:
        """Drug ids in the seizure data."""
        return tuple(r[0] for r in self._rows("SELECT DISTINCT drug FROM seizures ORDER BY drug"))

    def table_counts(self) -> dict[str, int]:
        """Rows per table, counted in the file now (for `tradefact build`'s summary)."""
        names = [
            r[0]
            for r in self._fetch(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
            )
        ]
        # Table names come from DuckDB's own catalogue, not from input.
        return {n: int(self._fetch(f'SELECT count(*) FROM "{n}"')[0][0]) for n in names}

    # --- trade ----------------------------------------------------------------------------

    @cached_property
    def _annual(self) -> dict[tuple[str, int], Flows]:
        """trade_annual in memory (17,000 rows, a few MB): most answers start from it."""
        table: dict[tuple[str, int], Flows] = {}
        # Whole dollars fit a BIGINT, and Python ints load several times faster than Decimals.
        rows = self._fetch(
            "SELECT partner, year, flow, CAST(value_usd AS BIGINT), months FROM trade_annual"
        )
        for partner, year, flow, value, months in rows:
            table.setdefault((partner, year), {})[flow] = (value, months)
        return table

    @cached_property
    def _world(self) -> dict[int, Flows]:
        """Annual trade with all partners: countries and unallocated rows, not aggregates."""
        world: dict[int, Flows] = {}
        for (partner, year), flows in self._annual.items():
            if self.countries[partner].kind == "aggregate":
                continue
            for flow, (value, months) in flows.items():
                total, fewest = world.setdefault(year, {}).get(flow, (0, 12))
                world[year][flow] = (total + value, min(fewest, months))
        return world

    def trade_year(self, metric: str, partner: str, year: int) -> Fact | None:
        """A partner's trade in one calendar year (partial years carry a note)."""
        flows = self._annual.get((partner, year))
        value = _combine(metric, flows)
        if flows is None or value is None:
            return None
        label, note = self.label(partner), _partial_note(flows)
        return Fact(metric, partner, str(year), value, "USD", TRADE_SOURCE, label, note)

    def trade_month(self, metric: str, partner: str, year: int, month: int) -> Fact | None:
        """A partner's trade in one month."""
        value, count = self._rows(
            f"SELECT {_TRADE_VALUE[metric]}, count(*) FROM trade_monthly"
            " WHERE partner = ? AND year = ? AND month = ?",
            [partner, year, month],
        )[0]
        if not count:
            return None
        period = f"{year}-{month:02d}"
        return Fact(metric, partner, period, value, "USD", TRADE_SOURCE, self.label(partner))

    def trade_ytd(self, metric: str, partner: str, year: int, through_month: int) -> Fact | None:
        """A partner's trade from January to through_month (None if a month is missing)."""
        value, count = self._rows(
            f"SELECT {_TRADE_VALUE[metric]}, count(DISTINCT month) FROM trade_monthly"
            " WHERE partner = ? AND year = ? AND month <= ?",
            [partner, year, through_month],
        )[0]
        if count != through_month:
            return None
        period = f"{year}-01..{year}-{through_month:02d}"
        return Fact(metric, partner, period, value, "USD", TRADE_SOURCE, self.label(partner))

    def trade_range(
        self, metric: str, partner: str, start: tuple[int, int], end: tuple[int, int]
    ) -> Fact | None:
        """Trade over an inclusive range of months (None if any month is missing).

        partner "WORLD" is every partner but the aggregates, as in trade_world.
        """
        if partner == "WORLD":
            where = "partner IN (SELECT code FROM countries WHERE kind <> 'aggregate')"
            params: list[Any] = [_ym(start), _ym(end)]
        else:
            where = "partner = ?"
            params = [partner, _ym(start), _ym(end)]
        value, months = self._rows(
            f"SELECT {_TRADE_VALUE[metric]}, count(DISTINCT year * 100 + month) FROM trade_monthly"
            f" WHERE {where} AND year * 100 + month BETWEEN ? AND ?",
            params,
        )[0]
        expected = (end[0] - start[0]) * 12 + end[1] - start[1] + 1
        if months != expected or value is None:
            return None
        label = "all partners" if partner == "WORLD" else self.label(partner)
        return Fact(metric, partner, _period(start, end), value, "USD", TRADE_SOURCE, label)

    def trade_months(self, metric: str, partner: str) -> list[Fact]:
        """Every month of a partner's trade in the store, oldest first."""
        rows = self._rows(
            f"SELECT year, month, {_TRADE_VALUE[metric]} AS v FROM trade_monthly"
            " WHERE partner = ? GROUP BY year, month HAVING v IS NOT NULL ORDER BY year, month",
            [partner],
        )
        label = self.label(partner)
        return [
            Fact(metric, partner, f"{y}-{m:02d}", v, "USD", TRADE_SOURCE, label) for y, m, v in rows
        ]

    def ranking(self, metric: str, year: int) -> list[Fact]:
        """Countries (no aggregates) by a trade metric in a year, largest first."""
        key = (metric, year)
        if key not in self._rankings:  # a few hundred facts a year, asked for by many answers
            self._rankings[key] = self._ranking(metric, year)
        return list(self._rankings[key])

    def _ranking(self, metric: str, year: int) -> tuple[Fact, ...]:
        if metric == "balance":  # from the annual table in memory: surpluses first
            facts = [
                Fact(metric, p, str(year), value, "USD", TRADE_SOURCE, self.label(p))
                for (p, y), flows in self._annual.items()
                if y == year
                and self.countries[p].kind in ("country", "former")
                and (value := _combine(metric, flows)) is not None
            ]
            return tuple(sorted(facts, key=lambda f: (-f.value, f.partner)))
        if metric == "total":
            rows = self._rows(
                "SELECT partner, sum(value_usd) AS v FROM trade_rank WHERE year = ?"
                " GROUP BY partner ORDER BY v DESC, partner",
                [year],
            )
        else:
            rows = self._rows(
                "SELECT partner, value_usd FROM trade_rank WHERE flow = ? AND year = ?"
                " ORDER BY rank",
                [metric, year],
            )
        return tuple(
            Fact(metric, r[0], str(year), r[1], "USD", TRADE_SOURCE, self.label(r[0])) for r in rows
        )

    def trade_world(self, metric: str, year: int) -> Fact | None:
        """Trade with all partners in a year: the sum over countries and unallocated rows."""
        flows = self._world.get(year)
        value = _combine(metric, flows)
        if flows is None or value is None:
            return None
        note = _partial_note(flows)
        return Fact(metric, "WORLD", str(year), value, "USD", TRADE_SOURCE, "all partners", note)

    # --- population -----------------------------------------------------------------------

    def population(self, partner: str, year: int) -> Fact | None:
        """Mid-year population of a country."""
        rows = self._rows(
            "SELECT value FROM population WHERE partner = ? AND year = ?", [partner, year]
        )
        if not rows:
            return None
        value = Decimal(rows[0][0])
        return Fact(
            "population",
            partner,
            str(year),
            value,
            "people",
            POPULATION_SOURCE,
            self.label(partner),
        )

    # --- encounters -----------------------------------------------------------------------

    def encounters(self, series: str, start: tuple[int, int], end: tuple[int, int]) -> list[Fact]:
        """Monthly encounters of a series between two months, inclusive."""
        rows = self._rows(
            "SELECT year, month, value, source_id FROM encounters WHERE series = ?"
            " AND year * 100 + month BETWEEN ? AND ? ORDER BY year, month",
            [series, _ym(start), _ym(end)],
        )
        return [
            Fact(
                "encounters",
                series,
                f"{r[0]}-{r[1]:02d}",
                Decimal(r[2]),
                "encounters",
                r[3],
                SERIES_WORDS.get(series, series),
            )
            for r in rows
        ]

    # --- seizures -------------------------------------------------------------------------

    def seizures(self, drug: str, start: tuple[int, int], end: tuple[int, int]) -> Fact | None:
        """Pounds of a drug ("" = all drugs) seized by CBP between two months, inclusive."""
        value, months = self._rows(
            "SELECT sum(pounds), count(DISTINCT year * 100 + month) FROM seizures"
            " WHERE (drug = ? OR ? = '') AND year * 100 + month BETWEEN ? AND ?",
            [drug, drug, _ym(start), _ym(end)],
        )[0]
        expected = (end[0] - start[0]) * 12 + end[1] - start[1] + 1
        if months != expected:
            return None
        period = _period(start, end)
        label = (drug or "all drugs").capitalize()
        return Fact(
            "seizures", drug or "all", period, value.normalize(), "lb", SEIZURE_SOURCE, label
        )

    # --- border trade, duties, citizenship (issue 11; SQL in facts/store_border.py) ----------

    @cached_property
    def border(self) -> BorderStore:
        """TransBorder trade by mode, U.S. state, port, Mexican state and commodity group;
        calculated duties; encounters by citizenship."""
        return BorderStore(self._rows, self.label)

    # --- seizures by month -------------------------------------------------------------------

    def seizures_by_month(self, drug: str) -> list[Fact]:
        """Pounds of a drug ("" = all drugs) seized by CBP each month, oldest first."""
        rows = self._rows(
            "SELECT year, month, sum(pounds) FROM seizures WHERE (drug = ? OR ? = '')"
            " GROUP BY year, month ORDER BY year, month",
            [drug, drug],
        )
        label = (drug or "all drugs").capitalize()
        return [
            Fact(
                "seizures",
                drug or "all",
                f"{y}-{m:02d}",
                v.normalize(),
                "lb",
                SEIZURE_SOURCE,
                label,
            )
            for y, m, v in rows
        ]

    # --- monthly ranking (weekly digest) ----------------------------------------------------

    def ranking_month(self, metric: str, year: int, month: int) -> list[Fact]:
        """Countries (no aggregates) by a trade metric in a month, largest first."""
        rows = self._rows(
            f"SELECT t.partner, {_TRADE_VALUE[metric]} AS v FROM trade_monthly t"
            " JOIN countries c ON c.code = t.partner"
            " WHERE c.kind IN ('country', 'former') AND t.year = ? AND t.month = ?"
            " GROUP BY t.partner HAVING v IS NOT NULL ORDER BY v DESC, t.partner",
            [year, month],
        )
        period = f"{year}-{month:02d}"
        return [
            Fact(metric, r[0], period, r[1], "USD", TRADE_SOURCE, self.label(r[0])) for r in rows
        ]


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


Flows = dict[str, tuple[int, int]]  # flow -> (value in whole USD, months covered)


def _combine(metric: str, flows: Flows | None) -> Decimal | None:
    """A metric from a partner-year's flows, as the SQL of _TRADE_VALUE would compute it."""
    if not flows:
        return None
    exports, imports = flows.get("exports"), flows.get("imports")
    if metric in ("exports", "imports"):
        found = exports if metric == "exports" else imports
        return Decimal(found[0]) if found else None
    sign = -1 if metric == "balance" else 1
    return Decimal((exports[0] if exports else 0) + sign * (imports[0] if imports else 0))


def _partial_note(flows: Flows) -> str:
    months = min(m for _, m in flows.values())
    return "" if months == 12 else f"January–{_MONTH_NAMES[months - 1]} only"


def _ym(month: tuple[int, int]) -> int:
    return month[0] * 100 + month[1]


def _period(start: tuple[int, int], end: tuple[int, int]) -> str:
    first, last = f"{start[0]}-{start[1]:02d}", f"{end[0]}-{end[1]:02d}"
    return first if first == last else f"{first}..{last}"


def _split(aliases: str | None) -> list[str]:
    return [a.strip() for a in (aliases or "").split("|") if a.strip()]


def cut_short(con: duckdb.DuckDBPyConnection, db_path: Path) -> bool:
    """True when the file is shorter than the blocks DuckDB says it holds.

    Such a file (a copy or a download that stopped halfway) opens, answers from its first
    blocks and fails only when a query reaches a missing one. DuckDB's file is three 4 KiB
    headers, then the blocks.
    """
    [row] = con.execute("SELECT block_size, total_blocks FROM pragma_database_size()").fetchall()
    return db_path.stat().st_size < 3 * 4096 + int(row[0]) * int(row[1])
