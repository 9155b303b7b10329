"""Readings of trade statements: amounts, per-person figures, ratios, changes, shares, ranks
and comparisons, each computed from the Census figures in the store."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from facts.claims import ClaimDataMissing
from facts.extract import Statement, When
from facts.model import Verdict
from facts.readings import (
    FLOW,
    MARKETS,
    TRADE,
    CannotCheck,
    Figures,
    Reading,
    Readings,
    from_to,
    ids,
    months_of,
    span_words,
    sum_expr,
    trade_expr,
)
from facts.readings_border import encounter_change
from facts.tolerance import HUNDRED, greater
from facts.words import MONTHS


def amount(fig: Figures, s: Statement) -> Readings:
    """A dollar figure: one partner, several (summed) or all partners, a year or months."""
    if s.stated is None:
        raise CannotCheck("The text gives no figure to check, only an order of magnitude.")
    metric = s.metric if s.metric in TRADE else "total" if s.metric == "" else ""
    if not metric:
        raise CannotCheck(f"A dollar figure about {s.metric}: the store has none.")
    year, how = fig.trade_year(s)
    if s.when and s.when.kind == "months" and s.when.end:
        return [months_amount(fig, s, metric, s.when.start, s.when.end)]
    if s.when and s.when.kind == "month":
        y, m = s.when.start
        parts = [trade_expr(metric, p, f"{y}-{m:02d}") for p in s.partners or ("WORLD",)]
        period_words = f"{MONTHS[m - 1]} {y}"
    else:
        parts = [trade_expr(metric, p, str(year)) for p in s.partners or ("WORLD",)]
        period_words = f"calendar year {year}{how}"
    expr = sum_expr(metric, s.partners or ("WORLD",), parts[0]["period"])
    value = fig.evaluate(expr)
    names = fig.names(s.partners) if s.partners else "all partners"
    description = f"{FLOW[metric]} {names}, {period_words} (Census basis)"
    return [(fig.compare(s, description, value.value, "USD", value.sources), expr)]


def months_amount(
    fig: Figures, s: Statement, metric: str, first: tuple[int, int], last: tuple[int, int]
) -> tuple[Reading, dict[str, Any] | None]:
    """A dollar figure over months of one year, summed from the monthly data."""
    if not s.partners or first[0] != last[0]:
        raise CannotCheck("Trade over a range of months is checked for named partners only.")
    total, sources = Decimal(0), set()
    for month in range(first[1], last[1] + 1):
        for partner in s.partners:
            value = fig.evaluate(trade_expr(metric, partner, f"{first[0]}-{month:02d}"))
            total += value.value
            sources |= value.sources
    span = f"{MONTHS[first[1] - 1]}–{MONTHS[last[1] - 1]} {first[0]}"
    description = f"{FLOW[metric]} {fig.names(s.partners)}, {span} (Census basis)"
    return fig.compare(s, description, total, "USD", frozenset(sources)), None


def per_capita(fig: Figures, s: Statement) -> Readings:
    """Dollars per person: trade divided by World Bank population."""
    if not s.partners:
        raise CannotCheck("A per-person figure without a country named.")
    year, how = fig.trade_year(s, population=True)
    metric = s.metric if s.metric in ("exports", "imports", "total") else "exports"
    expr = {
        "op": "per_capita",
        "metric": metric,
        "partners": list(s.partners),
        "period": str(year),
    }
    value = fig.evaluate(expr)
    description = (
        f"{FLOW[metric]} {fig.names(s.partners)} per person (÷ World Bank population), {year}{how}"
    )
    return [(fig.compare(s, description, value.value, "USD per person", value.sources), expr)]


def ratio(fig: Figures, s: Statement) -> Readings:
    """ "2.3 times more than China": one side divided by the other."""
    if not s.partners or not s.others:
        raise CannotCheck("A ratio without the two partners it compares.")
    metric = s.metric if s.metric in TRADE else "exports"
    year, how = fig.trade_year(s)
    top = sum_expr(metric, s.partners, str(year))
    bottom = sum_expr(metric, s.others, str(year))
    expr = {"op": "ratio", "numerator": top, "denominator": bottom}
    value = fig.evaluate(expr)
    description = (
        f"{FLOW[metric]} {fig.names(s.partners)} ÷ the same for {fig.names(s.others)}, {year}{how}"
    )
    return [(fig.compare(s, description, value.value, "x", value.sources), expr)]


def change(fig: Figures, s: Statement) -> Readings:
    """A % change against a base year or month (or the same months a year earlier)."""
    if s.metric == "encounters":
        return encounter_change(fig, s)
    if s.metric not in TRADE or not s.partners:
        raise CannotCheck("A percentage change of a figure the text does not tie to the data.")
    metric, partner = s.metric, s.partners[0]
    s = from_to(s)
    when = s.when or When("year", (fig.trade_year(s)[0], 1))
    first, last = months_of(when)
    if first[0] != last[0]:
        raise CannotCheck("A change over months of two years: check each year instead.")
    if s.baseline and s.baseline.kind == "month" and first == last:
        base_first = base_last = s.baseline.start
    else:
        year = s.baseline.start[0] if s.baseline and s.baseline.start[0] else first[0] - 1
        base_first, base_last = (year, first[1]), (year, last[1])
    now = fig.trade_months(metric, partner, first, last)
    then = fig.trade_months(metric, partner, base_first, base_last)
    change = (now.value - then.value) / abs(then.value) * HUNDRED
    what = f"{span_words(first, last)} against {span_words(base_first, base_last)}"
    description = f"Change in {FLOW[metric]} {fig.names((partner,))}, {what}"
    return [(fig.compare(s, description, change, "%", now.sources | then.sources), None)]


def share(fig: Figures, s: Statement) -> Readings:
    """A partner's % of the flow with all partners in a year."""
    if s.metric not in TRADE or s.metric == "balance" or len(s.partners) != 1:
        raise CannotCheck("A percentage the text does not tie to a figure the store holds.")
    if s.when and s.when.kind == "months":
        raise CannotCheck("A share of part of a year: the store holds world totals by year.")
    year, how = fig.trade_year(s)
    part = fig.evaluate(trade_expr(s.metric, s.partners[0], str(year)))
    world = fig.store.trade_world(s.metric, year)
    if world is None:
        raise ClaimDataMissing(f"{s.metric} with all partners in {year}")
    share = part.value / world.value * HUNDRED
    description = (
        f"{FLOW[s.metric]} {fig.names(s.partners)} as a share of all partners, {year}{how}"
    )
    return [(fig.compare(s, description, share, "%", part.sources), None)]


