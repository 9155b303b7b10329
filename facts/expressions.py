"""The expressions of a claim check, computed from the store (see data/claims.yaml's header)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from facts.model import Fact
from facts.store import FactStore
from facts.words import MONTHS

KG_PER_LB = Decimal("0.45359237")
HUNDRED = Decimal(100)


class ClaimDataMissing(Exception):
    """A figure a check needs is not in the store."""


@dataclass(frozen=True)
class Value:
    """A computed number, its unit and the sources it came from."""

    value: Decimal
    unit: str
    sources: frozenset[str]
    note: str = ""  # what else the figure shows, in words ("ranks 3–12 by exports: ...")


def evaluate(store: FactStore, expr: dict[str, Any], made: str | None = None) -> Value:
    """Compute one expression of a claim check (see the header of data/claims.yaml).

    `made` is the month the claim was made ("2025-07"), for expressions that look at the data
    as they stood then (`through: made`).
    """
    op = expr["op"]
    if op == "lookup":
        return _lookup(store, expr["metric"], expr["partner"], str(expr["period"]))
    if op == "sum":
        parts = [_lookup(store, expr["metric"], p, str(expr["period"])) for p in expr["partners"]]
        return _add(parts, parts[0].unit)
    if op == "ranked_sum":
        return _ranked_sum(store, expr)
    if op in ("ratio", "times_more"):
        top = evaluate(store, expr["numerator"], made)
        bottom = evaluate(store, expr["denominator"], made)
        if not bottom.value:
            raise ClaimDataMissing("a non-zero denominator")
        # times_more counts only what the numerator has on top of the denominator.
        excess = bottom.value if op == "times_more" else Decimal(0)
        return Value((top.value - excess) / bottom.value, "x", top.sources | bottom.sources)
    if op == "per_capita":
        return _per_capita(store, expr["metric"], expr["partners"], str(expr["period"]))
    if op == "per_capita_each":
        # Each partner on its own: the claim holds for all of them only if it holds for the
        # smallest, so that is the figure compared.
        each = [
            _per_capita(store, expr["metric"], [p], str(expr["period"])) for p in expr["partners"]
        ]
        note = ", ".join(
            f"{store.label(p)} ${v.value:,.0f}" for p, v in zip(expr["partners"], each, strict=True)
        )
        smallest = min(each, key=lambda v: v.value)
        sources = frozenset().union(*(v.sources for v in each))
        return Value(smallest.value, "USD per person", sources, f"each: {note}")
    if op == "rank":
        return _rank(store, expr)
    if op == "change_vs_average":
        month = _month(expr["period"])
        target = _series(store, expr["series"], month, month)
        baseline = _series(store, expr["series"], _month(expr["from"]), _month(expr["to"]))
        average = sum((f.value for f in baseline), Decimal(0)) / len(baseline)
        sources = frozenset(f.source_id for f in (*target, *baseline))
        return Value((target[0].value - average) / average * HUNDRED, "%", sources)
    if op == "low_rank_since":
        return _low_rank(store, expr, made)
    if op == "series_sum":
        start, end = _month(expr["from"]), _month(expr["to"])
        if "drug" in expr:
            seized = store.seizures(expr["drug"], start, end)
            if seized is None:
                raise ClaimDataMissing(f"{expr['drug']} seizures {expr['from']}–{expr['to']}")
            if expr.get("unit") == "kg":
                return Value(seized.value * KG_PER_LB, "kg", frozenset({seized.source_id}))
            return Value(seized.value, "lb", frozenset({seized.source_id}))
        months = _series(store, expr["series"], start, end)
        return Value(
            sum((f.value for f in months), Decimal(0)),
            "encounters",
            frozenset(f.source_id for f in months),
        )
    if op == "citizenship":
        return _citizenship(store, expr)
    if op == "bts":
        return _bts(store, expr)
    if op == "share":
        part, whole = evaluate(store, expr["part"], made), evaluate(store, expr["whole"], made)
        if not whole.value:
            raise ClaimDataMissing("a non-zero whole")
        return Value(part.value / whole.value * HUNDRED, "%", part.sources | whole.sources)
    raise ValueError(f"unknown claim expression op {op!r}")


def _citizenship(store: FactStore, expr: dict[str, Any]) -> Value:
    """Encounters of one citizenship ("" = all) in a series over from..to."""
    start, end = _month(expr["from"]), _month(expr["to"])
    facts = store.border.citizenship(expr["series"], start, end)
    wanted = str(expr.get("citizenship", ""))
    chosen = [f for f in facts if not wanted or f.dimension == f"citizenship:{wanted}"]
    if not chosen:
        raise ClaimDataMissing(f"{expr['series']} encounters by citizenship {start}..{end}")
    total = sum((f.value for f in chosen), Decimal(0))
    return Value(total, "encounters", frozenset(f.source_id for f in chosen))


def _bts(store: FactStore, expr: dict[str, Any]) -> Value:
    """TransBorder trade of one key of a cut ("" = the whole cut) in a year."""
    cut, key, year = expr["cut"], str(expr.get("key", "")), int(expr["period"])
    facts = store.border.cut_year(cut, expr["country"], expr["flow"], year)
    chosen = [f for f in facts if not key or f.dimension == f"{cut}:{key}"]
    if not chosen:
        raise ClaimDataMissing(f"TransBorder {cut} {key or 'total'} {year}")
    total = sum((f.value for f in chosen), Decimal(0))
    return Value(total, "USD", frozenset(f.source_id for f in chosen))


def _ranked_sum(store: FactStore, expr: dict[str, Any]) -> Value:
    """The metric summed over the partners ranked from..to by `rank_by` (default: the metric)."""
    year, first, last = int(expr["period"]), int(expr["from"]), int(expr["to"])
    rank_by = expr.get("rank_by", expr["metric"])
    chosen = store.ranking(rank_by, year)[first - 1 : last]
    if len(chosen) != last - first + 1:
        raise ClaimDataMissing(f"a ranking of {rank_by} in {year}")
    if rank_by == expr["metric"]:
        parts = [Value(f.value, "USD", frozenset({f.source_id})) for f in chosen]
    else:
        parts = [_lookup(store, expr["metric"], f.partner, str(year)) for f in chosen]
    names = ", ".join(f.label for f in chosen)
    by = {"exports": "exports", "imports": "imports", "total": "total trade"}[rank_by]
    return replace(_add(parts, "USD"), note=f"ranks {first}–{last} by {by}: {names}")


def _rank(store: FactStore, expr: dict[str, Any]) -> Value:
    """A partner's rank in a year, or in January..`through` of that year (1 = largest)."""
    year, partner, metric = int(expr["period"]), expr["partner"], expr["metric"]
    ranking = store.ranking(metric, year)
    if "through" in expr:
        return _rank_through(store, expr, ranking)
    for position, fact in enumerate(ranking, start=1):
        if fact.partner == partner:
            return Value(Decimal(position), "rank", frozenset({fact.source_id}))
    raise ClaimDataMissing(f"{partner} in the {year} ranking")


