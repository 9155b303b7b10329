"""One figure of any series over a span of months: trade, population, encounters, seizures.

Every operation reads its figures through here, so a period works the same for every metric:
a year, a month, a quarter, a fiscal year, year to date, a partial year (marked as such).
"""

from __future__ import annotations

from decimal import Decimal

from facts.model import Derived, Fact, NoData, Period
from facts.periods import Month, Span, month_words, resolve, years_in
from facts.store import FactStore
from facts.words import HUNDRED, SERIES_WORDS, figure_period_words

TRADE_METRICS = ("exports", "imports", "balance", "total")
SERIES_METRICS = ("encounters", "seizures")  # monthly CBP series, published by fiscal year


def coverage(store: FactStore, metric: str, subject: str) -> tuple[Month, Month, str]:
    """First and last month a series has, and what to call its data in a refusal."""
    cov = store.coverage
    if metric in TRADE_METRICS:
        return (cov.trade_years[0], 1), cov.trade_latest_month, "Census trade data"
    if metric == "population":
        years = cov.population_years
        return (years[0], 1), (years[1], 12), "World Bank population data"
    if metric == "encounters":
        months = cov.encounter_months[subject]
        return months[0], months[1], f"Data on {SERIES_WORDS[subject]}"
    return cov.seizure_months[0], cov.seizure_months[1], "CBP drug seizure data"


def span_for(store: FactStore, metric: str, subject: str, period: Period | None) -> Span:
    """The span a period asks for, within the series' coverage (refused with it otherwise)."""
    first, last, what = coverage(store, metric, subject)
    if metric == "population" and (period is None or period.kind == "latest"):
        return Span((last[0], 1), (last[0], 12))
    if metric in TRADE_METRICS and period is None:  # "mexico exports": the latest full year
        return resolve(Period("latest", None, (0, 0)), first, last, what)
    return resolve(period, first, last, what)


def spans_for(store: FactStore, metric: str, subject: str, period: Period | None) -> list[Span]:
    """One span per year of a range (for trends), within the series' coverage."""
    first, last, what = coverage(store, metric, subject)
    return years_in(period, first, last, what)


def figure(store: FactStore, metric: str, subject: str, span: Span, drug: str = "") -> Fact:
    """The figure of one series over a span; NoData when the store lacks part of it."""
    fact = _figure(store, metric, subject, span, drug)
    if fact is None:
        name = "all partners" if subject == "WORLD" else store.label(subject)
        raise NoData(
            f"The data have no {metric} figure for {name} for every month of"
            f" {month_words(span.start)} – {month_words(span.end)}"
            " (it may not have been a separate partner then)."
        )
    return Fact(
        fact.metric,
        fact.partner,
        span.key,
        fact.value,
        fact.unit,
        fact.source_id,
        fact.label,
        span.note or fact.note,
    )


def _figure(store: FactStore, metric: str, subject: str, span: Span, drug: str) -> Fact | None:
    if metric in TRADE_METRICS:
        # A whole year, or January to the latest month published: the annual table holds the
        # published totals (which can differ from the sum of rounded months by $100,000).
        if (span.whole_year and not span.partial) or (span.partial and span.start[1] == 1):
            year = span.start[0]
            if subject == "WORLD":
                fact = store.trade_world(metric, year)
            else:
                fact = store.trade_year(metric, subject, year)
            if fact is None or bool(fact.note) == span.partial:  # the same months
                return fact
        return store.trade_range(metric, subject, span.start, span.end)
    if metric == "population":
        if not span.whole_year:
            raise NoData("World Bank population figures are by calendar year.")
        return store.population(subject, span.start[0])
    if metric == "encounters":
        months = store.encounters(subject, span.start, span.end)
        if len(months) != span.months:
            return None
        total = sum((m.value for m in months), Decimal(0))
        return Fact(
            "encounters", subject, span.key, total, "encounters", months[-1].source_id,
            months[-1].label,
        )  # fmt: skip
    return store.seizures(drug, span.start, span.end)


def monthly(store: FactStore, metric: str, subject: str, drug: str = "") -> list[Fact]:
    """Every month of a series in the store, oldest first (for records over time)."""
    first, last, _ = coverage(store, metric, subject)
    if metric == "encounters":
        return store.encounters(subject, first, last)
    if metric in TRADE_METRICS:
        return store.trade_months(metric, subject)
    if metric == "seizures":
        return store.seizures_by_month(drug)
    raise NoData("World Bank population figures are annual: ask for the highest year.")


def year_ago(fact: Fact, before: Fact) -> list[Derived]:
    """The lines comparing a figure with the same period a year earlier (none from a zero)."""
    if not before.value:
        return []
    words = figure_period_words(before.period)
    change = (fact.value - before.value) / abs(before.value) * HUNDRED
    return [
        Derived("previous", before.value, f"a year earlier, {words}", fact.unit),
        Derived("change_pct", change, f"vs {words}", "%"),
    ]
