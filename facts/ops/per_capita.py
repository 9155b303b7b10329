"""Exports or imports per person: trade ÷ World Bank population, each partner and pooled."""

from __future__ import annotations

from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import figure, span_for
from facts.model import Answer, AnswerKind, Derived, Fact, NoData, Period, Query
from facts.numbers import amount
from facts.ops.common import answer, localise, name, related_claims


def per_capita(query: Query, ctx: Context) -> Answer:
    """Each partner's figure per person, and the pooled figure of several partners."""
    if not query.partners:
        raise NoData(
            "Figures per person are for a partner country: name one.",
            ("exports per person mexico 2024", "top 10 exports per person 2024"),
        )
    store = ctx.store
    last_people = store.coverage.population_years[1]
    period = query.period or Period("year", (min(last_people, _last_full(ctx)), 1))
    span = span_for(store, query.metric, query.partners[0], period)
    if not span.whole_year or span.partial:
        raise NoData("Figures per person are by calendar year (population is annual).")
    year = span.start[0]
    facts: list[Fact] = []
    derived: list[Derived] = []
    for partner in query.partners:
        trade = figure(store, query.metric, partner, span)
        people = store.population(partner, year)
        if people is None:
            raise NoData(
                f"World Bank population data in the store end in {last_people}; no population"
                f" for {name(ctx, partner)} in {year}.",
                (f"exports per person mexico {last_people}", "per capita claim"),
            )
        facts += [trade, people]
        derived.append(
            Derived("per_capita", trade.value / people.value, f"{name(ctx, partner)}, per person",
                    "USD per person")
        )  # fmt: skip
    if len(query.partners) > 1:
        trade_sum = sum((f.value for f in facts if f.unit == "USD"), Decimal(0))
        people_sum = sum((f.value for f in facts if f.unit == "people"), Decimal(0))
        names = " + ".join(name(ctx, p) for p in query.partners)
        derived.append(
            Derived("per_capita", trade_sum / people_sum, f"{names} pooled, per person",
                    "USD per person")
        )  # fmt: skip
    claims = related_claims(ctx, "per_capita", query.metric, query.partners, str(year))
    top = derived[-1]
    flow = "exports to" if query.metric == "exports" else f"{query.metric} with"
    title = f"U.S. {flow} {top.label}, {year}: {amount(top.value, top.unit)}"
    if query.lang == "es":
        names = " + ".join(name(ctx, p, "es") for p in query.partners)
        flow = (
            "Exportaciones de EE. UU. a" if query.metric == "exports" else "Comercio de EE. UU. con"
        )
        each = "por persona" if len(query.partners) == 1 else "por persona, en conjunto"
        title = f"{flow} {names}, {each}, {year}: {language.amount(top.value, top.unit, 'es')}"
        facts = list(localise(ctx, "es", facts))
    kind: AnswerKind = "lookup" if len(query.partners) == 1 else "compare"
    return answer(ctx, kind, query, "", tuple(facts), tuple(derived), claims, title)


def _last_full(ctx: Context) -> int:
    year, month = ctx.store.coverage.trade_latest_month
    return year if month == 12 else year - 1
