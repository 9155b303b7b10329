"""English or Spanish: which one a question is in, and numbers, months and phrases in each.

Spanish follows Mexican conventions through Babel's es_MX locale: "1,234.5" (comma groups, point
decimals, as in Mexico), month names in lower case, "mil millones" for 10^9 and "billones" for
10^12 (a Spanish billón is a million millions).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from facts import numbers
from facts.model import Lang

__all__ = ["Lang", "amount", "detect", "exact", "month", "period", "signed_pct"]
LOCALE = "es_MX"

# Words that only a Spanish question has (accents folded): trade, border and question words.
_SPANISH = re.compile(
    r"\b(exportaciones?|exporta|importaciones?|importa|balanza|comercio|comercial|"
    r"superavit|cuanto|cuanta|cuantos|cuales?|que tanto|principales|mercados?|socios?|tendencia|"
    r"desde|ano|anos|mes|encuentros|frontera|incautaciones|decomisos|afirmaciones?|ayuda|"
    r"contra|entre|por persona|compra|compro|vende|vendio|primer|segundo|mayor|menor|"
    r"y en|en el|de la|del|los|las|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|octubre|noviembre|diciembre|grafica|como grafica|idioma)\b"
)


def fold(text: str) -> str:
    """Lower case without accents: "Exportación" -> "exportacion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def detect(text: str) -> Lang:
    """ "es" when the question has a word only Spanish uses; otherwise "en"."""
    return "es" if _SPANISH.search(fold(text)) else "en"


@cache
def _months() -> tuple[str, ...]:
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=LOCALE)
    return tuple(names[m] for m in range(1, 13))


def month(number: int, lang: Lang) -> str:
    """The month's name: "March" / "marzo"."""
    return _months()[number - 1] if lang == "es" else numbers_month(number)


def numbers_month(number: int) -> str:
    """The English month name."""
    from facts.words import MONTHS

    return MONTHS[number - 1]


def _decimal(value: Decimal, places: int) -> str:
    from babel.numbers import format_decimal

    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(rounded, format=pattern, locale=LOCALE))


_SPANISH_UNITS = {
    "people": "personas",
    "encounters": "encuentros",
    "doses": "dosis",
}


def amount(value: Decimal | None, unit: str, lang: Lang = "en") -> str:
    """A value in its unit, for reading: "$334.5 billion" / "US$334.5 mil millones"."""
    if lang == "en" or value is None:
        return numbers.amount(value, unit)
    if unit == "USD":
        return _money(value)
    if unit == "USD per person":
        return f"US${_decimal(value, 0 if abs(value) >= 1000 else 2)} por persona"
    if unit == "x":
        return f"{_decimal(value, 2)}×"
    if unit == "%":
        return f"{_decimal(value, 1)}%"
    if unit == "rank":
        return f"#{_decimal(value, 0)}"
    if unit in ("lb", "kg"):
        return f"{_decimal(value, 1)} {unit}"
    if unit in _SPANISH_UNITS:
        return f"{_decimal(value, 0)} {_SPANISH_UNITS[unit]}"
    return f"{_decimal(value, 2)} {unit}".strip()


def _money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    size = abs(Decimal(value))
    if size >= Decimal("1e12"):
        return f"{sign}US${_decimal(size / Decimal('1e12'), 2)} billones"
    if size >= Decimal("1e9"):
        return f"{sign}US${_decimal(size / Decimal('1e9'), 1)} mil millones"
    if size >= Decimal("1e6"):
        return f"{sign}US${_decimal(size / Decimal('1e6'), 1)} millones"
    return f"{sign}US${_decimal(size, 2 if size < 1000 and size != int(size) else 0)}"


def exact(value: Decimal, unit: str, lang: Lang = "en") -> str:
    """The figure as stored: "$334,492,100,000" / "US$334,492,100,000"."""
    if lang == "en":
        return numbers.exact(value, unit)
    if unit == "USD":
        return f"{'-' if value < 0 else ''}US${_decimal(abs(value), 0)}"
    if unit in ("lb", "kg"):
        return f"{_decimal(value, 3)} {unit}"
    return f"{_decimal(value, 0)} {_SPANISH_UNITS.get(unit, unit)}"


def signed_pct(value: Decimal, lang: Lang = "en") -> str:
    """+3.1% / -87.7% (the same digits in both languages, Babel's in Spanish)."""
    if lang == "en":
        return numbers.signed_pct(value)
    places = 2 if abs(value) < 1 else 1
    text = _decimal(value, places)
    return (text if text.startswith("-") or Decimal(text) == 0 else f"+{text}") + "%"


def period(key: str, lang: Lang = "en") -> str:
    """A figure's period in words: "June 2025" / "junio de 2025"."""
    from facts.words import figure_period_words

    if lang == "en":
        return figure_period_words(key)
    if key.startswith("FY"):
        year = int(key[2:])
        return f"año fiscal {year} (octubre de {year - 1} – septiembre de {year})"
    if ".." in key:
        first, last = key.split("..")
        if first[:4] == last[:4]:
            if first[5:] == "01" and last[5:] == "12":
                return first[:4]
            return f"{month(int(first[5:]), 'es')}–{month(int(last[5:]), 'es')} de {first[:4]}"
        return f"{period(first, 'es')} – {period(last, 'es')}"
    if len(key) == 7 and key[4] == "-":
        return f"{month(int(key[5:]), 'es')} de {key[:4]}"
    return key