def rank(fig: Figures, s: Statement) -> Readings:
    """Where a partner ranks among U.S. markets, suppliers or trading partners."""
    if not s.partners:
        raise CannotCheck("A rank without the country it ranks.")
    metric = rank_metric(s.clause, s.metric)
    year, how = fig.trade_year(s)
    expr = {"op": "rank", "metric": metric, "partner": s.partners[0], "period": str(year)}
    value = fig.evaluate(expr)
    description = (
        f"{fig.names(s.partners[:1])}'s rank among U.S. {MARKETS[metric]} by value,"
        f" {year}{how} (1 = largest)"
    )
    verdict: Verdict = "supported" if value.value == s.stated else "not_supported"
    reading = Reading(description, verdict, value.value, "rank", "the same rank", ids(value))
    return [(reading, expr)]


def comparison(fig: Figures, s: Statement) -> Readings:
    """ "More than X and Y combined" or "than the next 10": the two sums."""
    if not s.partners or (not s.others and not s.next_n) or s.metric not in TRADE:
        raise CannotCheck("A comparison whose two sides the text does not name.")
    metric = s.metric
    year, how = fig.trade_year(s)
    left = sum_expr(metric, s.partners, str(year))
    if s.next_n:
        first = len(s.partners) + 1
        right: dict[str, Any] = {
            "op": "ranked_sum",
            "metric": metric,
            "period": str(year),
            "from": first,
            "to": first + s.next_n - 1,
        }
        other = f"the next {s.next_n} {MARKETS[metric]} (#{first}–#{first + s.next_n - 1})"
    else:
        right, other = sum_expr(metric, s.others, str(year)), fig.names(s.others)
    mine, theirs = fig.evaluate(left), fig.evaluate(right)
    verdict, tolerance = greater(mine.value, theirs.value)
    description = f"{FLOW[metric]} {fig.names(s.partners)} against {other}, {year}{how}"
    reading = Reading(
        description,
        verdict,
        mine.value,
        "USD",
        tolerance,
        ids(mine, theirs),
        compared_to=theirs.value,
    )
    return [(reading, left)]


def rank_metric(clause: str, metric: str) -> str:
    """What a rank ranks: suppliers are imports, partners total trade, else exports."""
    if re.search(r"\b(supplier|source|proveedor)", clause):
        return "imports"
    if re.search(r"\b(trading partner|socio comercial|partner)\b", clause) and metric != "exports":
        return "total"
    return metric if metric in ("exports", "imports", "total") else "exports"
