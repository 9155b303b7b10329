"""What the operations share: names, sources, the "Understood" line, headlines, year-ago change."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from facts.context import Context
from facts.figures import TRADE_METRICS, figure
from facts.model import Answer, AnswerKind, ClaimCheck, Derived, Fact, Query, Source
from facts.numbers import amount
from facts.periods import Span
from facts.related import overlaps
from facts.words import HUNDRED, METRIC_WORDS, SERIES_WORDS, figure_period_words, market_word

_HEADLINE_WORDS = {
    "exports": "U.S. exports to {}",
    "imports": "U.S. imports from {}",
    "balance": "U.S. trade balance with {}",
    "total": "U.S. trade with {}",
    "population": "Population of {}",
    "seizures": "CBP seizures of {}",
}


def name(ctx: Context, code: str) -> str:
    """A partner's common English name ("MEX" -> "Mexico")."""
    return "all partners" if code == "WORLD" else ctx.store.label(code)


def sources(ctx: Context, ids: Iterable[str]) -> tuple[Source, ...]:
    """The sources of these ids, each once, in order; the op-ed (no URL) last."""
    known = ctx.store.sources
    unique = [i for i in dict.fromkeys(ids) if i in known]
    return tuple(known[i] for i in sorted(unique, key=lambda i: known[i].url is None))


def what(fact: Fact) -> str:
    """What a figure measures: "U.S. exports to Mexico", "CBP encounters nationwide"."""
    label = fact.label.lower() if fact.metric == "seizures" else fact.label
    return _HEADLINE_WORDS.get(fact.metric, "{}").format(label)


def value_words(fact: Fact) -> str:
    """A figure for reading; a balance as a deficit or a surplus."""
    if fact.metric == "balance":
        side = "deficit" if fact.value < 0 else "surplus"
        return f"{side} of {amount(abs(fact.value), fact.unit)}"
    return amount(fact.value, fact.unit)


def headline(fact: Fact) -> str:
    """ "U.S. exports to Mexico, 2024: $334.5 billion" (a partial period says so)."""
    note = f" ({fact.note})" if fact.note else ""
    return f"{what(fact)}, {figure_period_words(fact.period)}{note}: {value_words(fact)}"


def understood(ctx: Context, query: Query, resolved: str = "") -> str:
    """What was understood, in words, naming every dimension used (never echoes the user)."""
    names = " and ".join(name(ctx, p) for p in query.partners) or "all partners"
    when = figure_period_words(resolved) if resolved else "the latest period in the data"
    if query.metric in METRIC_WORDS:
        subject = f"{METRIC_WORDS[query.metric]} {names}"
        if query.per_capita:
            subject += ", per person"
    elif query.metric == "encounters":
        subject = SERIES_WORDS[query.partners[0]] if query.partners else "CBP encounters"
    elif query.metric == "seizures":
        subject = f"CBP seizures of {query.drug or 'all drugs'}"
    elif query.metric == "population":
        subject = f"population of {names}"
    else:
        subject = "your question"
    doing = {
        "rank": f"the top {query.top_n} U.S. {market_word(query.metric)}",
        "rank_of": f"where {names} ranks among U.S. {market_word(query.metric)}",
        "compare": f"{subject}, compared",
        "compare_periods": f"{subject}, one period against another",
        "sum": f"{subject}, added up",
        "share": f"{subject}, as a share of all partners",
        "trend": f"{subject}, over time",
        "extreme": f"the {'highest' if query.extreme == 'max' else 'lowest'} {subject}",
    }.get(query.op, subject)
    return f"{doing}, {when}"


def answer(
    ctx: Context,
    kind: AnswerKind,
    query: Query,
    text: str,
    facts: tuple[Fact, ...],
    derived: tuple[Derived, ...] = (),
    claims: tuple[ClaimCheck, ...] = (),
    headline_text: str = "",
    related: tuple[Fact, ...] = (),
    resolved: str = "",
) -> Answer:
    """An Answer whose sources are those of its figures, then those of its claims."""
    ids = [f.source_id for f in (*facts, *related)] + [s for c in claims for s in c.source_ids]
    return Answer(
        kind=kind,
        understood=understood(ctx, query, resolved or (facts[0].period if facts else "")),
        question=text,
        facts=facts,
        derived=derived,
        sources=sources(ctx, ids),
        claims=claims,
        headline=headline_text or (headline(facts[0]) if facts else ""),
        related=related,
    )


def change(ctx: Context, fact: Fact, span: Span, drug: str = "") -> list[Derived]:
    """The figure against the same months a year earlier (none if those are not in the store)."""
    if fact.metric == "population":
        return []
    earlier_span = span.year_earlier()
    try:
        before = figure(ctx.store, fact.metric, fact.partner, earlier_span, drug)
    except Exception:  # noqa: BLE001 - a missing year-ago figure only drops the change line
        return []
    if not before.value:
        return []
    label = figure_period_words(before.period)
    return [
        Derived("previous", before.value, f"a year earlier, {label}", fact.unit),
        Derived("change_pct", (fact.value - before.value) / abs(before.value) * HUNDRED,
                f"vs {label}", "%"),
    ]  # fmt: skip


def rank_extra(ctx: Context, fact: Fact) -> list[Derived]:
    """Where a partner ranked among all partners that calendar year."""
    if fact.metric not in ("exports", "imports", "total") or not fact.period.isdigit():
        return []
    if fact.partner == "WORLD" or fact.note:
        return []
    for position, other in enumerate(ctx.store.ranking(fact.metric, int(fact.period)), start=1):
        if other.partner == fact.partner:
            words = f"among U.S. {market_word(fact.metric)}, {fact.period}"
            return [Derived("rank", Decimal(position), words)]
    return []


_WANTED = {
    "lookup": {"lookup", "rank", "low_rank_since", "change_vs_average"},
    "rank_of": {"rank"},
    "compare": {"ratio"},
    "sum": {"sum"},
    "per_capita": {"per_capita"},
    "rank": {"rank", "ranked_sum"},
    "seizures": {"series_sum"},
}


def related_claims(
    ctx: Context, kind: str, metric: str, partners: tuple[str, ...], period: str
) -> tuple[ClaimCheck, ...]:
    """Claims whose check measures the same thing as the answer: metric, partners and period."""
    found = []
    for row in ctx.claims:
        for op, e_metric, e_partners, e_period in ctx.anchors[row.id]:
            if op not in _WANTED[kind] or e_metric != metric:
                continue
            if kind == "seizures":
                hit = e_partners == set(partners) and overlaps(e_period, period)
            elif kind == "rank":
                hit = e_period == period
            elif kind == "per_capita":
                hit = set(partners) <= e_partners and e_period == period
            else:
                hit = e_partners == set(partners) and e_period == period
            if hit:
                found.append(ctx.checks[row.id])
                break
    return tuple(found)


def is_trade(metric: str) -> bool:
    """True for the four Census trade metrics."""
    return metric in TRADE_METRICS
