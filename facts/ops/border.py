"""The operations over a border dimension: U.S. states, Texas ports, transport modes, commodity
groups and Mexican states (BTS TransBorder), calculated duties, and encounters by citizenship.

One function per operation, as in facts.ops; `BORDER_ANSWER` is their table. Every answer says
its basis: TransBorder's first-release values, the surface-mode coverage of the Mexican-state
and commodity tables, duties on imports for consumption, and the caveats a figure touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from facts.border_figures import (
    change,
    companions,
    coverage_share,
    every,
    extras,
    one,
    rates_of,
    span_of,
    spans_of,
    whole_of,
)
from facts.border_text import (
    FLOW,
    WHAT,
    examples,
    headline,
    key_of,
    missing,
    partner_name,
    ranked_words,
    short,
    span_words,
    understood,
)
from facts.context import Context
from facts.model import Answer, AnswerKind, Derived, Fact, NoData, Op, Period, Query
from facts.numbers import amount, pct2
from facts.ops.common import sources
from facts.ops.lookup import lookup_takeaway
from facts.ops.takeaway import said
from facts.words import HUNDRED, figure_period_words


def lookup(query: Query, ctx: Context) -> Answer:
    """One key's figure, its change on a year earlier, and what the figure covers."""
    key = query.keys[0]
    span = span_of(ctx, query)
    fact = one(ctx, query, key, span)
    derived = change(ctx, query, key, span, fact) + extras(ctx, query, key, span, fact)
    facts = (fact, *companions(ctx, query, key, span))
    shown = said(derived, "previous", "change_pct")  # the takeaway says them in words
    result = _answer(ctx, "lookup", query, facts, list(shown), headline(query, fact, derived))
    return replace(result, takeaway=lookup_takeaway(fact, derived))


def compare(query: Query, ctx: Context) -> Answer:
    """Two or more keys in one period: the figures, their ratio and difference."""
    span = span_of(ctx, query)
    facts = tuple(one(ctx, query, k, span) for k in query.keys)
    first, second = facts[0], facts[1]
    derived = []
    if second.value:
        derived.append(Derived("ratio", first.value / second.value,
                               f"{short(first)} ÷ {short(second)}", "x"))  # fmt: skip
    derived.append(Derived("difference", first.value - second.value,
                           f"{short(first)} − {short(second)}", first.unit))  # fmt: skip
    title = (
        f"{first.label}, {figure_period_words(first.period)}: {amount(first.value, first.unit)}"
        f" vs {short(second)} {amount(second.value, second.unit)}"
    )
    rates = rates_of(ctx, query, facts)
    return _answer(ctx, "compare", query, facts, derived + rates, title)


def total(query: Query, ctx: Context) -> Answer:
    """Keys added up (the parts of one table, so nothing counts twice)."""
    span = span_of(ctx, query)
    facts = tuple(one(ctx, query, k, span) for k in query.keys)
    summed = sum((f.value for f in facts), Decimal(0))
    names = " + ".join(short(f) for f in facts)
    derived = [Derived("sum", summed, names, facts[0].unit)]
    title = f"{names}, {figure_period_words(facts[0].period)}: {amount(summed, facts[0].unit)}"
    return _answer(ctx, "sum", query, facts, derived, title)


def share(query: Query, ctx: Context) -> Answer:
    """One key's part of the whole it belongs to, on the same basis."""
    span = span_of(ctx, query)
    fact = one(ctx, query, query.keys[0], span)
    whole = whole_of(ctx, query, span)
    pct = fact.value / whole.value * HUNDRED if whole.value else Decimal(0)
    derived = [Derived("share_pct", pct, f"{short(fact)}'s share of {whole.label}", "%")]
    derived += extras(ctx, query, query.keys[0], span, fact)
    title = (
        f"{short(fact)}: {amount(pct, '%')} of {whole.label},"
        f" {figure_period_words(fact.period)} ({amount(fact.value, fact.unit)} of"
        f" {amount(whole.value, whole.unit)})"
    )
    return _answer(ctx, "share", query, (fact, whole), derived, title)


