"""Which op-ed claims a question is about, by what the claims' checks measure (no parsing here).

Each claim's check (every reading of it) and anchored context is reduced to `Measure`s: the kind
of expression, the metric, the partners and the period it measures. A question's meaning (its
operation, metric, partners and period) is then matched against them, so that a claim is shown
only beside an answer that measures the same thing: a question about 2025 never gets a claim
about 2024.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from facts.store import ClaimRow

# The kinds of claim expression that measure what each question operation asks.
ANSWERED_BY: dict[str, frozenset[str]] = {
    "lookup": frozenset({"lookup", "rank", "low_rank_since", "change_vs_average", "series_sum"}),
    "share": frozenset({"lookup", "rank"}),
    "compare": frozenset({"ratio"}),
    "sum": frozenset({"sum"}),
    "per_capita": frozenset({"per_capita", "per_capita_each"}),
    "rank": frozenset({"rank", "ranked_sum"}),
    "rank_of": frozenset({"rank"}),
    "lowest": frozenset({"low_rank_since"}),  # a record low over time ("extreme", min)
    "highest": frozenset(),  # no claim states a record high
    "seizures": frozenset({"series_sum"}),
}
# Kinds whose period is a span: they concern a question whose period overlaps it.
_SPANS = frozenset({"series_sum"})
# A stated figure agrees with a restatement's figure within this share of it.
_SAME_FIGURE = Decimal("0.1")


@dataclass(frozen=True)
class Measure:
    """One quantity a claim's check measures."""

    claim_id: str
    kind: str  # the expression: lookup, ratio, sum, ranked_sum, per_capita, rank, ...
    metrics: frozenset[str]  # exports; a ranked sum also has the metric it ranks by
    partners: frozenset[str]  # ISO3 codes, series ids or a drug; empty for a ranked sum
    period: str  # "2024", "2025-06", "2025-02..2025-09"
    stated: Decimal | None  # the claim's own figure, and its unit
    unit: str


def measures(claims: Iterable[ClaimRow]) -> tuple[Measure, ...]:
    """What every claim measures, in the order of the claims (computed once per store)."""
    out: list[Measure] = []
    for claim in claims:
        for expr in _measured(claim.check, claim.context):
            kind, metrics, partners, period = _measure(expr)
            out.append(
                Measure(
                    claim.id,
                    kind,
                    metrics,
                    partners,
                    period,
                    claim.stated_value,
                    claim.stated_unit,
                )
            )
    return tuple(out)


def related_claims(
    known: Sequence[Measure], metric: str, partners: Iterable[str], period: str, op: str
) -> tuple[str, ...]:
    """Ids of the claims whose checks measure what a question asks, in claim order.

    metric: exports, imports, balance, total, population, encounters, seizures;
    partners: ISO3 codes, an encounter series id or a drug; period: "2024", "2025-06",
    "2024-01..2024-08" ("" for all periods, with a record); op: the question's operation
    (a key of ANSWERED_BY; any other operation has no related claims).
    """
    kinds = ANSWERED_BY.get(str(op), frozenset())
    asked = frozenset(partners)
    found: dict[str, None] = {}
    for m in known:
        if m.kind in kinds and metric in m.metrics and _same_thing(m, asked, period, str(op)):
            found[m.claim_id] = None
    return tuple(found)


def _same_thing(m: Measure, asked: frozenset[str], period: str, op: str) -> bool:
    if op == "rank":  # a ranking asks about every partner
        return m.period == period
    if op == "per_capita":  # one of the partners per person is part of the claim's group
        return bool(asked) and asked <= m.partners and m.period == period
    if m.partners != asked:
        return False
    if op in ("lowest", "highest"):  # a record over a span: the claim's month must lie in it
        return not period or overlaps(m.period, period)
    if m.kind in _SPANS:
        return overlaps(m.period, period)
    return m.period == period


