"""SHARE: one or more partners' part of U.S. trade with all partners."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import figure, span_for
from facts.model import Answer, Derived, Query
from facts.numbers import amount
from facts.ops.common import answer, localise, name, related_claims
from facts.ops.compare import refuse_groups
from facts.ops.takeaway import said
from facts.words import HUNDRED, figure_period_words

_FLOW_WORDS = {
    "exports": "U.S. exports",
    "imports": "U.S. imports",
    "total": "U.S. trade",
    "balance": "the U.S. trade balance",
}
_FLOW_WORDS_ES = {
    "exports": "las exportaciones de EE. UU.",
    "imports": "las importaciones de EE. UU.",
    "total": "el comercio de EE. UU.",
    "balance": "la balanza comercial de EE. UU.",
}


def share(query: Query, ctx: Context) -> Answer:
    """The partners' figure (added up when several) as a percentage of all partners'."""
    refuse_groups(ctx, query.partners)
    span = span_for(ctx.store, query.metric, query.partners[0], query.period)
    facts = tuple(figure(ctx.store, query.metric, p, span) for p in query.partners)
    world = figure(ctx.store, query.metric, "WORLD", span)
    part = sum((f.value for f in facts), Decimal(0))
    names = " + ".join(name(ctx, p) for p in query.partners)
    derived = []
    if len(facts) > 1:
        derived.append(Derived("sum", part, names, "USD"))
    pct = part / world.value * HUNDRED if world.value else Decimal(0)
    derived.append(Derived("share_pct", pct, f"{names}'s share of all partners", "%"))
    claims = related_claims(ctx, "lookup", query.metric, query.partners, facts[0].period)
    flows = _FLOW_WORDS[query.metric]
    title = f"{names}'s share of {flows}, {figure_period_words(world.period)}: {amount(pct, '%')}"
    takeaway = f"{amount(part, 'USD')} of {amount(world.value, 'USD')} with all partners"
    lang = query.lang
    if lang == "es":
        names = " + ".join(name(ctx, p, lang) for p in query.partners)
        title = (
            f"Parte de {names} en {_FLOW_WORDS_ES[query.metric]},"
            f" {language.period(world.period, lang)}: {language.amount(pct, '%', lang)}"
        )
        takeaway = (
            f"{language.amount(part, 'USD', lang)} de {language.amount(world.value, 'USD', lang)}"
            " con todos los socios"
        )
    every = localise(ctx, lang, (*facts, world))
    result = answer(ctx, "share", query, "", every, said(derived, "share_pct"), claims, title)
    return replace(result, takeaway=takeaway, chart="bar")