def rank(query: Query, ctx: Context) -> Answer:
    """The top N keys of the dimension, and their share of all."""
    span = span_of(ctx, query)
    ordered = every(ctx, query, span)
    if not ordered:
        raise NoData(f"No figures for {WHAT[query.dimension]} in {span_words(span)}.")
    top = tuple(ordered[: query.top_n])
    everyone = sum((f.value for f in ordered), Decimal(0))
    derived = []
    if everyone:
        part = sum((f.value for f in top), Decimal(0)) / everyone * HUNDRED
        derived.append(Derived("share_pct", part, f"top {len(top)} share of all listed", "%"))
    derived += extras(ctx, query, "", span, top[0])
    title = f"Top {len(top)} {ranked_words(ctx, query)}, {figure_period_words(top[0].period)}"
    if query.dimension == "port":
        title = f"Texas ports on the Mexican border by {FLOW[query.metric].format('Mexico')}"
        title += f", {figure_period_words(top[0].period)}"
    return _answer(ctx, "rank", query, top, derived, title)


def rank_of(query: Query, ctx: Context) -> Answer:
    """Where one key ranks within its dimension."""
    span = span_of(ctx, query)
    ordered = every(ctx, query, span)
    positions = {key_of(f): i for i, f in enumerate(ordered, 1)}
    key = query.keys[0]
    if key not in positions:
        raise NoData(missing(ctx, query, key, span), examples(query))
    position = positions[key]
    fact = ordered[position - 1]
    among = f"among {len(ordered)} {ranked_words(ctx, query)}, {fact.period}"
    derived = [Derived("rank", Decimal(position), among)]
    title = f"{short(fact)} is #{position} among {ranked_words(ctx, query)}, {fact.period}"
    return _answer(
        ctx, "rank", query, (fact,), derived, f"{title} ({amount(fact.value, fact.unit)})"
    )


def trend(query: Query, ctx: Context) -> Answer:
    """One key each year (or month, for up to two years), with its growth."""
    key = query.keys[0]
    facts = []
    for span in spans_of(ctx, query):
        try:
            facts.append(one(ctx, query, key, span))
        except NoData:
            continue
    if len(facts) < 2:
        raise NoData("Fewer than two periods of data for that.", examples(query))
    derived = []
    first, last = facts[0], facts[-1]
    if first.value and not last.note:
        change = (last.value - first.value) / abs(first.value) * HUNDRED
        derived.append(Derived("change_pct", change, f"{first.period} to {last.period}", "%"))
    title = (
        f"{first.label}, {figure_period_words(first.period)} to {figure_period_words(last.period)}"
    )
    when = f"{figure_period_words(first.period)} to {figure_period_words(last.period)}"
    return _answer(ctx, "trend", query, tuple(facts), derived, title, when)


def extreme(query: Query, ctx: Context) -> Answer:
    """The highest or lowest year (or month) of one key."""
    key = query.keys[0]
    spans = spans_of(ctx, query, all_years=True)
    facts = []
    for span in spans:
        try:
            facts.append(one(ctx, query, key, span))
        except NoData:
            continue
    whole = [f for f in facts if not f.note]
    if not whole:
        raise NoData("No complete periods of data for that.", examples(query))
    pick = min if query.extreme == "min" else max
    best = pick(whole, key=lambda f: (f.value, f.period))
    word = "lowest" if query.extreme == "min" else "highest"
    title = (
        f"{best.label}: {word} in {figure_period_words(best.period)},"
        f" {amount(best.value, best.unit)} (of {len(whole)} periods,"
        f" {figure_period_words(whole[0].period)} to {figure_period_words(whole[-1].period)})"
    )
    return _answer(ctx, "extreme", query, (best,), [], title)


def compare_periods(query: Query, ctx: Context) -> Answer:
    """One key in two years: both figures, the difference and the change."""
    assert query.period and query.period.start and query.period.end
    key = query.keys[0]
    years = (query.period.start[0], query.period.end[0])
    spans = [span_of(ctx, query, Period("year", (y, 1))) for y in years]
    if any(s.partial for s in spans):
        raise NoData("One of those years is not complete in the data.", examples(query))
    facts = tuple(one(ctx, query, key, s) for s in spans)
    first, second = facts
    derived = [Derived("difference", second.value - first.value, f"{years[1]} − {years[0]}",
                       first.unit)]  # fmt: skip
    if first.value:
        derived.append(Derived("change_pct", (second.value - first.value) / abs(first.value)
                               * HUNDRED, f"from {years[0]} to {years[1]}", "%"))  # fmt: skip
    rates = rates_of(ctx, query, facts)
    title = (
        f"{first.label}: {amount(first.value, first.unit)} in {years[0]} vs"
        f" {amount(second.value, second.unit)} in {years[1]}"
    )
    if query.metric == "duty_rate" and len(rates) == 2:
        title = (
            f"Effective tariff rate on imports from {partner_name(ctx, key)}:"
            f" {pct2(rates[0].value)} in {years[0]} vs {pct2(rates[1].value)} in {years[1]}"
        )
    return _answer(
        ctx, "compare", query, facts, derived + rates, title, f"{years[0]} vs {years[1]}"
    )


