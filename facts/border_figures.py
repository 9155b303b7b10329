"""The figures of a border question: its span, one key's figure, every key's, the whole a share
is of, and what a figure needs beside it (year-ago change, effective rate, coverage, caveats).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts.border_text import (
    FLOW,
    RATE_WORDS,
    WHAT,
    examples,
    key_of,
    long_label,
    missing,
    partner_name,
    short,
    span_words,
)
from facts.context import Context
from facts.figures import figure, year_ago
from facts.model import Derived, Fact, NoData, Period, Query
from facts.numbers import amount
from facts.periods import Span, index, resolve, shift, years_in
from facts.store_border import MODE_LABELS, RATE_BASIS
from facts.words import HUNDRED, SERIES_WORDS, figure_period_words

EL_PASO, YSLETA = "2402", "2401"  # BTS port codes
BTS_CUTS = ("state", "port", "mode", "commodity", "mexstate")

MONTHLY_UP_TO = 24


def span_of(ctx: Context, query: Query, period: Period | None = None) -> Span:
    """The one span a question asks for, within its data (annual data: whole years only)."""
    period = period if period is not None else query.period
    if period is not None and period.kind == "pair":
        raise NoData(
            "Two years are compared for one subject at a time, e.g. 'laredo trade 2020 vs 2024'.",
            examples(query),
        )
    first, last, what = coverage_of(ctx, query)
    if query.dimension in BTS_CUTS and (period is None or period.kind == "latest"):
        period = Period("latest", None, (0, 0))
    span = resolve(period, first, last, what)
    if query.dimension in BTS_CUTS and not span.whole_year and not _monthly(query):
        raise NoData(
            f"{_sentence_case(WHAT[query.dimension])} are in TransBorder by calendar year only;"
            " monthly figures are by transport mode.",
            examples(query),
        )
    return span


def _monthly(query: Query) -> bool:
    return query.dimension == "mode"


def coverage_of(ctx: Context, query: Query) -> tuple[tuple[int, int], tuple[int, int], str]:
    """First and last month of the data a question reads, and what to call them."""
    border = ctx.store.border
    if query.dimension == "duties":
        first, last = border.duty_months
        return first, last, "Census duty data"
    if query.dimension == "citizenship":
        first, last = ctx.store.coverage.encounter_months[query.partners[0]]
        return first, last, f"Data on {SERIES_WORDS[query.partners[0]]} by citizenship"
    if query.dimension == "mode" and query.period and query.period.kind not in ("year", "years"):
        first, last = border.mode_months
        return first, last, "TransBorder monthly trade by mode"
    years = border.years[query.dimension]
    return (years[0], 1), (years[1], 12), f"TransBorder {WHAT[query.dimension]}"


def every(ctx: Context, query: Query, span: Span) -> list[Fact]:
    """Every key of the dimension over a span, largest first, with short labels."""
    return [replace(f, period=span.key) for f in _every_key(ctx, query, span)]


def _every_key(ctx: Context, query: Query, span: Span) -> list[Fact]:
    border = ctx.store.border
    if query.dimension == "duties":
        facts = border.duties_ranking(span.start, span.end)
        if not facts or _months_in(ctx, span) != span.months:
            raise NoData(f"Census duty data are missing for part of {span_words(span)}.")
        return facts
    if query.dimension == "citizenship":
        facts = border.citizenship(query.partners[0], span.start, span.end)
        if not facts:
            raise NoData(
                f"Encounter data by citizenship are missing for part of {span_words(span)}."
            )
        return facts
    partner, flow = query.partners[0], query.metric
    if span.whole_year:
        return border.cut_year(query.dimension, partner, flow, span.start[0], query.mode)
    facts = []
    for mode in MODE_LABELS:
        total = mode_months(ctx, query, mode, span)
        if total is not None:
            facts.append(total)
    return sorted(facts, key=lambda f: (-f.value, f.dimension))


def mode_months(ctx: Context, query: Query, mode: str, span: Span) -> Fact | None:
    """Trade by one mode ("" = all) summed over the months of a span."""
    border, partner, flow = ctx.store.border, query.partners[0], query.metric
    months = [
        border.mode_month(partner, flow, *shift(span.start, i), mode) for i in range(span.months)
    ]
    found = [m for m in months if m is not None]
    if not found:
        return None
    total = sum((m.value for m in found), Decimal(0))
    label = MODE_LABELS.get(mode, "all modes")
    return Fact(flow, partner, span.key, total, "USD", found[0].source_id, label,
                basis=found[0].basis, dimension=f"mode:{mode}")  # fmt: skip


def _months_in(ctx: Context, span: Span) -> int:
    first, last = ctx.store.border.duty_months
    return index(min(span.end, last)) - index(max(span.start, first)) + 1


def one(ctx: Context, query: Query, key: str, span: Span) -> Fact:
    """The figure of one key over a span, labelled in full, with the caveats it touches."""
    if query.dimension == "duties":
        found = ctx.store.border.duties(key, span.start, span.end)
        if found is None:
            raise NoData(
                f"Census duty data have no figure for {partner_name(ctx, key)} for every month of"
                f" {span_words(span)}."
            )
        duties, _ = found
        basis = RATE_BASIS if query.metric == "duty_rate" else duties.basis
        return Fact(duties.metric, key, span.key, duties.value, "USD", duties.source_id,
                    f"Calculated duties on imports from {duties.label}", span.note,
                    basis)  # fmt: skip
    facts = {key_of(f): f for f in every(ctx, query, span)}
    if key not in facts:
        raise NoData(missing(ctx, query, key, span), examples(query))
    fact = facts[key]
    return Fact(fact.metric, fact.partner, span.key, fact.value, fact.unit, fact.source_id,
                long_label(ctx, query, key, fact.label), caveats(query, key, span) or span.note,
                fact.basis, fact.dimension)  # fmt: skip


def whole_of(ctx: Context, query: Query, span: Span) -> Fact:
    """What a share is a share of: all partners' duties, the whole series, all modes' trade."""
    if query.dimension == "duties":
        return one(ctx, query, "WORLD", span)
    if query.dimension == "citizenship":
        series = query.partners[0]
        total = figure(ctx.store, "encounters", series, span)
        return Fact(total.metric, series, total.period, total.value, total.unit, total.source_id,
                    SERIES_WORDS[series])  # fmt: skip
    cut = "mode" if query.dimension in ("port", "state", "mode") else "mexstate"
    if span.whole_year:
        whole = ctx.store.border.cut_total(cut, query.partners[0], query.metric, span.start[0])
    else:
        whole = mode_months(ctx, query, "", span)
    if whole is None:
        raise NoData(f"No TransBorder total for {span_words(span)}.")
    label = FLOW[query.metric].format(partner_name(ctx, query.partners[0]))
    if cut == "mexstate":
        label += " by surface modes with a recorded Mexican state"
    return Fact(whole.metric, whole.partner, span.key, whole.value, "USD", whole.source_id,
                label, basis=whole.basis, dimension=f"{cut}:*")  # fmt: skip


def spans_of(ctx: Context, query: Query, all_years: bool = False) -> list[Span]:
    """One span per year (or month, up to two years) of a trend; every year for a record."""
    first, last, what = coverage_of(ctx, query)
    period = query.period
    monthly = query.dimension in ("duties", "citizenship")
    if all_years and not monthly:
        period = Period("years", first, last)
    elif all_years:
        period = Period("years", (first[0], 1), (last[0], 12))
    if monthly and period is not None and period.kind in ("since", "months") and period.start:
        span = resolve(Period("months", period.start, period.end or last), first, last, what)
        if span.months <= MONTHLY_UP_TO:
            return [Span(shift(span.start, i), shift(span.start, i)) for i in range(span.months)]
        period = Period("years", (period.start[0], 1), (span.end[0], 12))
    if monthly and period is None:
        return [Span(shift(last, -i), shift(last, -i)) for i in range(11, -1, -1)]
    if period is not None and period.kind == "since" and period.start:
        period = Period("years", period.start, last)
    return years_in(period, first, last, what)


def change(ctx: Context, query: Query, key: str, span: Span, fact: Fact) -> list[Derived]:
    """The figure against the same period a year earlier (none if not in the store)."""
    try:
        earlier = span_of(ctx, query, _period_of(span.year_earlier()))
        before = one(ctx, query, key, earlier)
    except NoData:
        return []
    return year_ago(fact, before)


def _period_of(span: Span) -> Period:
    if span.whole_year:
        return Period("year", span.start)
    if span.start == span.end:
        return Period("month", span.start)
    return Period("months", span.start, span.end)


def extras(ctx: Context, query: Query, key: str, span: Span | None, fact: Fact) -> list[Derived]:
    """What a figure needs beside it: the effective rate, the share of exports covered."""
    out: list[Derived] = []
    if query.dimension == "duties" and span is not None and key:
        found = ctx.store.border.duties(key, span.start, span.end)
        if found is not None and found[1].value:
            duties, imports = found
            out.append(Derived("duty_rate_pct", duties.value / imports.value * HUNDRED,
                               RATE_WORDS, ""))  # fmt: skip
    if query.dimension in ("commodity", "mexstate") and span is not None:
        out += coverage_share(ctx, span.start[0])
    return out


def coverage_share(ctx: Context, year: int) -> list[Derived]:
    """The share of all U.S. exports to Mexico the surface-mode tables cover that year."""
    border = ctx.store.border
    covered = border.cut_total("mexstate", "MEX", "exports", year)
    all_exports = border.cut_total("mode", "MEX", "exports", year)
    if covered is None or all_exports is None or not all_exports.value:
        return []
    pct = covered.value / all_exports.value * HUNDRED
    return [
        Derived("covered_pct", pct, f"share of all U.S. exports to Mexico in {year} that"
                f" these tables cover ({amount(covered.value, 'USD')} of"
                f" {amount(all_exports.value, 'USD')}; air, vessel and exports without a recorded"
                " Mexican state are not in them)", "%"),
    ]  # fmt: skip


def rates_of(ctx: Context, query: Query, facts: tuple[Fact, ...]) -> list[Derived]:
    """The effective tariff rate of each duty figure (duties ÷ imports for consumption)."""
    if query.dimension != "duties":
        return []
    out = []
    for fact in facts:
        start, end = _bounds(fact.period)
        found = ctx.store.border.duties(fact.partner, start, end)
        if found is not None and found[1].value:
            out.append(Derived("duty_rate_pct", found[0].value / found[1].value * HUNDRED,
                               f"{RATE_WORDS}, {short(fact)}, {figure_period_words(fact.period)}",
                               ""))  # fmt: skip
    return out


def _bounds(period: str) -> tuple[tuple[int, int], tuple[int, int]]:
    if ".." in period:
        first, last = period.split("..")
        return (int(first[:4]), int(first[5:7])), (int(last[:4]), int(last[5:7]))
    if len(period) == 7:
        month = (int(period[:4]), int(period[5:7]))
        return month, month
    return (int(period), 1), (int(period), 12)


def companions(ctx: Context, query: Query, key: str, span: Span) -> tuple[Fact, ...]:
    """The figures a lookup is read with: duties with the imports they were charged on."""
    if query.dimension != "duties":
        return ()
    found = ctx.store.border.duties(key, span.start, span.end)
    if found is None:
        return ()
    imports = found[1]
    return (Fact(imports.metric, key, span.key, imports.value, "USD", imports.source_id,
                 f"Imports for consumption from {imports.label}", span.note,
                 imports.basis),)  # fmt: skip


def caveats(query: Query, key: str, span: Span) -> str:
    """The caveats a TransBorder figure touches (air and vessel, Oct 2020, El Paso/Ysleta)."""
    if query.dimension not in BTS_CUTS:
        return ""
    notes = []
    year = span.start[0]
    if year <= 2003:
        notes.append("air and vessel enter TransBorder only from November 2003")
    if query.dimension == "mode" and span.start <= (2020, 10) <= span.end and not span.whole_year:
        notes.append("October 2020 was derived by the source's processor (year minus 11 months)")
    if query.dimension == "port" and key == EL_PASO and year <= 2020:
        notes.append("El Paso includes Ysleta before March 2020")
    if query.dimension == "port" and key == YSLETA and year <= 2020:
        notes.append("Ysleta is reported apart from El Paso only from March 2020")
    return "; ".join(notes)


def _sentence_case(text: str) -> str:
    """The first letter upper case, the rest as written ("U.S. states", not "U.s. states")."""
    return text[:1].upper() + text[1:]
