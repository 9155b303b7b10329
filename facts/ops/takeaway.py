"""The takeaway line under a headline, in words: a change, a balance that widened, a record."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from facts import lang as language
from facts.model import Derived, Fact, Lang
from facts.numbers import amount, signed_pct

GLANCE = 10  # figures in a list that fit a glance; the rest are a click away


def said(derived: Iterable[Derived], *names: str) -> tuple[Derived, ...]:
    """The derived figures, those named marked as already said by the takeaway."""
    return tuple(
        Derived(d.name, d.value, d.label, d.unit, shown=False) if d.name in names else d
        for d in derived
    )


def find(derived: Iterable[Derived], name: str) -> Derived | None:
    """The first derived figure called `name`, if any."""
    return next((d for d in derived if d.name == name), None)


def side(value: Decimal, lang: Lang = "en") -> str:
    """A balance's side: deficit or surplus."""
    if lang == "es":
        return "déficit" if value < 0 else "superávit"
    return "deficit" if value < 0 else "surplus"


def change_words(
    fact: Fact,
    before: Decimal,
    pct: Decimal | None,
    since: str,
    until: str = "",
    lang: Lang = "en",
) -> str:
    """ "Up 3.1% from 2023 ($324.4 billion)"; a balance as a deficit wider or narrower by $X."""
    if lang == "es":
        return _change_es(fact, before, pct, since, until)
    now = fact.value
    was = (
        ""
        if until
        else f" ({amount(abs(before) if fact.metric == 'balance' else before, fact.unit)})"
    )
    to = f" to {until}" if until else ""
    if fact.metric == "balance":
        in_until = f" in {until}" if until else ""
        if (now < 0) != (before < 0):
            return f"A {side(now)}{in_until}, after a {side(before)} in {since}{was}"
        gap = abs(now) - abs(before)
        how = "unchanged" if gap == 0 else ("wider" if gap > 0 else "narrower")
        by = f" by {amount(abs(gap), fact.unit)}" if gap else ""
        return f"{side(now).capitalize()} {how}{by}{in_until} than in {since}{was}"
    if pct is None or now == before:
        return f"Unchanged from {since}{to}{was}"
    word = "Up" if now > before else "Down"
    return f"{word} {signed_pct(abs(pct)).lstrip('+')} from {since}{to}{was}"


def _change_es(fact: Fact, before: Decimal, pct: Decimal | None, since: str, until: str) -> str:
    now, unit = fact.value, fact.unit
    shown = abs(before) if fact.metric == "balance" else before
    was = "" if until else f" ({language.amount(shown, unit, 'es')})"
    to = f" a {until}" if until else ""
    since_word = "de" if until else "desde"
    if fact.metric == "balance":
        in_until = f" en {until}" if until else ""
        if (now < 0) != (before < 0):
            return f"Un {side(now, 'es')}{in_until}, tras un {side(before, 'es')} en {since}{was}"
        gap = abs(now) - abs(before)
        if gap == 0:
            return f"{side(now, 'es').capitalize()} igual que en {since}{was}"
        how = "mayor" if gap > 0 else "menor"
        by = language.amount(abs(gap), unit, "es")
        return f"{side(now, 'es').capitalize()} {how} en {by}{in_until} que en {since}{was}"
    if pct is None or now == before:
        return f"Sin cambio {since_word} {since}{to}{was}"
    word = "Sube" if now > before else "Baja"
    return f"{word} {language.signed_pct(abs(pct), 'es').lstrip('+')} {since_word} {since}{to}{was}"


def record(facts: tuple[Fact, ...], lang: Lang = "en") -> str:
    """The record of a series in words: "peak: 2024 ($334.5 billion)", or its largest deficit."""
    if facts[0].metric == "balance" and min(f.value for f in facts) < 0:
        low = min(facts, key=lambda f: f.value)
        words = "mayor déficit" if lang == "es" else "largest deficit"
        return f"{words}: {_when_what(low, -low.value, lang)}"
    peak = max(facts, key=lambda f: f.value)
    return f"{'máximo' if lang == 'es' else 'peak'}: {_when_what(peak, peak.value, lang)}"


def _when_what(fact: Fact, value: Decimal, lang: Lang) -> str:
    return f"{language.period(fact.period, lang)} ({language.amount(value, fact.unit, lang)})"


def glance(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """A long series at a glance: the first and last periods, the highest and the lowest."""
    if len(facts) <= GLANCE:
        return ()
    ends = (facts[0], facts[-2], facts[-1], max(facts, key=_value), min(facts, key=_value))
    return tuple(f for f in facts if f in ends)


def _value(fact: Fact) -> Decimal:
    return fact.value