def refuse(query: Query, ctx: Context) -> Answer:
    """What the border data cannot serve, and what the store has instead; never a figure."""
    word = query.not_used[0] if query.not_used else ""
    words = ", ".join(f"“{w}”" for w in query.not_used)
    reason = _REFUSALS.get(query.refusal, _UNKNOWN_WORD).format(w=word, words=words)
    raise NoData(reason, _REFUSAL_EXAMPLES.get(query.refusal, examples(query)))


BORDER_ANSWER: dict[Op, Callable[[Query, Context], Answer]] = {
    Op.LOOKUP: lookup,
    Op.COMPARE: compare,
    Op.COMPARE_PERIODS: compare_periods,
    Op.SUM: total,
    Op.SHARE: share,
    Op.RANK: rank,
    Op.RANK_OF: rank_of,
    Op.TREND: trend,
    Op.EXTREME: extreme,
    Op.REFUSE: refuse,
}

_REFUSALS = {
    "other_partner": "TransBorder has U.S. states' trade with Mexico and Canada only, not with"
    " “{w}”. The store has each state's exports to and imports from Mexico and Canada, by mode.",
    "state_world": "TransBorder has U.S. states' trade with Mexico and Canada only, not the trade"
    " of “{w}” with every country. Ask for its trade with Mexico or Canada.",
    "other_port": "The store has the 12 Texas ports on the Mexican border (Laredo, Ysleta,"
    " Hidalgo/Pharr, El Paso, Eagle Pass, Brownsville, Del Rio, Progreso, Rio Grande City, Roma,"
    " Presidio, Fabens), not “{w}”.",
    "port_partner": "The Texas port figures are U.S.–Mexico trade only, not trade with “{w}”.",
    "product": "The store has no single products such as “{w}”: U.S. exports to Mexico are in 22"
    " commodity groups (HS sections), by surface modes with a recorded Mexican state only.",
    "product_tariff": "The store has calculated duties by country and month, not by product"
    " (“{w}”): no product-level tariff rates.",
    "commodity_imports": "Commodity groups (“{w}”) are in the store for U.S. exports to Mexico"
    " only, not for imports. The store has imports by partner, U.S. state, port and mode.",
    "commodity_partner": "Commodity groups (“{w}”) are in the store for U.S. exports to Mexico"
    " only, not for Canada or other partners.",
}

_UNKNOWN_WORD = (
    "I can't use {words} in that question, and I won't answer a broader question in its place."
)

_REFUSAL_EXAMPLES = {
    "other_partner": ("texas exports to mexico 2024", "michigan imports from canada 2024"),
    "state_world": ("texas exports to mexico 2024", "texas exports to canada 2024"),
    "other_port": ("top texas border ports 2024", "laredo trade 2024"),
    "port_partner": ("laredo trade 2024", "top texas border ports 2024"),
    "product": ("what does the u.s. sell to mexico 2024", "machinery exports to mexico 2024"),
    "product_tariff": ("tariffs on chinese imports 2025", "effective tariff rate on mexico 2025"),
    "commodity_imports": ("machinery exports to mexico 2024", "mexico imports 2024"),
    "commodity_partner": ("machinery exports to mexico 2024", "canada exports 2024"),
}


def _answer(
    ctx: Context,
    kind: AnswerKind,
    query: Query,
    facts: tuple[Fact, ...],
    derived: list[Derived],
    title: str,
    period: str = "",
) -> Answer:
    # Goods and Mexican-state figures always say how much of all exports the tables cover.
    covered = any(d.name == "covered_pct" for d in derived)
    if query.dimension in ("commodity", "mexstate") and facts and not covered:
        derived = derived + coverage_share(ctx, int(facts[-1].period[:4]))
    return Answer(
        kind=kind,
        understood=understood(ctx, query, period or (facts[0].period if facts else "")),
        facts=facts,
        derived=tuple(derived),
        sources=sources(ctx, [f.source_id for f in facts]),
        headline=title,
    )
