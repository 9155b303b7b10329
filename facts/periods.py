"""Spans of months: what a period as asked resolves to for one series, and its words.

A span is an inclusive range of calendar months. Fiscal years are the federal government's,
as CBP totals them: FY2024 runs from October 2023 to September 2024.
"""

from __future__ import annotations

from dataclasses import dataclass

from facts.model import NoData, Period
from facts.words import MONTHS

Month = tuple[int, int]  # (year, month)


@dataclass(frozen=True)
class Span:
    """An inclusive range of months; `fiscal` when it was asked as a fiscal year."""

    start: Month
    end: Month
    fiscal: bool = False
    partial: bool = False  # the period asked runs past the data: this is the part published

    @property
    def months(self) -> int:
        """How many months the span covers."""
        return index(self.end) - index(self.start) + 1

    @property
    def whole_year(self) -> bool:
        """True for January to December of one year."""
        return self.start == (self.start[0], 1) and self.end == (self.start[0], 12)

    def year_earlier(self) -> Span:
        """The same months a year before (complete: only the latest year can be partial)."""
        return Span(shift(self.start, -12), shift(self.end, -12), self.fiscal)

    @property
    def key(self) -> str:
        """The figure's period string: "2024", "2025-06", "FY2024", "2025-07..2025-09"."""
        if self.fiscal and not self.partial and self.months == 12:
            return f"FY{self.end[0]}"
        if self.whole_year:
            return str(self.start[0])
        first, last = month_key(self.start), month_key(self.end)
        return first if first == last else f"{first}..{last}"

    @property
    def note(self) -> str:
        """What a partial span covers, for a figure's note: "January–August only"."""
        if not self.partial:
            return ""
        if self.fiscal:
            return f"fiscal year {fiscal_year_of(self.start)} to date"
        return f"{MONTHS[self.start[1] - 1]}–{MONTHS[self.end[1] - 1]} only"


def index(month: Month) -> int:
    """Months since year 0, for arithmetic."""
    return month[0] * 12 + month[1] - 1


def shift(month: Month, months: int) -> Month:
    """A month moved by a number of months."""
    i = index(month) + months
    return i // 12, i % 12 + 1


def month_key(month: Month) -> str:
    """(2025, 6) -> "2025-06"."""
    return f"{month[0]}-{month[1]:02d}"


def month_words(month: Month) -> str:
    """(2025, 6) -> "June 2025"."""
    return f"{MONTHS[month[1] - 1]} {month[0]}"


def fiscal_year(year: int) -> Span:
    """FY2024: October 2023 to September 2024."""
    return Span((year - 1, 10), (year, 9), fiscal=True)


def fiscal_year_of(month: Month) -> int:
    """The fiscal year a month falls in: October 2024 is in FY2025."""
    return month[0] + 1 if month[1] >= 10 else month[0]


def clip(span: Span, first: Month, last: Month, what: str) -> Span:
    """The span within a series' coverage; a span partly past the last month is marked partial.

    A span that starts before the data, or lies wholly outside them, is refused with the coverage.
    """
    coverage = f"{what} in the store run from {month_words(first)} to {month_words(last)}."
    if span.start < first or span.start > last or span.end < first:
        raise NoData(coverage)
    if span.end > last:
        return Span(span.start, last, span.fiscal, partial=True)
    return span


def resolve(period: Period | None, first: Month, last: Month, what: str) -> Span:
    """The one span a period asks for, within coverage (latest month when none is asked)."""
    if period is None or period.kind == "latest":
        if period is not None and period.end == (0, 0):  # "last year": the latest full year
            year = last[0] if last[1] == 12 else last[0] - 1
            return clip(Span((year, 1), (year, 12)), first, last, what)
        return Span(last, last)
    if period.kind == "ytd":
        year = period.start[0] if period.start else last[0]
        through = period.end[1] if period.end else last[1]
        return clip(Span((year, 1), (year, through)), first, last, what)
    if period.kind in ("fiscal", "fytd"):
        year = period.start[0] if period.start else fiscal_year_of(last)
        return clip(fiscal_year(year), first, last, what)
    assert period.start is not None  # every other kind has a start
    if period.kind == "month":
        return clip(Span(period.start, period.start), first, last, what)
    if period.kind == "year":
        year = period.start[0]
        return clip(Span((year, 1), (year, 12)), first, last, what)
    end = period.end or last
    return clip(Span(period.start, end), first, last, what)


def years_in(period: Period | None, first: Month, last: Month, what: str) -> list[Span]:
    """A range of years as one span per year (calendar or fiscal), the last one maybe partial."""
    fiscal = period is not None and period.kind in ("fiscal", "fytd")
    if period is None or period.start is None:
        last_full = last[0] if last[1] == 12 else last[0] - 1
        years = range(last_full - 9, last_full + 1)
    else:
        end = period.end[0] if period.end else (fiscal_year_of(last) if fiscal else last[0])
        years = range(period.start[0], end + 1)
    spans = []
    for year in years:
        span = fiscal_year(year) if fiscal else Span((year, 1), (year, 12))
        if span.end < first or span.start > last:
            continue
        if span.start < first:
            continue  # a year the series only partly covers at its start is left out
        spans.append(clip(span, first, last, what))
    if not spans:
        raise NoData(f"{what} in the store run from {month_words(first)} to {month_words(last)}.")
    return spans
