"""What the operations share: names, sources, the "Understood" line, headlines, year-ago change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from facts import lang as language
from facts import related
from facts.context import Context
from facts.figures import TRADE_METRICS, figure, year_ago
from facts.model import Answer, AnswerKind, ClaimCheck, Derived, Fact, Lang, NoData, Query, Source
from facts.numbers import amount
from facts.periods import Span
from facts.words import (
    METRIC_WORDS,
    SERIES_WORDS,
    market_word,
    period_words,
)

_HEADLINE_WORDS = {
    "exports": "U.S. exports to {}",
    "imports": "U.S. imports from {}",
    "balance": "U.S. trade balance with {}",
    "total": "U.S. trade with {}",
    "population": "Population of {}",
    "seizures": "CBP seizures of {}",
}
_HEADLINE_WORDS_ES = {
    "exports": "Exportaciones de EE. UU. a {}",
    "imports": "Importaciones de EE. UU. desde {}",
    "balance": "Balanza comercial de EE. UU. con {}",
    "total": "Comercio de EE. UU. con {}",
    "population": "Población de {}",
    "seizures": "Incautaciones de {} de la CBP",
}
SERIES_WORDS_ES = {
    "nationwide": "Encuentros de la CBP en todo el país",
    "southwest": "Encuentros de la CBP en la frontera terrestre suroeste",
    "northern": "Encuentros de la CBP en la frontera terrestre norte",
    "other-air-sea-interior": "Encuentros de la CBP fuera de las fronteras terrestres",
    "usbp-southwest": "Encuentros de la Patrulla Fronteriza en la frontera suroeste",
    "ofo-southwest": "Encuentros en los puertos de entrada de la frontera suroeste",
}
MARKETS_ES = {
    "exports": "mercados de exportación",
    "imports": "proveedores de importaciones",
    "total": "socios comerciales",
}


def t(lang: Lang, english: str, spanish: str) -> str:
    """The phrase in the answer's language."""
    return spanish if lang == "es" else english


def localise(ctx: Context, lang: Lang, facts: Iterable[Fact]) -> tuple[Fact, ...]:
    """The facts with their partners' names in the answer's language ("Mexico" -> "México")."""
    if lang == "en":
        return tuple(facts)
    return tuple(replace(f, label=_label_es(ctx, f)) for f in facts)


def _label_es(ctx: Context, fact: Fact) -> str:
    if fact.metric == "encounters":
        return SERIES_WORDS_ES.get(fact.partner, fact.label)
    if fact.partner == "WORLD":
        return "todos los socios"
    country = ctx.store.countries.get(fact.partner)
    return country.name_es if country and country.name_es else fact.label


def markets(metric: str, lang: Lang) -> str:
    """ "U.S. export markets" / "mercados de exportación de EE. UU."."""
    if lang == "es":
        return f"{MARKETS_ES.get(metric, 'socios')} de EE. UU."
    return f"U.S. {market_word(metric)}"


def name(ctx: Context, code: str, lang: Lang = "en") -> str:
    """A partner's common name ("MEX" -> "Mexico", or "México" in Spanish)."""
    if lang == "es":
        country = ctx.store.countries.get(code)
        if code == "WORLD":
            return "todos los socios"
        return country.name_es if country and country.name_es else ctx.store.label(code)
    return "all partners" if code == "WORLD" else ctx.store.label(code)


def sources(ctx: Context, ids: Iterable[str]) -> tuple[Source, ...]:
    """The sources of these ids, each once, in order; the op-ed (no URL) last."""
    known = ctx.store.sources
    unique = [i for i in dict.fromkeys(ids) if i in known]
    return tuple(known[i] for i in sorted(unique, key=lambda i: known[i].url is None))


def what(fact: Fact, lang: Lang = "en") -> str:
    """What a figure measures: "U.S. exports to Mexico", "CBP encounters nationwide"."""
    label = fact.label.lower() if fact.metric == "seizures" else fact.label
    words = _HEADLINE_WORDS_ES if lang == "es" else _HEADLINE_WORDS
    return words.get(fact.metric, "{}").format(label)


def value_words(fact: Fact, lang: Lang = "en") -> str:
    """A figure for reading; a balance as a deficit or a surplus."""
    if fact.metric == "balance":
        if lang == "es":
            side = "déficit" if fact.value < 0 else "superávit"
            return f"{side} de {language.amount(abs(fact.value), fact.unit, lang)}"
        side = "deficit" if fact.value < 0 else "surplus"
        return f"{side} of {amount(abs(fact.value), fact.unit)}"
    return language.amount(fact.value, fact.unit, lang)


def headline(fact: Fact, lang: Lang = "en") -> str:
    """ "U.S. exports to Mexico, 2024: $334.5 billion" (a partial period says so)."""
    note = f" ({t(lang, fact.note, 'periodo parcial')})" if fact.note else ""
    when = language.period(fact.period, lang)
    return f"{what(fact, lang)}, {when}{note}: {value_words(fact, lang)}"