def restated_claims(
    known: Sequence[Measure],
    metric: str,
    partners: Iterable[str],
    period: str = "",
    number: Decimal | None = None,
    unit: str = "",
    op: str = "",
) -> tuple[str, ...]:
    """Ids of the claims a yes/no question restates, best match first.

    The question's meaning: metric and partners as in related_claims, its period if it names
    one, the figure it states with its unit ("x", "%", "USD", "USD per person", "kg",
    "years"...), and its operation if known. A claim is restated when one of its measures has
    the same metric and partners, a period that overlaps, and (when both give one) the same
    unit and a figure within 10% of the claim's own. Claims whose figure the question states
    come first, then those measured the way `op` asks, then those of the very period named.
    """
    asked = frozenset(partners)
    scores: dict[str, tuple[int, int, int]] = {}
    for m in known:
        if metric not in m.metrics or m.partners != asked or not asked:
            continue
        if period and not overlaps(m.period, period):
            continue
        if unit and m.unit and unit != m.unit:
            continue
        same_figure = number is not None and m.stated is not None and _agrees(number, m.stated)
        if number is not None and m.stated is not None and not same_figure:
            continue
        score = (int(same_figure), int(m.kind in ANSWERED_BY.get(op, ())), int(m.period == period))
        scores[m.claim_id] = max(score, scores.get(m.claim_id, (0, 0, 0)))
    order = {claim_id: place for place, claim_id in enumerate(scores)}
    return tuple(sorted(scores, key=lambda c: (tuple(-x for x in scores[c]), order[c])))


def _agrees(said: Decimal, stated: Decimal) -> bool:
    """The same figure, whatever its sign ("90% below" may come as 90 or -90)."""
    said, stated = abs(Decimal(said)), abs(stated)
    return abs(said - stated) <= _SAME_FIGURE * stated


def _measured(
    check: dict[str, Any] | None, context: tuple[dict[str, Any], ...]
) -> list[dict[str, Any]]:
    """The expressions a claim measures: both sides of every reading, and anchored context."""
    exprs: list[dict[str, Any]] = []
    for reading in (check.get("readings") or [check]) if check else []:
        exprs.append(reading["left"])
        if isinstance(reading.get("right"), dict):
            exprs.append(reading["right"])
    return exprs + [c["expr"] for c in context if c.get("anchor")]


def same_measure(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two check expressions measure the same thing (whatever span they rank over)."""
    return _measure(a) == _measure(b)


def _measure(expr: dict[str, Any]) -> tuple[str, frozenset[str], frozenset[str], str]:
    """(kind, metrics, partners, period) of one expression."""
    op = expr["op"]
    if op in ("ratio", "times_more"):
        op = "ratio"  # the same two partners compared, read either way
        parts = (expr["numerator"], expr["denominator"])
        return (
            op,
            frozenset({parts[0]["metric"]}),
            frozenset(p["partner"] for p in parts),
            str(parts[0]["period"]),
        )
    if op in ("lookup", "rank"):
        return op, frozenset({expr["metric"]}), frozenset({expr["partner"]}), str(expr["period"])
    if op in ("sum", "per_capita", "per_capita_each"):
        partners = frozenset(expr["partners"])
        return op, frozenset({expr["metric"]}), partners, str(expr["period"])
    if op == "ranked_sum":
        metrics = frozenset({expr["metric"], expr.get("rank_by", expr["metric"])})
        return op, metrics, frozenset(), str(expr["period"])
    if op in ("change_vs_average", "low_rank_since"):
        return op, frozenset({"encounters"}), frozenset({expr["series"]}), str(expr["period"])
    if op == "series_sum" and "drug" in expr:
        span = f"{expr['from']}..{expr['to']}"
        return op, frozenset({"seizures"}), frozenset({expr["drug"]}), span
    if op == "series_sum":
        span = f"{expr['from']}..{expr['to']}"
        return op, frozenset({"encounters"}), frozenset({expr["series"]}), span
    raise ValueError(f"unknown claim expression op {op!r}")


def overlaps(a: str, b: str) -> bool:
    """Whether two periods ("2024", "2025-06", "2025-02..2025-09") share any month."""
    a0, a1 = _bounds(a)
    b0, b1 = _bounds(b)
    return a0 <= b1 and b0 <= a1


def _bounds(period: str) -> tuple[str, str]:
    """First and last month of a period, as sortable "YYYY-MM" strings."""
    first, _, last = period.partition("..")
    last = last or first
    return (first if len(first) > 4 else f"{first}-01"), (last if len(last) > 4 else f"{last}-12")