def _rank_through(store: FactStore, expr: dict[str, Any], ranking: list[Fact]) -> Value:
    # Only a partner whose whole year reaches this partner's January..through total can be
    # ahead of it over those months (flows are never negative): a handful of lookups, not a
    # ranking of every partner month by month.
    year, partner, metric = int(expr["period"]), expr["partner"], expr["metric"]
    last = int(str(expr["through"]).split("-")[1])
    mine = store.trade_ytd(metric, partner, year, last)
    if mine is None:
        raise ClaimDataMissing(f"{metric} for {partner}, January–{MONTHS[last - 1]} {year}")
    totals = {partner: mine.value}
    for rival in (f.partner for f in ranking if f.value >= mine.value and f.partner != partner):
        fact = store.trade_ytd(metric, rival, year, last)
        if fact is not None:
            totals[rival] = fact.value
    ordered = sorted(totals, key=lambda p: (-totals[p], p))
    note = f"January–{MONTHS[last - 1]} {year}; first: {store.label(ordered[0])}"
    position = ordered.index(partner) + 1
    return Value(Decimal(position), "rank", frozenset({mine.source_id}), note)


def _per_capita(store: FactStore, metric: str, partners: list[str], period: str) -> Value:
    trade = _add([_lookup(store, metric, p, period) for p in partners], "USD")
    people = _add([_population(store, p, int(period)) for p in partners], "people")
    return Value(trade.value / people.value, "USD per person", trade.sources | people.sources)


