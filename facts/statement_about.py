"""What a statement is about: its partners, flow, series and drug, and why the store cannot
check it (a scope such as small business, services or a port)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from facts.patterns import DRUGS, METRIC_PATTERNS, SERIES_PATTERNS, UNSUPPORTED
from facts.statement_words import SCOPES, THAN, US
from facts.vocabulary import CountryIndex

if TYPE_CHECKING:
    from facts.extract import Statement, _Sentence


def partners_after_than(countries: CountryIndex, text: str, also: str = "") -> tuple[str, ...]:
    """Partners named after "than" (or `also`): the other side of a comparison."""
    than = THAN.search(text) or (re.search(rf"\b({also})\b", text) if also else None)
    if than is None:
        return ()
    rest = re.split(r"[;]|\bwhile\b|\bmientras\b", text[than.end() :])[0]
    return tuple(p for p in partners_in(countries, rest) if p != "USA")


def partners_in(countries: CountryIndex, norm: str, original: str = "") -> tuple[str, ...]:
    """Partners named in the text, checked against the words (fuzzy guesses are dropped)."""
    found = countries.find(original or norm, norm)
    words = f" {norm} "
    names = names_by_code(countries)
    out = [
        code
        for code in found.partners
        if any(f" {name} " in words for name in names.get(code, ()))
        or (original and re.search(rf"\b{code}\b", original))
    ]
    if found.us_mentioned or re.search(r"\b(us|usa|united states|america|eeuu)\b", norm):
        out.append("USA")
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4)
@lru_cache(maxsize=4)
def names_by_code(countries: CountryIndex) -> dict[str, tuple[str, ...]]:
    """Every name of each partner, by code (to keep only partners the text really names)."""
    names: dict[str, list[str]] = {}
    for name, code in countries.names.items():
        names.setdefault(code, []).append(name)
    return {code: tuple(n) for code, n in names.items()}


def metric_of(norm: str) -> str:
    # The partner's point of view: its imports from the U.S. are U.S. exports, and back.
    """The flow or series a text speaks of, from the U.S. point of view ("" if none)."""
    if (
        re.search(
            rf"\b(imports?|importaciones|compras|purchases)( \w+)? (from|desde|de) {US}", norm
        )
        or re.search(r"\b(us|united states|america) (sales|exports|shipments) to\b", norm)
        or re.search(r"\b(us|united states|america) (sold|sells|exported|shipped)\b", norm)
    ):
        return "exports"
    if (
        re.search(rf"\b(exports?|exportaciones|ventas|sales)( \w+)? (to|a|hacia) {US}", norm)
        or re.search(rf"\b(shipped|sold|sells|sent|vendio|envio)\b[^.]*?\b(to|a) {US}", norm)
        or re.search(r"\bexportaciones (mexicanas|canadienses|chinas)\b", norm)
    ):
        return "imports"
    partner_exports = r"\b(mexico|canada|china)( s)? exports\b"
    if re.search(
        r"\b(exports?|exportaciones) (from|de) (mexico|canada|china)\b", norm
    ) or re.search(partner_exports, norm):
        return "imports"
    if re.search(r"\b(us|united states) (bought|imported|buys|imports) ", norm):
        return "imports"
    for metric, pattern in METRIC_PATTERNS:
        if re.search(pattern, norm):
            return metric
    if re.search(r"\b(consumers?|spend|gastan|consumidores)\b", norm):
        return "exports"
    return ""


def about_statement(
    statement: Statement,
    sentence: _Sentence,
    countries: CountryIndex,
    previous: Statement | None = None,
) -> Statement:
    """The statement with its partners, flow, series, drug, period and scope filled in."""
    norm = sentence.norm
    clause = statement.clause
    scope, word = scope_of(statement, clause, norm)
    subjects = tuple(p for p in partners_in(countries, before_than(statement.lead)) if p != "USA")
    if not subjects:
        subjects = tuple(p for p in partners_in(countries, before_than(clause)) if p != "USA")
    if not subjects:
        subjects = tuple(
            p
            for p in partners_in(countries, before_than(norm))
            if p != "USA" and p not in statement.others
        )
    metric = metric_of(clause) or (previous.metric if previous else "") or sentence.metric
    if statement.unit in ("encounters",) or (
        statement.kind in ("record", "change") and metric in ("", "encounters")
    ):
        metric = "encounters" if re.search(METRIC_PATTERNS[2][1], norm) else metric
    if statement.unit in ("kg", "lb"):
        metric = "seizures"
    if statement.kind == "per_capita":
        metric = "exports" if metric in ("", "exports", "total") else metric
    series = ""
    if metric == "encounters":
        series = next(s for s, p in (*SERIES_PATTERNS, ("nationwide", r"")) if re.search(p, norm))
        if (
            re.search(r"\b(illegal (crossings?|entries)|apprehen\w+)\b", norm)
            and series == "nationwide"
        ):
            series = "usbp-southwest"
    drug = next((DRUGS[w] for w in norm.split() if w in DRUGS), "")
    return replace(
        statement,
        metric=metric,
        partners=subjects,
        series=series,
        drug=drug,
        scope=scope,
        scope_word=word,
        when=sentence.when,
        when_from="text" if sentence.when else "",
    )


def before_than(text: str) -> str:
    """The text before "than": the side a comparison is about."""
    than = THAN.search(text)
    return text[: than.start()] if than else text


def scope_of(statement: Statement, clause: str, norm: str) -> tuple[str, str]:
    """Why the store cannot check the statement, from its clause (or sentence), if it can't."""
    if statement.unit in ("doses", "jobs", "jobs per job", "trucks", "tons"):
        return {"jobs per job": "jobs"}.get(statement.unit, statement.unit), statement.unit
    for whole, text in ((False, clause), (True, norm)):
        for scope, pattern in SCOPES:
            if scope in ("product", "place", "forecast", "company") and whole:
                continue  # only what the statement's own clause says
            if scope == "value added" and statement.kind not in ("ratio", "amount", "share"):
                continue
            if scope == "jobs" and statement.unit not in ("x",) and statement.kind != "ratio":
                continue
            if match := re.search(pattern, text):
                return scope, match.group()
        if match := UNSUPPORTED.search(text):
            word = match.group(1)
            if word not in ("jobs", "job", "employment", "empleo", "services", "investment"):
                return "unsupported", word
    return "", ""
