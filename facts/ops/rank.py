"""RANK and RANK_OF: the top partners in a year, or where one partner ranks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import span_for
from facts.model import Answer, Derived, Fact, NoData, Period, Query
from facts.numbers import amount
from facts.ops.common import answer, localise, name, related_claims, t, value_words
from facts.ops.common import markets as markets_in
from facts.ops.takeaway import GLANCE, said
from facts.words import HUNDRED, market_word

RANKED = ("exports", "imports", "total", "balance")


def full_year(ctx: Context, query: Query) -> int:
    """The calendar year a ranking is for: the one asked, or the latest full year."""
    period = query.period or Period("latest", None, (0, 0))
    if period.kind == "latest":
        period = Period("latest", None, (0, 0))
    if period.kind != "year" and period.end != (0, 0):
        raise NoData(
            "Rankings are by calendar year: ask e.g. 'top 10 export markets 2024'.",
            ("top 10 export markets 2024", "where does mexico rank 2025"),
        )
    span = span_for(ctx.store, "exports", "WORLD", period)
    if span.partial:
        raise NoData(
            f"{span.start[0]} is not complete in the data ({span.note}); rankings use full"
            f" years, up to {span.start[0] - 1}.",
            (f"top 10 export markets {span.start[0] - 1}",),
        )
    return span.start[0]


def ranking(ctx: Context, query: Query, year: int) -> list[Fact]:
    """Every country by the metric (or per person), largest first."""
    metric = query.metric if query.metric in RANKED else "exports"
    facts = ctx.store.ranking(metric, year)
    if not query.per_capita:
        return facts
    per_person = []
    for fact in facts:
        people = ctx.store.population(fact.partner, year)
        if people is not None and people.value:
            value = fact.value / people.value
            per_person.append(Fact(fact.metric, fact.partner, fact.period, value,
                                   "USD per person", fact.source_id, fact.label))  # fmt: skip
    return sorted(per_person, key=lambda f: (-f.value, f.partner))


def rank(query: Query, ctx: Context) -> Answer:
    """The top N partners (any N, up to every partner) and their share of the total."""
    year = full_year(ctx, query)
    ordered = ranking(ctx, query, year)
    if not ordered:
        raise NoData(f"No ranking for {year}.")
    top = tuple(ordered[: query.top_n])
    derived: tuple[Derived, ...] = ()
    if not query.per_capita and query.metric != "balance":
        everyone = sum((f.value for f in ordered), Decimal(0))
        share = sum((f.value for f in top), Decimal(0)) / everyone * HUNDRED
        derived = (Derived("share_pct", share, f"top {len(top)} share of all partner countries",
                           "%"),)  # fmt: skip
    claims = related_claims(ctx, "rank", query.metric, (), str(year))
    lang = query.lang
    top = localise(ctx, lang, top)
    per = t(lang, " per person", " por persona") if query.per_capita else ""
    markets = market_word(query.metric)
    leader, n = top[0], len(top)
    title = f"Top {n} U.S. {markets}{per}, {year}: {leader.label} first, {value_words(leader)}"
    if lang == "es":
        title = (
            f"Los {n} principales {markets_in(query.metric, 'es')}{per}, {year}:"
            f" {leader.label} en primer lugar, {value_words(leader, lang)}"
        )
    if n == len(ordered) and n > 1:
        title = t(lang, f"All {n} U.S. {markets}{per} ranked, {year}: {leader.label} first",
                  f"Los {n} {markets_in(query.metric, 'es')}{per}, {year}: {leader.label}"
                  " en primer lugar")  # fmt: skip
    takeaway = ""
    if n > 1:
        second = value_words(top[1], lang)
        takeaway = t(
            lang, f"{top[1].label} second, {second}", f"{top[1].label} en segundo, {second}"
        )
    if derived:
        pct = language.amount(derived[0].value, "%", lang)
        takeaway += t(lang, f" · the top {n} take {pct} of the total",
                      f" · los {n} primeros suman el {pct} del total")  # fmt: skip
    result = answer(ctx, "rank", query, "", top, said(derived, "share_pct"), claims, title)
    shown = top[:GLANCE] if len(top) > GLANCE else ()
    return replace(result, takeaway=takeaway, glance=shown, chart="bar")


def rank_of(query: Query, ctx: Context) -> Answer:
    """One partner's place, and the partners just ahead and behind."""
    year = full_year(ctx, query)
    ordered = ranking(ctx, query, year)
    partner = query.partners[0]
    positions = {f.partner: i for i, f in enumerate(ordered, start=1)}
    if partner not in positions:
        raise NoData(f"{name(ctx, partner)} is not ranked among countries in {year}.")
    position = positions[partner]
    fact = ordered[position - 1]
    markets = f"U.S. {market_word(query.metric)}{' per person' if query.per_capita else ''}"
    facts = [fact]
    derived = [Derived("rank", Decimal(position), f"among {len(ordered)} {markets}, {year}")]
    if position > 1:
        above = ordered[position - 2]
        facts.append(above)
        derived.append(Derived("gap", above.value - fact.value,
                               f"behind {above.label} (#{position - 1})", fact.unit))  # fmt: skip
    if position < len(ordered):
        below = ordered[position]
        facts.append(below)
        derived.append(Derived("lead", fact.value - below.value,
                               f"ahead of {below.label} (#{position + 1})", fact.unit))  # fmt: skip
    claims = related_claims(ctx, "rank_of", query.metric, (partner,), str(year))
    title = f"{fact.label} is #{position} among {markets}, {year} ({amount(fact.value, fact.unit)})"
    takeaway = " · ".join(
        f"{amount(d.value, d.unit)} {d.label}" for d in derived if d.name in ("gap", "lead")
    )
    lang = query.lang
    if lang == "es":
        facts = list(localise(ctx, lang, facts))
        here = facts[0]
        title = (
            f"{here.label} ocupa el lugar #{position} entre los {markets_in(query.metric, 'es')},"
            f" {year} ({language.amount(here.value, here.unit, lang)})"
        )
        takeaway = _neighbours_es(facts, derived, position)
    result = answer(ctx, "rank", query, "", tuple(facts), said(derived, "rank", "gap", "lead"),
                    claims, title)  # fmt: skip
    return replace(result, takeaway=takeaway)


def _neighbours_es(facts: list[Fact], derived: list[Derived], position: int) -> str:
    """ "US$16.1 mil millones detrás de Canadá (#1) · ... delante de China (#3)"."""
    parts, others = [], iter(facts[1:])
    for d in derived:
        if d.name in ("gap", "lead"):
            other = next(others)
            where = "detrás de" if d.name == "gap" else "delante de"
            at = position - 1 if d.name == "gap" else position + 1
            parts.append(f"{language.amount(d.value, d.unit, 'es')} {where} {other.label} (#{at})")
    return " · ".join(parts)
