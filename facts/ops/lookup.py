"""LOOKUP: one figure of one partner or series in one period, with its year-ago change."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.expressions import KG_PER_LB
from facts.figures import SERIES_METRICS, figure, span_for
from facts.model import Answer, ClaimCheck, Derived, Fact, Lang, NoData, Query
from facts.ops.common import (
    answer,
    change,
    is_trade,
    localise,
    markets,
    rank_extra,
    related_claims,
)
from facts.ops.per_capita import per_capita
from facts.ops.takeaway import change_words, find, said
from facts.periods import Span, fiscal_year
from facts.words import figure_period_words


def subject_of(query: Query) -> str:
    """The partner or series a one-subject question is about ("WORLD": all partners)."""
    if query.metric == "seizures":
        return query.drug or "all"
    if query.partners:
        return query.partners[0]
    if query.metric == "population":
        raise NoData(
            "Name a country, e.g. 'population of mexico 2024'.",
            ("population of mexico 2024", "mexico exports per person 2024"),
        )
    return "WORLD"


def lookup(query: Query, ctx: Context) -> Answer:
    """The figure asked for, its change on the same months a year earlier and its rank."""
    if query.per_capita:
        return per_capita(query, ctx)
    subject = subject_of(query)
    span = span_for(ctx.store, query.metric, subject, query.period)
    fact = figure(ctx.store, query.metric, subject, span, query.drug)
    derived = change(ctx, fact, span, query.drug) + rank_extra(ctx, fact)
    facts: tuple[Fact, ...] = (fact,)
    if query.metric in ("balance", "total") and subject != "WORLD":
        # A balance or a total is read with the two flows it is made of.
        facts += tuple(figure(ctx.store, m, subject, span) for m in ("exports", "imports"))
    if query.metric == "seizures":
        derived.append(Derived("kg", fact.value * KG_PER_LB, "in kilograms", "kg"))
    if query.metric in SERIES_METRICS and span.whole_year and not span.partial:
        derived += _fiscal_beside(ctx, query, subject, span)
    claims: tuple[ClaimCheck, ...] = ()
    if is_trade(query.metric) or query.metric in SERIES_METRICS:
        kind = "seizures" if query.metric == "seizures" else "lookup"
        partners = (query.drug,) if query.metric == "seizures" else (subject,)
        claims = related_claims(ctx, kind, query.metric, partners, fact.period)
    facts = localise(ctx, query.lang, facts)
    shown = said(derived, "previous", "change_pct", "rank")
    result = answer(ctx, "lookup", query, "", facts, shown, claims)
    return replace(result, takeaway=lookup_takeaway(facts[0], derived, query.lang))


def lookup_takeaway(fact: Fact, derived: list[Derived], lang: Lang = "en") -> str:
    """ "Up 3.1% from 2023 ($324.4 billion) · #2 among U.S. export markets, 2024"."""
    parts = []
    before, pct = find(derived, "previous"), find(derived, "change_pct")
    if before is not None:
        earlier = [f for f in before.label.split(", ", 1) if f][-1]  # "a year earlier, 2023"
        when = period_of(fact, lang, earlier)
        parts.append(change_words(fact, before.value, pct.value if pct else None, when, "", lang))
    position = find(derived, "rank")
    if position is not None and lang == "es":
        parts.append(f"#{position.value:.0f} entre los {markets(fact.metric, 'es')}, {fact.period}")
    elif position is not None:
        parts.append(f"#{position.value:.0f} {position.label}")
    return " · ".join(parts)


def period_of(fact: Fact, lang: Lang, english: str) -> str:
    """The year-ago period in the answer's language (the English words are kept as they are)."""
    if lang == "en":
        return english
    key = fact.period
    if ".." in key:  # the same months a year earlier
        first, last = key.split("..")
        key = f"{int(first[:4]) - 1}{first[4:]}..{int(last[:4]) - 1}{last[4:]}"
    elif key.startswith("FY"):
        key = f"FY{int(key[2:]) - 1}"
    else:
        key = f"{int(key[:4]) - 1}{key[4:]}"
    return language.period(key, lang)


def _fiscal_beside(ctx: Context, query: Query, subject: str, span: Span) -> list[Derived]:
    """CBP totals its series by fiscal year: a calendar-year answer shows that figure too."""
    fiscal = fiscal_year(span.start[0])
    try:
        fact = figure(ctx.store, query.metric, subject, fiscal, query.drug)
    except NoData:
        return []
    label = f"{figure_period_words(fact.period)}, as CBP totals it"
    return [Derived("fiscal_year", Decimal(fact.value), label, fact.unit)]