def understood(ctx: Context, query: Query, resolved: str = "") -> str:
    """What was understood, in words, naming every dimension used (never echoes the user)."""
    lang = query.lang
    names = t(lang, " and ", " y ").join(name(ctx, p, lang) for p in query.partners)
    names = names or t(lang, "all partners", "todos los socios")
    latest = t(lang, "the latest period in the data", "el periodo más reciente de los datos")
    asked = period_words(query.period) if query.period else latest
    when = language.period(resolved, lang) if resolved else asked
    metric_words = _METRIC_WORDS_ES if lang == "es" else METRIC_WORDS
    if query.metric in metric_words:
        subject = f"{metric_words[query.metric]} {names}"
        if query.per_capita:
            subject += t(lang, ", per person", ", por persona")
    elif query.metric == "encounters":
        series = query.partners[0] if query.partners else ""
        subject = (SERIES_WORDS_ES if lang == "es" else SERIES_WORDS).get(series, "")
        subject = subject or t(lang, "CBP encounters", "Encuentros de la CBP")
        subject = subject if lang == "en" else subject[0].lower() + subject[1:]
    elif query.metric == "seizures":
        drug = query.drug or t(lang, "all drugs", "todas las drogas")
        subject = t(lang, f"CBP seizures of {drug}", f"incautaciones de {drug} de la CBP")
    elif query.metric == "population":
        subject = t(lang, f"population of {names}", f"población de {names}")
    else:
        subject = t(lang, "your question", "su pregunta")
    high = query.extreme == "max"
    doing = {
        "rank": t(lang, f"the top {query.top_n} {markets(query.metric, lang)}",
                  f"los {query.top_n} principales {markets(query.metric, lang)}"),
        "rank_of": t(lang, f"where {names} ranks among {markets(query.metric, lang)}",
                     f"el lugar de {names} entre los {markets(query.metric, lang)}"),
        "compare": t(lang, f"{subject}, compared", f"{subject}, comparadas"),
        "compare_periods": t(lang, f"{subject}, one period against another",
                             f"{subject}, un periodo contra otro"),
        "sum": t(lang, f"{subject}, added up", f"{subject}, sumadas"),
        "share": t(lang, f"{subject}, as a share of all partners",
                   f"{subject}, como parte del total"),
        "trend": t(lang, f"{subject}, over time", f"{subject}, a lo largo del tiempo"),
        "extreme": t(lang, f"the {'highest' if high else 'lowest'} {subject}",
                     f"el {'máximo' if high else 'mínimo'} de {subject}"),
    }.get(query.op, subject)  # fmt: skip
    return f"{doing}, {when}"


_METRIC_WORDS_ES = {
    "exports": "exportaciones de bienes de EE. UU. a",
    "imports": "importaciones de bienes de EE. UU. desde",
    "balance": "balanza comercial de bienes de EE. UU. con",
    "total": "comercio de bienes de EE. UU. (exportaciones + importaciones) con",
}


def answer(
    ctx: Context,
    kind: AnswerKind,
    query: Query,
    text: str,
    facts: tuple[Fact, ...],
    derived: tuple[Derived, ...] = (),
    claims: tuple[ClaimCheck, ...] = (),
    headline_text: str = "",
    related: tuple[Fact, ...] = (),
    resolved: str = "",
) -> Answer:
    """An Answer whose sources are those of its figures, then those of its claims."""
    ids = [s for f in (*facts, *related) for s in ctx.store.sources_of(f)]
    ids += [s for c in claims for s in c.source_ids]
    return Answer(
        kind=kind,
        understood=understood(ctx, query, resolved or (facts[0].period if facts else "")),
        question=text,
        facts=facts,
        derived=derived,
        sources=sources(ctx, ids),
        claims=claims,
        headline=headline_text or (headline(facts[0], query.lang) if facts else ""),
        related=related,
        lang=query.lang,
    )


def change(ctx: Context, fact: Fact, span: Span, drug: str = "") -> list[Derived]:
    """The figure against the same months a year earlier (none if those are not in the store)."""
    if fact.metric == "population":
        return []
    earlier_span = span.year_earlier()
    try:
        before = figure(ctx.store, fact.metric, fact.partner, earlier_span, drug)
    except NoData:  # a missing year-ago figure only drops the change lines
        return []
    return year_ago(fact, before)


def rank_extra(ctx: Context, fact: Fact) -> list[Derived]:
    """Where a partner ranked among all partners that calendar year."""
    if fact.metric not in ("exports", "imports", "total") or not fact.period.isdigit():
        return []
    if fact.partner == "WORLD" or fact.note:
        return []
    for position, other in enumerate(ctx.store.ranking(fact.metric, int(fact.period)), start=1):
        if other.partner == fact.partner:
            words = f"among U.S. {market_word(fact.metric)}, {fact.period}"
            return [Derived("rank", Decimal(position), words)]
    return []


def related_claims(
    ctx: Context, kind: str, metric: str, partners: tuple[str, ...], period: str
) -> tuple[ClaimCheck, ...]:
    """Claims whose check measures the same thing as the answer: metric, partners and period."""
    ids = related.related_claims(ctx.measures, metric, partners, period, kind)
    return tuple(ctx.checks[i] for i in ids)


def is_trade(metric: str) -> bool:
    """True for the four Census trade metrics."""
    return metric in TRADE_METRICS
