"""EXTREME: a record — the highest or lowest month or year of a series, or partner in a year."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import coverage, figure, monthly, spans_for
from facts.model import Answer, Derived, NoData, Query
from facts.numbers import amount
from facts.ops.common import answer, localise, related_claims, value_words, what
from facts.ops.lookup import subject_of
from facts.ops.rank import full_year, ranking
from facts.ops.takeaway import said
from facts.periods import month_words
from facts.words import figure_period_words, market_word

_PARTNER_WORDS = {
    ("exports", "max"): "the largest U.S. export market",
    ("exports", "min"): "the smallest U.S. export market",
    ("imports", "max"): "the largest supplier of U.S. imports",
    ("imports", "min"): "the smallest supplier of U.S. imports",
    ("total", "max"): "the largest U.S. trading partner",
    ("total", "min"): "the smallest U.S. trading partner",
    ("balance", "max"): "the largest U.S. trade surplus",
    ("balance", "min"): "the largest U.S. trade deficit",
}


_PARTNER_WORDS_ES = {
    ("exports", "max"): "el mayor mercado de exportación de EE. UU.",
    ("exports", "min"): "el menor mercado de exportación de EE. UU.",
    ("imports", "max"): "el mayor proveedor de importaciones de EE. UU.",
    ("imports", "min"): "el menor proveedor de importaciones de EE. UU.",
    ("total", "max"): "el mayor socio comercial de EE. UU.",
    ("total", "min"): "el menor socio comercial de EE. UU.",
    ("balance", "max"): "el mayor superávit comercial de EE. UU.",
    ("balance", "min"): "el mayor déficit comercial de EE. UU.",
}


def extreme(query: Query, ctx: Context) -> Answer:
    """The record asked for, the runner-up, and what was compared (so "on record" is exact)."""
    if query.over == "partners":
        return _across_partners(query, ctx)
    return _over_time(query, ctx)


def _over_time(query: Query, ctx: Context) -> Answer:
    subject = subject_of(query)
    if query.over == "years" or query.metric == "population":
        spans = spans_for(ctx.store, query.metric, subject, query.period)
        series = [figure(ctx.store, query.metric, subject, s, query.drug) for s in spans]
        series = [f for f in series if not f.note]  # whole years only
    else:
        series = monthly(ctx.store, query.metric, subject, query.drug)
        if query.period is not None and query.period.start is not None:
            low = f"{query.period.start[0]}-{query.period.start[1]:02d}"
            high = f"{query.period.end[0]}-{query.period.end[1]:02d}" if query.period.end else ""
            if query.period.kind == "year":
                high = f"{query.period.start[0]}-12"
            series = [f for f in series if f.period >= low and (not high or f.period <= high)]
    if len(series) < 2:
        raise NoData("Too few periods in the data to name a record.")
    highest = query.extreme == "max"
    ordered = sorted(series, key=lambda f: (f.value, f.period), reverse=highest)
    record, runner = ordered[0], ordered[1]
    first, last, _ = coverage(ctx.store, query.metric, subject)
    compared = f"{figure_period_words(series[0].period)} – {figure_period_words(series[-1].period)}"
    unit = "years" if len(series[0].period) == 4 else "months"
    start = month_words(first)
    derived = (
        Derived("compared", Decimal(len(series)),
                f"{unit} compared, {compared} (the data start in {start})"),
        Derived("runner_up", runner.value, f"next: {figure_period_words(runner.period)}",
                runner.unit),
    )  # fmt: skip
    word = "highest" if highest else "lowest"
    title = f"{what(record)}: {word} in {figure_period_words(record.period)}, {value_words(record)}"
    takeaway = (
        f"Next: {figure_period_words(runner.period)}, {value_words(runner)}"
        f" · {len(series)} {unit} compared, {compared} (the data start in {start})"
    )
    lang = query.lang
    record, runner = localise(ctx, lang, (record, runner))
    if lang == "es":
        word = "máximo" if highest else "mínimo"
        unit = "años" if unit == "years" else "meses"
        span = " – ".join(language.period(f.period, lang) for f in (series[0], series[-1]))
        title = (
            f"{what(record, lang)}: {word} en {language.period(record.period, lang)},"
            f" {value_words(record, lang)}"
        )
        takeaway = (
            f"Le sigue: {language.period(runner.period, lang)}, {value_words(runner, lang)}"
            f" · {len(series)} {unit} comparados, {span}"
        )
    resolved = f"{series[0].period}..{series[-1].period}"
    # An op-ed record ("the lowest month on record") is shown beside a record of the same series.
    claims = related_claims(ctx, word, query.metric, (record.partner,), resolved)
    shown = said(derived, "compared", "runner_up")
    result = answer(
        ctx, "extreme", query, "", (record, runner), shown, claims, title, resolved=resolved
    )
    return replace(result, takeaway=takeaway)


def _across_partners(query: Query, ctx: Context) -> Answer:
    year = full_year(ctx, query)
    ordered = ranking(ctx, query, year)
    if query.metric == "balance" and query.extreme == "min":
        ordered = list(reversed(ordered))
    elif query.extreme == "min":
        ordered = [f for f in reversed(ordered) if f.value > 0]
    if len(ordered) < 2:
        raise NoData(f"No ranking for {year}.")
    record, runner = ordered[0], ordered[1]
    words = _PARTNER_WORDS[(query.metric, query.extreme or "max")]
    derived = (
        Derived("runner_up", runner.value, f"next: {runner.label}", runner.unit),
        Derived("compared", Decimal(len(ordered)),
                f"U.S. {market_word(query.metric)} compared, {year}"),
    )  # fmt: skip
    title = f"{record.label}: {words} in {year} ({value_words(record)})"
    if query.metric != "balance":
        title = f"{record.label}: {words} in {year} ({amount(record.value, record.unit)})"
    takeaway = f"Next: {runner.label}, {value_words(runner)} · {len(ordered)} partners compared"
    if query.lang == "es":
        record, runner = localise(ctx, "es", (record, runner))
        title = f"{record.label}: {_PARTNER_WORDS_ES[(query.metric, query.extreme or 'max')]}"
        title += f" en {year} ({value_words(record, 'es')})"
        takeaway = (
            f"Le sigue: {runner.label}, {value_words(runner, 'es')}"
            f" · {len(ordered)} socios comparados"
        )
    result = answer(ctx, "extreme", query, "", (record, runner), said(derived, "compared",
                    "runner_up"), (), title)  # fmt: skip
    return replace(result, takeaway=takeaway)
