"""Words and names shared by the answer modules (no formatting of numbers here)."""

from __future__ import annotations

from decimal import Decimal

from facts.model import Period

HUNDRED = Decimal(100)
METRIC_WORDS = {
    "exports": "U.S. goods exports to",
    "imports": "U.S. goods imports from",
    "balance": "U.S. goods trade balance with",
    "total": "U.S. goods trade (exports + imports) with",
}
SERIES_WORDS = {
    "nationwide": "CBP encounters nationwide",
    "southwest": "CBP encounters at the Southwest land border",
    "northern": "CBP encounters at the Northern land border",
    "other-air-sea-interior": "CBP encounters away from land borders (air, sea, interior)",
    "usbp-southwest": "U.S. Border Patrol encounters at the Southwest border",
    "ofo-southwest": "Field Operations (ports of entry) encounters at the Southwest border",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def month_name(period: str) -> str:
    """The month of "2025-06": June."""
    return MONTHS[int(period[5:7]) - 1]


def market_word(metric: str) -> str:
    """What a ranking by this metric ranks: export markets, import suppliers, ..."""
    return {
        "exports": "export markets",
        "imports": "import suppliers",
        "total": "trading partners",
    }.get(metric, "partners")


def period_words(period: Period | None) -> str:
    """A period as asked, in words: "2024", "June 2025", "2015–2024", "since 2019"."""
    if period is None:
        return "latest available"
    if period.kind == "latest":
        return "latest full year" if period.end == (0, 0) else "latest month available"
    if period.kind == "year" and period.start:
        return str(period.start[0])
    if period.kind == "month" and period.start:
        return f"{MONTHS[period.start[1] - 1]} {period.start[0]}"
    if period.kind == "years" and period.start and period.end:
        return f"{period.start[0]}–{period.end[0]}"
    if period.kind == "since" and period.start:
        month = f"{MONTHS[period.start[1] - 1]} " if period.start[1] != 1 else ""
        return f"since {month}{period.start[0]}"
    if period.kind == "ytd":
        return f"year to date{' ' + str(period.start[0]) if period.start else ''}"
    if period.kind == "fiscal" and period.start:
        return f"fiscal year {period.start[0]}"
    if period.kind == "fytd":
        return f"fiscal year {period.start[0]} to date" if period.start else "fiscal year to date"
    if period.kind == "pair" and period.start and period.end:
        return f"{period.start[0]} vs {period.end[0]}"
    if period.kind == "months" and period.start and period.end:
        first, last = MONTHS[period.start[1] - 1], MONTHS[period.end[1] - 1]
        if period.start[0] == period.end[0]:
            return f"{first}–{last} {period.end[0]}"
        return f"{first} {period.start[0]} – {last} {period.end[0]}"
    return "that period"


def figure_period_words(period: str) -> str:
    """A figure's period string in words: "2024", "June 2025", "January 2025 – March 2025"."""
    if period.startswith("FY"):
        year = int(period[2:])
        return f"fiscal year {year} (October {year - 1} – September {year})"
    if ".." in period:
        first, last = period.split("..")
        if first[:4] == last[:4]:
            if first[5:] == "01" and last[5:] == "12":
                return first[:4]
            return f"{MONTHS[int(first[5:]) - 1]}–{MONTHS[int(last[5:]) - 1]} {first[:4]}"
        return f"{figure_period_words(first)} – {figure_period_words(last)}"
    if len(period) == 7 and period[4] == "-":
        return f"{MONTHS[int(period[5:]) - 1]} {period[:4]}"
    return period
