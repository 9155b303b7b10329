"""TREND: one partner or series over a range of years (or months), with its growth."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts.context import Context
from facts.figures import TRADE_METRICS, coverage, figure, spans_for
from facts.model import Answer, Derived, Fact, Lang, NoData, Period, Query
from facts.ops.common import answer, localise, t, value_words, what
from facts.ops.lookup import subject_of
from facts.ops.takeaway import change_words, find, glance, record, said
from facts.periods import Span, clip, index, shift
from facts.words import HUNDRED

MONTHLY_UP_TO = 24  # a range of up to two years is shown month by month


def trend(query: Query, ctx: Context) -> Answer:
    """The figure each year (or month) of the range; growth over the full years."""
    subject = subject_of(query)
    spans = _spans(ctx, query, subject)
    facts = []
    for span in spans:
        try:
            facts.append(figure(ctx.store, query.metric, subject, span, query.drug))
        except NoData:
            continue  # a year the partner did not exist as such (e.g. before 1992)
    if len(facts) < 2:
        raise NoData(f"Fewer than two periods of data for that in {_range_words(spans)}.")
    derived: list[Derived] = []
    if query.metric not in TRADE_METRICS + ("population",):
        total = sum((f.value for f in facts), Decimal(0))
        derived.append(Derived("sum", total, _range_words(spans), facts[0].unit))
    whole = [f for f in facts if not f.note]
    if len(whole) >= 2 and len(spans[0].key) <= 6:  # growth between whole years only
        derived += growth(whole[0], whole[-1])
    lang = query.lang
    facts = list(localise(ctx, lang, facts))
    first, last = facts[0], facts[-1]
    when = f"{language.period(first.period, lang)}–{language.period(last.period, lang)}"
    if last.note and ".." in last.period:  # "2015–2026 (2026: January–August only)"
        partial = t(lang, last.note, f"solo {language.period(last.period, lang)[:-8]}")
        when = f"{language.period(first.period, lang)}–{last.period[:4]}"
        when += f" ({last.period[:4]}: {partial})"
    to = t(lang, "to", "a")
    title = (
        f"{what(first, lang)}, {when}: {value_words(first, lang)} {to} {value_words(last, lang)}"
    )
    asked = query.period.start if query.period else None
    if asked and spans[0].start > asked:
        title += t(lang, f" (the data start in {spans[0].start[0]})",
                   f" (los datos empiezan en {spans[0].start[0]})")  # fmt: skip
    resolved = f"{_month_key(spans[0].start)}..{_month_key(spans[-1].end)}"
    result = answer(ctx, "trend", query, "", tuple(facts), said(derived, "change_pct", "cagr_pct"),
                    (), title, resolved=resolved)  # fmt: skip
    series = tuple(facts)
    takeaway = trend_takeaway(series, derived, lang)
    return replace(result, takeaway=takeaway, glance=glance(series), chart="line")


def trend_takeaway(facts: tuple[Fact, ...], derived: list[Derived], lang: Lang = "en") -> str:
    """ "Up 41.5% from 2015 to 2024, +3.9% a year on average · peak: 2024 ($334.5 billion)"."""
    pct, cagr = find(derived, "change_pct"), find(derived, "cagr_pct")
    parts = []
    if pct is not None:
        start, end = pct.label.split(" to ")
        last = next(f for f in facts if f.period == end)
        since, until = language.period(start, lang), language.period(end, lang)
        moved = change_words(last, _at(facts, start), pct.value, since, until, lang)
        if cagr is not None:
            rate = language.signed_pct(cagr.value, lang)
            moved += t(lang, f", {rate} a year on average", f", {rate} anual en promedio")
        parts.append(moved)
    parts.append(record(facts, lang))
    return " · ".join(parts)


def _at(facts: tuple[Fact, ...], period: str) -> Decimal:
    return next(f.value for f in facts if f.period == period)


def _spans(ctx: Context, query: Query, subject: str) -> list[Span]:
    first, last, what_data = coverage(ctx.store, query.metric, subject)
    period = query.period
    monthly_metric = query.metric in ("encounters", "seizures")
    if period is None and monthly_metric:  # "encounters trend": the last twelve months
        return _months(Span(shift(last, -11), last))
    if period is not None and period.kind in ("since", "months") and period.start:
        end = period.end or last
        span = clip(Span(period.start, end), first, last, what_data)
        if span.months <= MONTHLY_UP_TO and query.metric != "population":
            return _months(span)
        if period.start[1] != 1:  # by year, the first year from the month asked
            years = spans_for(ctx.store, query.metric, subject, Period("years", period.start, end))
            head = Span(period.start, (period.start[0], 12), partial=True)
            return [head, *[s for s in years if s.start[0] > period.start[0]]]
        period = Period("years", period.start, end)
    return spans_for(ctx.store, query.metric, subject, period)


def _months(span: Span) -> list[Span]:
    return [
        Span(shift(span.start, i), shift(span.start, i)) for i in range(index(span.end) -
                                                                         index(span.start) + 1)
    ]  # fmt: skip


def _month_key(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


def _range_words(spans: list[Span]) -> str:
    return f"{_month_key(spans[0].start)} to {_month_key(spans[-1].end)}"


def growth(first: Fact, last: Fact) -> list[Derived]:
    """Change from the first to the last figure, and the average yearly rate between them."""
    years = _year(last.period) - _year(first.period)
    out = []
    if first.value:
        change = (last.value - first.value) / abs(first.value) * HUNDRED
        out.append(Derived("change_pct", change, f"{first.period} to {last.period}", "%"))
    if first.value > 0 and last.value > 0 and years > 0:
        cagr = (float(last.value) / float(first.value)) ** (1 / years) - 1
        out.append(Derived("cagr_pct", Decimal(repr(cagr * 100)),
                           f"a year on average, {first.period}–{last.period}", "%"))  # fmt: skip
    return out


def _year(period: str) -> int:
    return int(period[2:]) if period.startswith("FY") else int(period[:4])
