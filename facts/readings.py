"""What a statement could be measuring, computed from the store: the shared pieces.

A Reading is one way to read a statement (flow, period, calendar or fiscal year) with its computed
figure and verdict. Figures wraps the store with the lookups every kind of reading uses; the
readings of each kind are in facts.readings_trade and facts.readings_border.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from facts.claims import ClaimDataMissing, evaluate
from facts.extract import Statement, When
from facts.model import Verdict
from facts.store import FactStore
from facts.tolerance import compare
from facts.words import MONTHS

TRADE = ("exports", "imports", "balance", "total")
FLOW = {
    "exports": "U.S. goods exports to",
    "imports": "U.S. goods imports from",
    "balance": "U.S. goods trade balance with",
    "total": "U.S. goods trade (exports + imports) with",
}
MARKETS = {"exports": "export markets", "imports": "import suppliers", "total": "trading partners"}


@dataclass(frozen=True)
class Reading:
    """One way to read a statement, computed: what was measured, the figure and the verdict."""

    description: str  # "U.S. goods exports to Mexico, calendar year 2024"
    verdict: Verdict
    computed: Decimal | None
    unit: str
    tolerance: str  # how the figures were compared: "within ±$1 billion (to the billion)"
    source_ids: tuple[str, ...] = ()
    compared_to: Decimal | None = None  # the other side of a comparison


Readings = list[tuple[Reading, dict[str, Any] | None]]  # each with its claims.yaml expression


@dataclass(frozen=True)
class Value:
    """A computed figure and the sources it came from."""

    value: Decimal
    sources: frozenset[str]


class CannotCheck(Exception):
    """The statement is understood, but the store cannot test it (the message says why)."""


class Figures:
    """The store, with the lookups the readings share."""

    def __init__(self, store: FactStore) -> None:
        self.store = store

    def trade_year(self, s: Statement, population: bool = False) -> tuple[int, str]:
        """The calendar year a trade statement is about, and how it was chosen (in words)."""
        if s.when and s.when.kind in ("year", "fiscal_year", "month", "since", "months"):
            year = s.when.start[0]
            how = {
                "text": "",
                "before": " (the year of the sentence before)",
                "after": " (the year of the sentence after)",
                "earlier": " (the year named earlier in the text)",
            }[s.when_from]
            return year, how
        last = self.store.coverage.trade_latest_month
        year = last[0] if last[1] == 12 else last[0] - 1
        if population:
            year = min(year, self.store.coverage.population_years[1])
        return year, " (the text names no year: the latest full year in the data)"

    def trade_months(  # the sum of the months, or the published year when it is all of them
        self, metric: str, partner: str, first: tuple[int, int], last: tuple[int, int]
    ) -> Value:
        if first == (first[0], 1) and last == (first[0], 12):
            return self.evaluate(trade_expr(metric, partner, str(first[0])))
        total, sources = Decimal(0), frozenset[str]()
        for month in range(first[1], last[1] + 1):
            value = self.evaluate(trade_expr(metric, partner, f"{first[0]}-{month:02d}"))
            total, sources = total + value.value, sources | value.sources
        return Value(total, sources)

    def evaluate(self, expr: dict[str, Any]) -> Any:
        """A claims.yaml expression's value (trade with "WORLD" too)."""
        if expr.get("partner") == "WORLD":
            fact = self.store.trade_world(expr["metric"], int(expr["period"][:4]))
            if fact is None or "-" in str(expr["period"]):
                raise ClaimDataMissing(f"{expr['metric']} with all partners in {expr['period']}")
            return Value(fact.value, frozenset({fact.source_id}))
        value = evaluate(self.store, expr)
        return Value(value.value, value.sources)

    def high_rank(self, series: str, since: tuple[int, int], month: tuple[int, int]) -> Any:
        """1 if the month has the most encounters of the series since `since`."""
        facts = self.store.encounters(series, since, month)
        if not facts or facts[-1].period != f"{month[0]}-{month[1]:02d}":
            raise ClaimDataMissing(f"{series} encounters up to {month[0]}-{month[1]:02d}")
        higher = sum(1 for f in facts[:-1] if f.value >= facts[-1].value)
        return Value(Decimal(higher + 1), frozenset(f.source_id for f in facts))

    def names(self, codes: tuple[str, ...]) -> str:
        """Partner names joined: "Mexico and Canada"."""
        names = [self.store.label(c) for c in codes]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def compare(  # a Reading of the statement's figure against `computed`
        self, s: Statement, description: str, computed: Decimal, unit: str, sources: frozenset[str]
    ) -> Reading:
        verdict, tolerance = compare(s.stated, s.hedge, s.step, computed, unit)
        return Reading(description, verdict, computed, unit, tolerance, tuple(sorted(sources)))


def trade_expr(metric: str, partner: str, period: str) -> dict[str, Any]:
    """A claims.yaml lookup expression."""
    return {"op": "lookup", "metric": metric, "partner": partner, "period": period}


def sum_expr(metric: str, partners: tuple[str, ...], period: str) -> dict[str, Any]:
    """A lookup for one partner, a sum for several."""
    if len(partners) == 1:
        return trade_expr(metric, partners[0], period)
    return {"op": "sum", "metric": metric, "partners": list(partners), "period": period}


def from_to(s: Statement) -> Statement:
    """'fell 93% from June 2024 to June 2025': the change of the last month over the first."""
    when = s.when
    if (
        when
        and when.kind == "months"
        and when.end
        and when.start[0] != when.end[0]
        and when.start[1] == when.end[1]
    ):
        return replace(s, when=When("month", when.end), baseline=When("month", when.start))
    return s


def months_of(when: When) -> tuple[tuple[int, int], tuple[int, int]]:
    """The first and last month of a period."""
    if when.kind == "month":
        return when.start, when.start
    if when.kind == "months" and when.end:
        return when.start, when.end
    return (when.start[0], 1), (when.start[0], 12)


def span_words(first: tuple[int, int], last: tuple[int, int]) -> str:
    """Months in words: "June 2024", "2024", "January–September 2024"."""
    if first == last:
        return f"{MONTHS[first[1] - 1]} {first[0]}"
    if first[1] == 1 and last[1] == 12:
        return str(first[0])
    return f"{MONTHS[first[1] - 1]}–{MONTHS[last[1] - 1]} {first[0]}"


def fiscal(year: int) -> tuple[str, str, str]:
    """The months of a U.S. fiscal year (October to September), and its name."""
    words = f"fiscal year {year} (October {year - 1} – September {year})"
    return f"{year - 1}-10", f"{year}-09", words


def encounters(series: str, start: str, end: str) -> dict[str, Any]:
    """A claims.yaml sum of a monthly encounter series."""
    return {"op": "series_sum", "series": series, "from": start, "to": end}


def ids(*values: Value) -> tuple[str, ...]:
    """The sources of some values, sorted."""
    return tuple(sorted(frozenset().union(*(v.sources for v in values))))