def _low_rank(store: FactStore, expr: dict[str, Any], made: str | None) -> Value:
    """1 if the month is the lowest of the series from `since` through `through`.

    since: a month, or "start" (where the series starts in the store: "on record").
    through: a month; "made" (the last month published when the claim was made, the month
    before `made`); "latest" (all the data in the store); by default the month itself.
    """
    series, month = expr["series"], _month(expr["period"])
    if series not in store.coverage.encounter_months:
        raise ClaimDataMissing(f"{series} encounters")
    first, last = store.coverage.encounter_months[series]
    since = first if expr.get("since", "start") == "start" else _month(expr["since"])
    through = expr.get("through")
    if through == "made":
        if made is None:
            raise ValueError("`through: made` needs the check's `made` month")
        year, number = _month(made)
        end = (year, number - 1) if number > 1 else (year - 1, 12)
    elif through == "latest":
        end = last
    else:
        end = _month(through) if through else month
    months = _series(store, series, since, end)
    value = next(f.value for f in months if f.period == expr["period"])
    lower = [
        f for f in months if f.value < value or (f.value == value and f.period != expr["period"])
    ]
    if since == first:
        span = f"on record, since the series starts in {_words(first)}, through {_words(end)}"
    else:
        span = f"from {_words(since)} through {_words(end)}"
    note = f"lowest among {len(months)} months {span}"
    if lower:
        lowest = min(lower, key=lambda f: f.value)
        note += f"; {_words(_month(lowest.period))} was lower ({lowest.value:,.0f} encounters)"
    return Value(Decimal(len(lower) + 1), "rank", frozenset(f.source_id for f in months), note)


def _words(month: tuple[int, int]) -> str:
    return f"{MONTHS[month[1] - 1]} {month[0]}"


def _lookup(store: FactStore, metric: str, partner: str, period: str) -> Value:
    if metric == "encounters":
        month = _month(period)
        facts = _series(store, partner, month, month)
        return Value(facts[0].value, "encounters", frozenset({facts[0].source_id}))
    if "-" in period:
        year, month_number = _month(period)
        fact = store.trade_month(metric, partner, year, month_number)
    else:
        fact = store.trade_year(metric, partner, int(period))
    if fact is None:
        raise ClaimDataMissing(f"{metric} for {partner} in {period}")
    return Value(fact.value, fact.unit, frozenset({fact.source_id}))


def _population(store: FactStore, partner: str, year: int) -> Value:
    fact = store.population(partner, year)
    if fact is None:
        raise ClaimDataMissing(f"population of {partner} in {year}")
    return Value(fact.value, "people", frozenset({fact.source_id}))


def _series(
    store: FactStore, series: str, start: tuple[int, int], end: tuple[int, int]
) -> list[Any]:
    facts = store.encounters(series, start, end)
    expected = (end[0] - start[0]) * 12 + end[1] - start[1] + 1
    if len(facts) != expected:
        raise ClaimDataMissing(
            f"{series} encounters for every month {start[0]}-{start[1]:02d}..{end[0]}-{end[1]:02d}"
        )
    return facts


def _add(values: list[Value], unit: str) -> Value:
    total = sum((v.value for v in values), Decimal(0))
    return Value(total, unit, frozenset().union(*(v.sources for v in values)))


def _month(text: str) -> tuple[int, int]:
    year, month = str(text).split("-")
    return int(year), int(month)
