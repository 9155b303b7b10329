"""Numbers, hedges and periods as a text writes them: "335.000 millones", "nearly", "the
first half of 2024", "from March 2025"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from facts.patterns import HALF, MONTH_WORDS, ORDINALS, QUARTER, YEAR
from facts.statement_words import (
    AGAINST_BEFORE,
    BIMESTRE,
    DEMONYMS,
    FIRST_MONTHS,
    FULL_MONTHS,
    HEDGES,
    MONTH,
    PART_WORDS,
    SCALES,
)
from facts.vocabulary import normalise


@dataclass(frozen=True)
class When:
    """A period as a text states it: a year, a fiscal year, a month or a range of months."""

    kind: str  # year | fiscal_year | month | months | since | range_average
    start: tuple[int, int]
    end: tuple[int, int] | None = None


def plain_text(text: str, spanish: bool = False) -> str:
    """normalise(), with numbers rewritten as plain decimals ("4,000" and "4.000" -> "4000")."""
    text = canonical(text, spanish)
    text = re.sub(r"US\$|\$|€", " usd ", text)
    text = normalise(text.replace("&", " and "))
    for word, name in DEMONYMS.items():
        text = re.sub(rf"\b{word}\b", name, text)
    return " ".join(text.split())


def canonical(text: str, spanish: bool) -> str:
    """Numbers as plain decimals: "4,000" (English and Mexican usage), "335.000" (Spain's),
    "2,3" (a Spanish decimal comma) and "162.915 mil millones" (a decimal point) all read right.
    """

    def as_plain(match: re.Match[str]) -> str:
        digits = match.group()
        after = text[match.end() : match.end() + 14].lower()
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
            return digits.replace(",", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", digits):
            dotted_decimal = digits.count(".") == 1 and (
                not spanish or re.match(r"\s*mil millones", after)
            )
            if not dotted_decimal:
                return digits.replace(".", "").replace(",", ".")
        if spanish and re.fullmatch(r"\d+,\d+", digits):
            return digits.replace(",", ".")
        return digits

    return re.sub(r"\d[\d.,]*\d|\d", as_plain, text)


def is_spanish(text: str) -> bool:
    """True when a sentence has more Spanish function words than English ones."""
    norm = normalise(text)
    spanish = len(re.findall(r"\b(de|del|los|las|millones|dolares|veces|que|el|y|en|por)\b", norm))
    english = len(re.findall(r"\b(the|of|and|in|than|to|was|is|by)\b", norm))
    return spanish > english


def read_number(digits: str) -> tuple[Decimal, Decimal]:
    """The value of a plain decimal ("335", "4000", "2.3") and the place of its last digit."""
    value = Decimal(digits)
    if "." in digits:
        step = Decimal(1).scaleb(-len(digits.split(".")[1]))
    else:
        stripped = digits.rstrip("0") or "0"
        step = Decimal(10) ** (len(digits) - len(stripped))
    return value, step


def read_scaled(digits: str, scale: str | None) -> tuple[Decimal, Decimal]:
    """A number with its scale word ("billion", "millones") applied, and its step."""
    value, step = read_number(digits)
    factor = SCALES.get((scale or "").strip(), Decimal(1))
    return value * factor, step * factor


def hedge_before(before: str) -> str:
    """ "over", "nearly", "under", "about" or "" from the words just before a figure."""
    tail = before[-24:]
    for name, pattern in HEDGES:
        if re.search(pattern + r"\s*(usd\s*|\$\s*)?$", tail):
            return name
    return ""


def baseline_of(after: str) -> When | None:
    """What a change is measured against, from the words after it."""
    if match := re.search(rf"\b{YEAR}\s*[-–—]\s*{YEAR}\s+(?:monthly\s+)?(average|promedio)", after):
        return When("range_average", (int(match.group(1)), 1), (int(match.group(2)), 12))
    average = rf"\b(average|promedio)\b[^.]*?{YEAR}\s*(?:[-–—]|to|y|a)\s*{YEAR}"
    if match := re.search(average, after):
        return When("range_average", (int(match.group(2)), 1), (int(match.group(3)), 12))
    against = r"\b(?:than|from|since|vs|compared (?:to|with)|que|desde|over)\s+(?:in\s+)?"
    if match := re.search(rf"{against}({MONTH})\.?(?:\s+de)?,?\s+{YEAR}\b", after):
        return When("month", (int(match.group(2)), MONTH_WORDS[match.group(1)]))
    same = r"(?:(?:the )?same (?:period|months?) (?:of|in) |(?:el )?mismo (?:periodo|lapso) del? )?"
    if match := re.search(rf"{against}{same}{YEAR}\b", after):
        return When("year", (int(match.group(1)), 1))
    if re.search(
        r"\b(a year (earlier|ago|before)|last year|year over year|the previous year|"
        r"the year before|ano anterior|un ano antes|ano pasado)\b",
        after,
    ):
        return When("year", (0, 0))  # the year before the statement's period
    return None


def when_of(norm: str) -> When | None:
    """The period a sentence states for its figures (not a baseline after "from")."""
    fiscal = re.search(rf"\b(?:fiscal(?: year)?|fy|ano fiscal)\s*'?({YEAR}|\d\d)\b", norm)
    if fiscal:
        year = int(fiscal.group(1))
        return When("fiscal_year", (year + 2000 if year < 100 else year, 1))
    months = re.search(
        rf"\b(?:between|from|de|entre)\s+({MONTH})\.?(?:\s+de)?\s+{YEAR}\s+(?:and|to|through|y|a)\s+"
        rf"({MONTH})\.?(?:\s+de)?\s+{YEAR}\b",
        norm,
    )
    if months:
        return When(
            "months",
            (int(months.group(2)), MONTH_WORDS[months.group(1)]),
            (int(months.group(4)), MONTH_WORDS[months.group(3)]),
        )
    same_year = re.search(
        rf"\b(?:between|from|de|entre)?\s*({MONTH})\s+(?:and|to|through|thru|y|a)\s+({MONTH})"
        rf"\.?(?:\s+(?:de|of))?,?\s+{YEAR}\b",
        norm,
    )
    if same_year:
        year = int(same_year.group(3))
        first, last = MONTH_WORDS[same_year.group(1)], MONTH_WORDS[same_year.group(2)]
        return When("months", (year, first), (year, last))
    if part := part_of_year(norm):
        return part
    if since := re.search(rf"\b(?:since|desde)\s+({MONTH})\.?(?:\s+de)?,?\s+{YEAR}\b", norm):
        return When("since", (int(since.group(2)), MONTH_WORDS[since.group(1)]))
    for month in re.finditer(rf"\b({MONTH})\.?(?:\s+(?:de|of))?,?\s+{YEAR}\b", norm):
        if not AGAINST_BEFORE.search(norm[max(0, month.start() - 16) : month.start()]):
            return When("month", (int(month.group(2)), MONTH_WORDS[month.group(1)]))
    for found in re.finditer(
        rf"\b{YEAR}\b(?!\s*[-–—]\s*{YEAR}\s+(monthly\s+)?(average|promedio))", norm
    ):
        before = norm[max(0, found.start() - 12) : found.start()]
        if AGAINST_BEFORE.search(before):
            continue
        if re.search(r"[-–—]\s*$", before):
            continue
        return When("year", (int(found.group(1)), 1))
    bare = re.search(r"\b(?:in|en|for|during|durante)\s+(" + FULL_MONTHS + r")\b", norm)
    if bare:
        return When("month", (0, MONTH_WORDS[bare.group(1)]))  # the year comes from the context
    return None


def part_of_year(norm: str) -> When | None:
    """A quarter, half, bimestre or "first N months" of a year."""
    if match := QUARTER.search(norm):
        quarter = int(match.group(1) or match.group(2) or ORDINALS[match.group(3)])
        year = int(match.group(4))
        return When("months", (year, 3 * quarter - 2), (year, 3 * quarter))
    if match := HALF.search(norm):
        half = int(match.group(1) or ORDINALS[match.group(2)])
        year = int(match.group(3))
        return When("months", (year, 6 * half - 5), (year, 6 * half))
    if match := BIMESTRE.search(norm):
        year, which = int(match.group(2)), PART_WORDS[match.group(1)]
        return When("months", (year, 2 * which - 1), (year, 2 * which))
    if match := FIRST_MONTHS.search(norm):
        word = match.group(1)
        months = int(word) if word.isdigit() else PART_WORDS[word]
        year = int(match.group(2))
        return When("months", (year, 1), (year, min(months, 12)))
    return None
