"""Reading a normalised question: which words a reading used, and the period it names."""

from __future__ import annotations

import re

from facts.model import Period
from facts.patterns import (
    FILLER_WORDS,
    FISCAL,
    FISCAL_TO_DATE,
    FUNCTION_WORDS,
    HALF,
    ISO_MONTH,
    LAST_YEAR,
    LATEST,
    MONTH_NAME,
    MONTH_RANGE,
    MONTH_WORDS,
    ORDINALS,
    QUARTER,
    RANGE,
    SINCE,
    SINCE_MONTH,
    SLASH_MONTH,
    SO_FAR,
    SPANISH_HALF,
    SPANISH_ORDINALS,
    SPANISH_QUARTER,
    THROUGH_MONTH,
    YEAR,
    YEAR_VS_YEAR,
    YTD,
)

_DECADE = re.compile(r"\b(?:the\s+)?((?:19|20)\d0)'?s\b")


class Reader:
    """The words of a normalised question, and which of them a reading has used."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", norm)]
        self.used = [False] * len(self.tokens)

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of a pattern; its words count as used."""
        match = pattern.search(self.norm)
        if match:
            self.mark(match.start(), match.end())
        return match

    def take_all(self, pattern: re.Pattern[str]) -> list[str]:
        """Every match of a pattern, marked used."""
        found = []
        for match in pattern.finditer(self.norm):
            self.mark(match.start(), match.end())
            found.append(match.group())
        return found

    def mark(self, start: int, end: int) -> None:
        """Count the words overlapping characters start..end as used."""
        for i, (first, last, _) in enumerate(self.tokens):
            if first < end and start < last:
                self.used[i] = True

    def take_word(self, word: str) -> None:
        """Count every occurrence of one word as used."""
        for i, (_, _, token) in enumerate(self.tokens):
            if token == word:
                self.used[i] = True

    def words(self) -> tuple[str, ...]:
        """The words used so far."""
        return tuple(w for (_, _, w), used in zip(self.tokens, self.used, strict=True) if used)

    def unused(self) -> list[str]:
        """Content words nothing has used: each one a qualifier the answer would drop."""
        return [
            word
            for (_, _, word), used in zip(self.tokens, self.used, strict=True)
            if not used
            and word.strip("?!.,;:¿¡'\"-–—") not in FUNCTION_WORDS | FILLER_WORDS
            and any(c.isalnum() for c in word)
        ]


def read_period(reader: Reader) -> Period | None:
    """The period a question names (its words marked used), or None."""
    norm = reader.norm
    years = [int(y) for y in re.findall(rf"\b{YEAR}\b", norm)]
    year = years[0] if years else None
    if match := reader.take(FISCAL_TO_DATE):
        return Period("fytd", _fy_start(reader, year))
    if match := reader.take(FISCAL):
        fy = _full_year(match.group(1) or match.group(2))
        if reader.take(SO_FAR) or reader.take(YTD):
            return Period("fytd", (fy, 10))
        return Period("fiscal", (fy, 10))
    if match := reader.take(YEAR_VS_YEAR):
        return Period("pair", (int(match.group(1)), 1), (int(match.group(2)), 12))
    if match := reader.take(QUARTER):
        quarter = int(match.group(1) or match.group(2) or ORDINALS[match.group(3)])
        y = int(match.group(4))
        return Period("months", (y, 3 * quarter - 2), (y, 3 * quarter))
    if match := reader.take(SPANISH_QUARTER):
        if not match.group(2) and year is None:
            return None
        quarter, y = SPANISH_ORDINALS[match.group(1)], int(match.group(2) or year or 0)
        reader.take_word(str(y))
        return Period("months", (y, 3 * quarter - 2), (y, 3 * quarter))
    if match := reader.take(HALF):
        half = int(match.group(1) or ORDINALS[match.group(2)])
        y = int(match.group(3))
        return Period("months", (y, 6 * half - 5), (y, 6 * half))
    if match := reader.take(SPANISH_HALF):
        half, y = SPANISH_ORDINALS[match.group(1)], int(match.group(2) or year or 0)
        if not y:
            return None
        reader.take_word(str(y))
        return Period("months", (y, 6 * half - 5), (y, 6 * half))
    if match := reader.take(_DECADE):
        first = int(match.group(1))
        return Period("years", (first, 1), (first + 9, 12))
    if match := reader.take(RANGE):
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        return Period("years", (first, 1), (last, 12))
    if match := reader.take(SINCE_MONTH):
        return Period("since", (int(match.group(2)), MONTH_WORDS[match.group(1)]), None)
    if match := reader.take(SINCE):
        return Period("since", (int(match.group(1)), 1))
    if (match := reader.take(MONTH_RANGE)) and (match.group(3) or year):
        y = int(match.group(3) or year or 0)
        reader.take_word(str(y))
        first, last = MONTH_WORDS[match.group(1)], MONTH_WORDS[match.group(2)]
        if first <= last:
            return Period("months", (y, first), (y, last))
        return Period("months", (y - 1, first), (y, last))
    if match := reader.take(ISO_MONTH):
        return Period("month", (int(match.group(1)), int(match.group(2))))
    if match := reader.take(SLASH_MONTH):
        return Period("month", (int(match.group(2)), int(match.group(1))))
    if match := reader.take(MONTH_NAME):
        return Period("month", (int(match.group(2)), MONTH_WORDS[match.group(1)]))
    if reader.take(YTD) or (reader.take(SO_FAR)):
        through = reader.take(THROUGH_MONTH)
        end = (year or 0, MONTH_WORDS[through.group(1)]) if through else None
        if year is not None:
            reader.take_word(str(year))
        return Period("ytd", (year, 1) if year else None, end)
    if year is not None:
        reader.take_word(str(year))
        return Period("year", (year, 1))
    if reader.take(LAST_YEAR):
        return Period("latest", None, (0, 0))  # end (0, 0): the latest full year
    if reader.take(LATEST):
        return Period("latest")
    return None


def _full_year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _fy_start(reader: Reader, year: int | None) -> tuple[int, int] | None:
    match = reader.take(FISCAL)
    if match:
        return (_full_year(match.group(1) or match.group(2)), 10)
    if year is not None:
        reader.take_word(str(year))
        return (year, 10)
    return None
