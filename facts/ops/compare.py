"""COMPARE, COMPARE_PERIODS and SUM: partners side by side, one figure in two periods, a total."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import figure, span_for
from facts.model import Answer, Derived, Fact, Lang, NoData, Period, Query
from facts.numbers import amount
from facts.ops.common import answer, localise, name, related_claims, t, value_words, what
from facts.ops.lookup import subject_of
from facts.ops.per_capita import per_capita
from facts.ops.takeaway import change_words, said
from facts.words import HUNDRED


def compare(query: Query, ctx: Context) -> Answer:
    """Two or more partners in one period: the figures, their ratio and difference."""
    if query.per_capita:
        return per_capita(query, ctx)
    span = span_for(ctx.store, query.metric, query.partners[0], query.period)
    facts = tuple(figure(ctx.store, query.metric, p, span) for p in query.partners)
    first, second = facts[0], facts[1]
    derived = []
    if second.value and query.metric != "balance":
        derived.append(Derived("ratio", first.value / second.value,
                               f"{first.label} ÷ {second.label}", "x"))  # fmt: skip
    derived.append(
        Derived("difference", first.value - second.value, f"{first.label} − {second.label}",
                first.unit)
    )  # fmt: skip
    claims = related_claims(ctx, "compare", query.metric, query.partners, first.period)
    lang = query.lang
    facts = localise(ctx, lang, facts)
    first, second = facts[0], facts[1]
    when = language.period(first.period, lang)
    title = (
        f"{what(first, lang)}, {when}: {value_words(first, lang)} vs {second.label}"
        f" {value_words(second, lang)}"
    )
    result = answer(ctx, "compare", query, "", facts, said(derived, "ratio", "difference"), claims,
                    title)  # fmt: skip
    return replace(result, takeaway=_versus(first, second, derived, lang), chart="bar")


def _versus(first: Fact, second: Fact, derived: list[Derived], lang: Lang = "en") -> str:
    """ "Mexico: 2.33× China, $191.2 billion more"."""
    gap = first.value - second.value
    if first.metric == "balance":
        one, other = value_words(first, lang), value_words(second, lang)
        return t(lang, f"{first.label}: a {one}; {second.label}: a {other}",
                 f"{first.label}: un {one}; {second.label}: un {other}")  # fmt: skip
    size = language.amount(abs(gap), first.unit, lang)
    more = f"{size} {t(lang, 'more', 'más') if gap >= 0 else t(lang, 'less', 'menos')}"
    ratio = next((d for d in derived if d.name == "ratio"), None)
    if lang == "es" and ratio is None:
        return f"{first.label}: {more} que {second.label}"
    if lang == "es" and ratio is not None:
        return f"{first.label}: {language.amount(ratio.value, 'x', lang)} {second.label}, {more}"
    if ratio is None:
        return f"{first.label}: {more} than {second.label}"
    return f"{first.label}: {amount(ratio.value, 'x')} {second.label}, {more}"


def compare_periods(query: Query, ctx: Context) -> Answer:
    """One partner or series in two years: both figures, the difference and the change."""
    assert query.period and query.period.start and query.period.end
    subject = subject_of(query)
    years = (query.period.start[0], query.period.end[0])
    spans = [span_for(ctx.store, query.metric, subject, Period("year", (y, 1))) for y in years]
    if any(s.partial for s in spans):
        raise NoData(
            "One of those years is not complete in the data; compare the same months instead,"
            " e.g. 'mexico exports ytd 2026'."
        )
    facts = tuple(figure(ctx.store, query.metric, subject, s, query.drug) for s in spans)
    first, second = facts
    derived = [Derived("difference", second.value - first.value, f"{years[1]} − {years[0]}",
                       first.unit)]  # fmt: skip
    if first.value:
        change = (second.value - first.value) / abs(first.value) * HUNDRED
        derived.append(Derived("change_pct", change, f"from {years[0]} to {years[1]}", "%"))
    lang = query.lang
    first, second = localise(ctx, lang, facts)
    title = t(lang, f"{what(first)}: {value_words(first)} in {years[0]} vs {value_words(second)}"
              f" in {years[1]}", f"{what(first, lang)}: {value_words(first, lang)} en {years[0]} vs"
              f" {value_words(second, lang)} en {years[1]}")  # fmt: skip
    pct = derived[-1].value if len(derived) > 1 else None
    takeaway = change_words(second, first.value, pct, str(years[0]), str(years[1]), lang)
    shown = said(derived, "difference", "change_pct")
    resolved = f"{years[0]}-01..{years[1]}-12"
    result = answer(ctx, "compare", query, "", (first, second), shown, (), title, resolved=resolved)
    return replace(result, takeaway=takeaway, chart="bar")


def total(query: Query, ctx: Context) -> Answer:
    """Partners added up (never a group with its members: they would count twice)."""
    refuse_groups(ctx, query.partners)
    if query.per_capita:
        return per_capita(query, ctx)
    span = span_for(ctx.store, query.metric, query.partners[0], query.period)
    facts = tuple(figure(ctx.store, query.metric, p, span) for p in query.partners)
    summed = sum((f.value for f in facts), Decimal(0))
    lang = query.lang
    names = " + ".join(name(ctx, p, lang) for p in query.partners)
    derived = (Derived("sum", summed, names, "USD"),)
    claims = related_claims(ctx, "sum", query.metric, query.partners, facts[0].period)
    facts = localise(ctx, lang, facts)
    flow = what(facts[0], lang).replace(facts[0].label, names)
    when = language.period(facts[0].period, lang)
    title = f"{flow}, {when}: {language.amount(summed, 'USD', lang)}"
    return answer(ctx, "sum", query, "", facts, derived, claims, title)


def refuse_groups(ctx: Context, partners: tuple[str, ...]) -> None:
    """NoData when partners mix a group (NAFTA, EU) with other partners."""
    groups = [p for p in partners if ctx.store.countries[p].kind == "aggregate"]
    if groups and len(partners) > 1:
        group = name(ctx, groups[0])
        raise NoData(
            f"{group} is a group of countries in the Census data; adding it to other partners"
            " could count the same trade twice. Ask for each separately.",
            tuple(f"{name(ctx, p).lower()} exports 2024" for p in partners[:2]),
        )
