"""Evaluate the op-ed's claims against the store: each verdict is computed, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from facts.model import ClaimCheck, Derived, Verdict
from facts.store import ClaimRow, FactStore

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


def check_claim(store: FactStore, claim: ClaimRow) -> ClaimCheck:
    """Compute the verdict of one claim from the store, with the numbers behind it."""
    context = tuple(_context(store, item) for item in claim.context)
    sources = {claim.source_id}
    for item in claim.context:
        sources |= evaluate(store, item["expr"]).sources
    base: dict[str, Any] = {
        "id": claim.id,
        "number": claim.number,
        "topic": claim.topic,
        "paraphrase": claim.paraphrase,
        "stated": claim.stated_value,
        "stated_text": claim.stated_text,
        "unit": claim.stated_unit,
        "context": context,
    }
    if claim.check is None:
        return ClaimCheck(
            verdict="unverifiable",
            computed=None,
            why=claim.unverifiable or "",
            source_ids=tuple(sorted(sources)),
            **base,
        )
    check = claim.check
    try:
        left = evaluate(store, check["left"])
        right_spec = check["right"]
        right = (
            evaluate(store, right_spec)
            if isinstance(right_spec, dict)
            else Value(Decimal(str(right_spec)), left.unit, frozenset())
        )
    except ClaimDataMissing as missing:
        return ClaimCheck(
            verdict="unverifiable",
            computed=None,
            why=f"The store lacks a figure it needs: {missing}.",
            source_ids=tuple(sorted(sources)),
            **base,
        )
    sources |= left.sources | right.sources
    verdict, difference = _verdict(check, left.value, right.value)
    base["unit"] = left.unit
    return ClaimCheck(
        verdict=verdict,
        computed=left.value,
        compared_to=right.value if isinstance(right_spec, dict) else None,
        difference_pct=difference,
        source_ids=tuple(sorted(sources)),
        **base,
    )


def _verdict(
    check: dict[str, Any], left: Decimal, right: Decimal
) -> tuple[Verdict, Decimal | None]:
    op = check["op"]
    difference = (left - right) / abs(right) * HUNDRED if right else None
    roughly = Decimal(str(check.get("roughly_pct", 0)))
    if op == "equal":
        return ("supported" if left == right else "not_supported"), difference
    if op == "greater":
        if left > right:
            return "supported", difference
        short = (right - left) / abs(right) * HUNDRED if right else HUNDRED
        return ("roughly" if short <= roughly else "not_supported"), difference
    # approx
    tolerance = Decimal(str(check.get("tolerance_pct", 0)))
    off = abs(difference) if difference is not None else HUNDRED
    if off <= tolerance:
        return "supported", difference
    return ("roughly" if off <= roughly else "not_supported"), difference


def _context(store: FactStore, item: dict[str, Any]) -> Derived:
    try:
        value = evaluate(store, item["expr"])
    except ClaimDataMissing:
        return Derived(
            "context", Decimal(0), " ".join(str(item["label"]).split()) + " (not in the store)"
        )
    return Derived("context", value.value, " ".join(str(item["label"]).split()), value.unit)


def evaluate(store: FactStore, expr: dict[str, Any]) -> Value:
    """Compute one expression of a claim check (see the header of data/claims.yaml)."""
    op = expr["op"]
    if op == "lookup":
        return _lookup(store, expr["metric"], expr["partner"], str(expr["period"]))
    if op == "sum":
        parts = [_lookup(store, expr["metric"], p, str(expr["period"])) for p in expr["partners"]]
        return _add(parts, parts[0].unit)
    if op == "ranked_sum":
        ranking = store.ranking(expr["metric"], int(expr["period"]))
        chosen = ranking[int(expr["from"]) - 1 : int(expr["to"])]
        if len(chosen) != int(expr["to"]) - int(expr["from"]) + 1:
            raise ClaimDataMissing(f"a ranking of {expr['metric']} in {expr['period']}")
        return Value(
            sum((f.value for f in chosen), Decimal(0)),
            "USD",
            frozenset(f.source_id for f in chosen),
        )
    if op == "ratio":
        top, bottom = evaluate(store, expr["numerator"]), evaluate(store, expr["denominator"])
        if not bottom.value:
            raise ClaimDataMissing("a non-zero denominator")
        return Value(top.value / bottom.value, "x", top.sources | bottom.sources)
    if op == "per_capita":
        period = str(expr["period"])
        trade = _add([_lookup(store, expr["metric"], p, period) for p in expr["partners"]], "USD")
        people = _add([_population(store, p, int(period)) for p in expr["partners"]], "people")
        return Value(trade.value / people.value, "USD per person", trade.sources | people.sources)
    if op == "rank":
        ranking = store.ranking(expr["metric"], int(expr["period"]))
        for position, fact in enumerate(ranking, start=1):
            if fact.partner == expr["partner"]:
                return Value(Decimal(position), "rank", frozenset({fact.source_id}))
        raise ClaimDataMissing(f"{expr['partner']} in the {expr['period']} ranking")
    if op == "change_vs_average":
        month = _month(expr["period"])
        target = _series(store, expr["series"], month, month)
        baseline = _series(store, expr["series"], _month(expr["from"]), _month(expr["to"]))
        average = sum((f.value for f in baseline), Decimal(0)) / len(baseline)
        sources = frozenset(f.source_id for f in (*target, *baseline))
        return Value((target[0].value - average) / average * HUNDRED, "%", sources)
    if op == "low_rank_since":
        month = _month(expr["period"])
        months = _series(store, expr["series"], _month(expr["since"]), month)
        value = months[-1].value
        lower = sum(1 for f in months[:-1] if f.value <= value)
        return Value(Decimal(lower + 1), "rank", frozenset(f.source_id for f in months))
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
        part, whole = evaluate(store, expr["part"]), evaluate(store, expr["whole"])
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
