"""Numbers for reading: "$334.5 billion", "+3.1%", "#2" (the data themselves are never rounded)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _round(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _grouped(value: Decimal, places: int = 0) -> str:
    return f"{_round(value, places):,.{places}f}"


def money(value: Decimal) -> str:
    """$334.5 billion, $12.3 million, $4,000 — rounded for reading, never in the data."""
    sign = "-" if value < 0 else ""
    size = abs(Decimal(value))
    if size >= Decimal("1e12"):
        return f"{sign}${_grouped(size / Decimal('1e12'), 2)} trillion"
    if size >= Decimal("1e9"):
        return f"{sign}${_grouped(size / Decimal('1e9'), 1)} billion"
    if size >= Decimal("1e6"):
        return f"{sign}${_grouped(size / Decimal('1e6'), 1)} million"
    return f"{sign}${_grouped(size, 2 if size < 1000 and size != int(size) else 0)}"


def amount(value: Decimal | None, unit: str) -> str:
    """A value in its unit, for reading."""
    if value is None:
        return "n/a"
    if unit == "USD":
        return money(value)
    if unit == "USD per person":
        return f"${_grouped(value, 0 if abs(value) >= 1000 else 2)} per person"
    if unit == "x":
        return f"{_grouped(value, 2)}×"
    if unit == "%":
        return f"{_grouped(value, 1)}%"
    if unit == "rank":
        return f"#{_grouped(value)}"
    if unit in ("lb", "kg"):
        return f"{_grouped(value, 1)} {unit}"
    if unit in ("people", "encounters", "doses"):
        return f"{_grouped(value)} {unit}"
    return f"{_grouped(value, 2)} {unit}".strip()


def exact(value: Decimal, unit: str) -> str:
    """The figure as stored: whole dollars, people or encounters; pounds to 1/1000."""
    if unit == "USD":
        return f"{'-' if value < 0 else ''}${_grouped(abs(value))}"
    if unit in ("lb", "kg"):
        return f"{_grouped(value, 3)} {unit}"
    return f"{_grouped(value)} {unit}"


def signed_pct(value: Decimal) -> str:
    """+3.1% / -87.7%."""
    places = 2 if abs(value) < 1 else 1
    rounded = _round(value, places)
    return f"{'+' if rounded > 0 else ''}{rounded:,.{places}f}%"


def pct2(value: Decimal) -> str:
    """A rate or share to two decimals: 3.55%."""
    return f"{_round(value, 2):,.2f}%"
