"""Words of the border answers: labels, the "Understood" line, headlines, refusals' words.

Shared by facts.border_figures and facts.ops.border; no figures are read here beyond names.
"""

from __future__ import annotations

from facts.context import Context
from facts.model import Derived, Fact, Op, Query
from facts.numbers import amount, pct2
from facts.periods import Span, month_words
from facts.store_border import MODE_LABELS, citizenship_label
from facts.words import SERIES_WORDS, figure_period_words

FLOW = {
    "exports": "U.S. exports to {}",
    "imports": "U.S. imports from {}",
    "total": "U.S. trade with {}",
    "balance": "U.S. trade balance with {}",
}

WHAT = {
    "state": "U.S. states",
    "port": "Texas ports on the Mexican border",
    "mode": "transport modes",
    "commodity": "commodity groups (HS sections)",
    "mexstate": "Mexican states of destination",
    "duties": "countries by calculated duties",
    "citizenship": "citizenships",
}

RATE_WORDS = "effective tariff rate, % (calculated duties ÷ imports for consumption)"


def refused_words(ctx: Context, query: Query) -> str:
    """What was understood of a question the border data cannot serve (for "no data")."""
    words = ", ".join(f"“{w}”" for w in query.not_used)
    if query.op != Op.REFUSE:  # understood, but the store lacks the figure
        return understood(ctx, query, "").rsplit(", the latest period in the data", 1)[0]
    if query.refusal == "unknown_word":
        return f"{understood(ctx, query, '')} — with {words}, which I can't use"
    return f"a question with {words}, which the border data in the store cannot serve"


def understood(ctx: Context, query: Query, period: str) -> str:
    """What was understood, in words, naming the dimension and its keys."""
    when = figure_period_words(period) if period else "the latest period in the data"
    keys = " and ".join(key_name(ctx, query, k) for k in query.keys)
    if query.dimension == "duties":
        what = "effective tariff rate (calculated duties ÷ imports for consumption)"
        if query.metric == "duties":
            what = "calculated duties (tariffs) collected"
        subject = f"{what} on imports from {keys or 'each country'}"
    elif query.dimension == "citizenship":
        subject = f"{SERIES_WORDS[query.partners[0]]}, citizens of {keys or 'each country'}"
    else:
        flow = FLOW[query.metric].format(partner_name(ctx, query.partners[0]))
        subject = f"{flow} by {query.dimension.replace('mexstate', 'Mexican state')}"
        if keys:
            subject += f": {keys}"
        if query.mode:
            subject += f", by {MODE_LABELS[query.mode]}"
    doing = {
        Op.RANK: f"{subject}, ranked",
        Op.RANK_OF: f"{subject}, its rank",
        Op.COMPARE: f"{subject}, compared",
        Op.COMPARE_PERIODS: f"{subject}, one year against another",
        Op.SUM: f"{subject}, added up",
        Op.SHARE: f"{subject}, as a share of the whole",
        Op.TREND: f"{subject}, over time",
        Op.EXTREME: f"{subject}, its {'lowest' if query.extreme == 'min' else 'highest'} year",
    }.get(query.op, subject)
    return f"{doing}, {when}"


def headline(query: Query, fact: Fact, derived: list[Derived]) -> str:
    """The answer in one line; a rate question leads with the rate."""
    when = figure_period_words(fact.period)
    note = f" ({fact.note})" if fact.note and query.dimension in ("duties", "citizenship") else ""
    rate = [d for d in derived if d.name == "duty_rate_pct"]
    if query.metric == "duty_rate" and rate:
        partner = fact.label.rsplit(" from ", 1)[-1]
        return (
            f"Effective tariff rate on imports from {partner}, {when}{note}: {pct2(rate[0].value)}"
        )
    return f"{fact.label}, {when}{note}: {amount(fact.value, fact.unit)}"


def long_label(ctx: Context, query: Query, key: str, short: str) -> str:
    """A key's figure in full: "Texas exports to Mexico", "Laredo port: ..."."""
    if query.dimension == "citizenship":
        return f"{SERIES_WORDS[query.partners[0]]}, citizens of {short}"
    flow = FLOW[query.metric].format(partner_name(ctx, query.partners[0]))
    if query.dimension == "state":
        words = {"exports": "exports to", "imports": "imports from", "total": "trade with",
                 "balance": "trade balance with"}[query.metric]  # fmt: skip
        label = f"{short} {words} {partner_name(ctx, query.partners[0])}"
    elif query.dimension == "port":
        label = f"{short} port: {flow}"
    elif query.dimension == "mode":
        label = f"{flow} by {short}"
    elif query.dimension == "commodity":
        label = f"{short}: {flow}"
    else:
        label = f"U.S. exports to {short} (Mexican state)"
    if query.mode:
        label += f", by {MODE_LABELS[query.mode]}"
    return label


def key_of(fact: Fact) -> str:
    """The key a fact is about: "TX", "2304", "truck", "MEX" (a duty's partner)."""
    return fact.dimension.split(":", 1)[1] if fact.dimension else fact.partner


def short(fact: Fact) -> str:
    """A fact's key in a few words: "Texas", "Laredo port", "Canada"."""
    if fact.dimension.startswith("mode:"):
        return fact.label.rsplit(" by ", 1)[-1]
    if fact.dimension:
        return fact.label.split(":")[0].split(" exports to")[0].split(" imports from")[0]
    return fact.label.rsplit(" from ", 1)[-1]


def partner_name(ctx: Context, code: str) -> str:
    """A partner's name ("all countries" for WORLD)."""
    return "all countries" if code == "WORLD" else ctx.store.label(code)


def key_name(ctx: Context, query: Query, key: str) -> str:
    """The name of a key of a dimension ("TX" -> "Texas")."""
    if query.dimension in ("duties", "citizenship"):
        return partner_name(ctx, key)
    names = ctx.store.border.names.get(query.dimension, {})
    return MODE_LABELS.get(key, key) if query.dimension == "mode" else names.get(key, key)


def ranked_words(ctx: Context, query: Query) -> str:
    """What a ranking of the dimension ranks, in words."""
    if query.dimension == "duties":
        return "countries by calculated duties"
    if query.dimension == "citizenship":
        return f"citizenships, {SERIES_WORDS[query.partners[0]]}"
    flow = FLOW[query.metric].format(partner_name(ctx, query.partners[0]))
    return f"{WHAT[query.dimension]} by {flow}"


def missing(ctx: Context, query: Query, key: str, span: Span) -> str:
    """Why one key has no figure, and what the data list instead."""
    if query.dimension == "citizenship":
        named = ctx.store.border.citizenships[query.partners[0]]
        listed = ", ".join(citizenship_label(c, n) for c, n in named.items() if c != "OTHER")
        return (
            f"CBP does not list {partner_name(ctx, key)} separately in this series: it is counted"
            f" in 'other citizenships'. Listed: {listed}."
        )
    return f"No TransBorder figure for {key_name(ctx, query, key)} in {span_words(span)}."


def span_words(span: Span) -> str:
    """A span in words: "2024", "June 2025 – August 2025"."""
    if span.whole_year:
        return str(span.start[0])
    return f"{month_words(span.start)} – {month_words(span.end)}"


def examples(query: Query) -> tuple[str, ...]:
    """Questions that work for the dimension, for a refusal's suggestions."""
    return {
        "state": ("texas exports to mexico 2024", "which u.s. states export the most to mexico"),
        "port": ("laredo trade 2024", "top texas border ports 2024"),
        "mode": ("rail exports to mexico 2025", "truck imports from mexico march 2025"),
        "commodity": ("machinery exports to mexico 2024", "what does the u.s. sell to mexico"),
        "mexstate": ("u.s. exports to nuevo leon 2024", "top mexican states for u.s. exports"),
        "duties": ("tariffs on chinese imports 2025", "effective tariff rate on mexico june 2025"),
        "citizenship": ("mexican nationals encountered fy2024", "top nationalities of encounters"),
    }.get(query.dimension, ("help",))
