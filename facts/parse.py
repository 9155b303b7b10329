"""Understand a question: free text in English or Spanish to a typed Query, or None."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz, process

from facts.model import Op, Query
from facts.parse_border import BorderIndex, parse_border
from facts.patterns import (
    ANSI_ESCAPE,
    CHANGES,
    CHECK_REQUEST,
    CLAIM_NUMBER,
    CLAIMS_LIST,
    COMPARE,
    CURRENCIES,
    DRUGS,
    EXTREME_LOW,
    EXTREME_PARTNER,
    EXTREME_TIME,
    FILLER_WORDS,
    FLOW_TYPO_TARGETS,
    FUNCTION_WORDS,
    HELP,
    METRIC_PATTERNS_RE,
    NATIONALITY,
    PER_CAPITA,
    PORTS,
    PRODUCTS,
    RANK_OF,
    REMOVALS,
    SENTENCE_END,
    SERIES_PATTERNS_RE,
    SERVICES,
    SHARE,
    SLACK_MARKUP,
    SQL_LIKE,
    THIRD_COUNTRY,
    TOP,
    TREND,
    UNSUPPORTED,
    US_STATES,
    VOCABULARY,
    WORLD,
    ZERO_WIDTH,
)
from facts.reading import Reader, read_period
from facts.vocabulary import (
    ClaimIndex,
    CountryIndex,
    Found,
    normalise,
    restated_claims,
    unify,
)

TRADE_METRICS = ("exports", "imports", "balance", "total")
MAX_QUESTION = 500  # characters; longer input is not a question we answer


# Qualifiers the store cannot serve, in the order they are looked for.
_BLOCKED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("us_state", US_STATES),
    ("port", PORTS),
    ("removals", REMOVALS),
    ("services", SERVICES),
    ("currency", CURRENCIES),
)
_CHANGE_WORDS = re.compile(
    r"\b(change|changed|grow|grew|growth|increase|increased|decrease|decreased|decline|declined|"
    r"fell|fall|rose|rise|up|down|yoy|y/y|year over year|year on year|a year earlier|cambio|"
    r"grown|growing|risen|rising|fallen|falling|dropped|drop|increasing|decreasing|declining|"
    r"crecio|crecieron|crecimiento|aumento|cayo|bajo|subio|variacion|anual|annual|yearly)\b"
)
_SERIES_QUALIFIERS = re.compile(
    r"\b(border|frontera|land|cbp|at|by|customs|aduanas|month|monthly)\b"
)
_SUM_WORDS = re.compile(r"\b(and|y|plus|combined|together|juntos|\+|sum|total)\b")
_OR = re.compile(r"\bor\b")
_COUNTED = re.compile(r"\b(?:how many|cuantos|cuantas)\s+(?:\w+\s+){0,2}?(\w+)")
_IN_DOLLARS = frozenset(("exports", "imports", "balance", "total", "duties"))
_MONEY_NOUNS = frozenset("dollars dollar usd billions billion millions million dolares".split())
_DIGIT = re.compile(r"\d")
_RANKED_NOUNS = re.compile(
    r"\b(markets?|suppliers?|partners?|buyers?|customers?|destinations?|sources?|mercados?|"
    r"proveedores?|socios?|clientes?)\b"
)
_BY_MONTH = re.compile(r"\b(trend|over time|history|monthly|by month|each month|por mes)\b")
_SPEND = re.compile(r"\b(exports?|exportaciones|spend|spends|spent|buys?|gasta|gastan)\b")
_FLOWS = re.compile(r"\b(export|import)\w*\b")
_TRADE_WORDS = re.compile(r"\b(trade|trading|comercio|comercial|commerce|total|two way)\b")
# "Mexico exports to the U.S.": what the U.S. imports; "Mexico imports from the U.S.": exports.
_US = r"(the\s+)?(us|usa|united states|america|eeuu|estados unidos)\b"
_PARTNER_EXPORTS_TO_US = re.compile(r"\bexport\w*\s+(to|into|a|hacia)\s+" + _US)
_PARTNER_IMPORTS_FROM_US = re.compile(r"\bimport\w*\s+(from|de|desde)\s+" + _US)
_DRUG_WORDS = re.compile(r"\b(" + "|".join(DRUGS) + r")\b")
_THIRD_COUNTRY_VERB = re.compile(
    r"\b(sells?|sold|exports?|exported|buys?|bought|imports?|imported|ships?|shipped|vende|"
    r"compra|exporta|importa)\b\s+(?:\w+\s+){0,2}?(to|from|a|de)\b"
)


def text_to_check(text: str) -> str | None:
    """The text a message asks to check: after "check:", or a pasted paragraph with figures.

    A paragraph is two sentences or more with a digit in them.
    """
    if (match := CHECK_REQUEST.match(text)) and not re.match(
        r"\s*(the )?claims?\b", text[match.end() :], re.I
    ):
        return text[match.end() :].strip()
    if _DIGIT.search(text) and len(SENTENCE_END.findall(text.strip())) >= 2:
        return text.strip()
    return None


def parse_question(
    text: str, countries: CountryIndex, claims: ClaimIndex, border: BorderIndex | None = None
) -> Query | None:
    """The Query a question asks, or None when it is not understood.

    Every content word is either used by the Query or reported in `not_used` (operation REFUSE):
    a qualifier the store cannot serve is never dropped to answer a broader question.
    """
    query = _parse(text, countries, claims, border)
    if query is None or query.op == Op.REFUSE or query.metric not in _IN_DOLLARS:
        return query
    # "How many trucks crossed at Laredo?" asks for a count; a dollar value would answer
    # another question.
    counted = _COUNTED.search(normalise(text))
    if counted and counted.group(1) not in _MONEY_NOUNS:
        return replace(
            query, op=Op.REFUSE, refusal="count", not_used=(counted.group(1),), dimension=""
        )
    return query


def _parse(
    text: str, countries: CountryIndex, claims: ClaimIndex, border: BorderIndex | None
) -> Query | None:
    if (checked := text_to_check(text)) is not None:
        return Query(Op.CHECK, text=checked)
    if len(text) > MAX_QUESTION or SQL_LIKE.search(text):
        return None  # nobody asks for trade figures in SQL; answer "not understood" plainly
    # Slack markup (<!channel>, <@U1>, <https://x|y>) and terminal escapes are not words.
    original = text
    text = SLACK_MARKUP.sub(" ", ANSI_ESCAPE.sub("", ZERO_WIDTH.sub("", text)))
    norm = _fix_typos(normalise(text), countries)
    if not norm and text.strip() != original.strip():
        return None  # only markup or symbols: nothing to read
    if not norm or HELP.match(norm):
        return Query(Op.HELP)
    if CLAIMS_LIST.match(norm):
        return Query(Op.CLAIMS)
    if CHANGES.match(norm):
        return Query(Op.CHANGES)
    if number := CLAIM_NUMBER.search(norm):
        claim = claims.numbers.get(int(number.group(1)))
        return Query(Op.CLAIM, claim_ids=(claim or "",))
    if restated := restated_claims(norm, claims):
        return Query(Op.CLAIM, claim_ids=tuple(restated))
    # U.S. states, ports, modes, goods, duties, citizenship: facts.parse_border reads them.
    if border is not None and (query := parse_border(norm, text, countries, border)):
        return query
    reader = Reader(norm)
    blocked = [(kind, w) for kind, pattern in _BLOCKED for w in reader.take_all(pattern)]
    unsupported = [w for w in reader.take_all(UNSUPPORTED)]
    products = [w for i, (_, _, w) in enumerate(reader.tokens) if w in PRODUCTS]
    for i, (_, _, w) in enumerate(reader.tokens):
        if w in PRODUCTS:
            reader.used[i] = True
    skip = frozenset(i for i, used in enumerate(reader.used) if used)
    found = countries.find(unify(text), norm, skip)
    for i in found.used:
        reader.used[i] = True
    metric = _metric(reader, found)
    period = read_period(reader)
    if metric == "encounters" and (nationals := reader.take_all(NATIONALITY)):
        blocked.append(("nationality", nationals[0]))
    partners = tuple(p for p in found.partners)
    if metric == "encounters" or metric == "seizures":
        partners = ()
    query = Query(Op.LOOKUP, metric, partners, period, words=())
    if unsupported:
        word = unsupported[0]
        word = word.upper() if len(word) <= 3 else word  # GDP, FDI, PIB
        return replace(query, op=Op.REFUSE, refusal="unsupported", not_used=(word,))
    if (
        len(partners) >= 2
        and not found.us_mentioned
        and (THIRD_COUNTRY.search(norm) or _THIRD_COUNTRY_VERB.search(norm))
        and not (COMPARE.search(norm) or re.search(r"\b(and|y|plus)\b", norm))
    ):
        return replace(query, op=Op.REFUSE, refusal="third_country")
    if not metric:
        if blocked or products:
            kind, word = blocked[0] if blocked else ("product", products[0])
            return replace(query, op=Op.REFUSE, refusal=kind, not_used=(word,))
        return None
    read = _read_operation(reader, query, found)
    if read is None:
        return None
    query = read
    if blocked or products:
        kind, word = blocked[0] if blocked else ("product", products[0])
        words = tuple(w for _, w in blocked) + tuple(products)
        return replace(query, op=Op.REFUSE, refusal=kind, not_used=words or (word,))
    leftover = reader.unused()
    unknown = [w for w in found.unknown if w in leftover]  # "from january": a month, not a place
    if unknown and metric not in ("encounters", "seizures"):
        return replace(query, op=Op.REFUSE, refusal="unknown_partner", not_used=(unknown[0],))
    if leftover:
        return replace(query, op=Op.REFUSE, refusal="unknown_word", not_used=tuple(leftover))
    return replace(query, words=reader.words())


def _fix_typos(norm: str, countries: CountryIndex) -> str:
    """Correct a misspelt flow or series word ("imoprts" -> "imports")."""
    words = norm.split()
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha() or word in VOCABULARY or word in countries.names:
            continue
        if word in FUNCTION_WORDS or word in FILLER_WORDS or word in PRODUCTS:
            continue
        best = process.extractOne(word, FLOW_TYPO_TARGETS, scorer=fuzz.ratio, score_cutoff=80)
        if best and best[0] != word and best[0][0] == word[0]:  # "ports" is not "exports"
            words[i] = best[0]
    return " ".join(words)


def _read_operation(reader: Reader, query: Query, found: Found) -> Query | None:
    """The operation the question asks for, its details, and the words that said so."""
    norm, metric, period = reader.norm, query.metric, query.period
    subject: dict[str, Any] = {}  # the fields read here, set on the query once, at the end
    if metric == "encounters":
        series = next(s for s, pattern in SERIES_PATTERNS_RE if reader.take(pattern))
        reader.take_all(_SERIES_QUALIFIERS)
        subject["partners"] = (series,)
    elif metric == "seizures":
        drug = next((DRUGS[w] for w in norm.split() if w in DRUGS), "")
        reader.take_all(_DRUG_WORDS)
        reader.take_all(_SERIES_QUALIFIERS)
        subject["drug"] = drug
    partners = subject.get("partners", query.partners)
    if metric == "population" and not partners and found.us_mentioned:
        partners = subject["partners"] = ("USA",)
    subject["per_capita"] = bool(reader.take(PER_CAPITA)) and metric in (
        "exports",
        "imports",
        "total",
    )
    trade = metric in TRADE_METRICS
    world = reader.take(WORLD)
    superlative = EXTREME_PARTNER.search(norm) or EXTREME_TIME.search(norm)
    asked_world = period or world or TOP.search(norm) or superlative
    if trade and not partners and not found.unknown and not asked_world:
        return None
    if trade and not partners and (match := reader.take(EXTREME_PARTNER)):
        low = bool(EXTREME_LOW.search(match.group())) or match.group(2) == "deficit"
        metric = _partner_extreme_metric(match.group(2), metric)
        reader.take(TOP)
        return replace(
            query,
            **subject,
            op=Op.EXTREME,
            metric=metric,
            extreme="min" if low else "max",
            over="partners",
        )
    if match := reader.take(EXTREME_TIME):
        whole = match.group()
        low = bool(EXTREME_LOW.search(whole))
        years = re.search(r"\b(year|ano)\b", whole)
        return replace(
            query,
            **subject,
            op=Op.EXTREME,
            extreme="min" if low else "max",
            over="years" if years else "months",
        )
    if period and period.kind == "pair":
        reader.take(COMPARE)
        return replace(query, **subject, op=Op.COMPARE_PERIODS)
    if partners and trade and reader.take(SHARE):
        reader.take_all(_SUM_WORDS)
        return replace(query, **subject, op=Op.SHARE)
    if len(partners) >= 2:
        if reader.take(COMPARE) or reader.take(_OR):
            reader.take_all(TOP)  # "overtake as top market": the two figures answer it
            return replace(query, **subject, op=Op.COMPARE)
        reader.take_all(_SUM_WORDS)
        return replace(query, **subject, op=Op.SUM)
    if len(partners) == 1 and (reader.take(RANK_OF) or reader.take(TOP)):
        reader.take_all(TOP)
        return replace(query, **subject, op=Op.RANK_OF)
    if not partners and trade and (match := reader.take(TOP)):
        reader.take_all(TOP)
        reader.take(_RANKED_NOUNS)
        return replace(query, **subject, op=Op.RANK, top_n=_top_n(match))
    by_month = _BY_MONTH.search(norm)
    if metric == "seizures" and period and period.kind == "since" and not by_month:
        return replace(
            query, **subject, op=Op.LOOKUP
        )  # "fentanyl seized since February": one total
    if period and period.kind in ("years", "since"):
        reader.take(TREND)
        reader.take_all(_CHANGE_WORDS)
        return replace(query, **subject, op=Op.TREND)
    if reader.take(TREND):
        reader.take_all(_CHANGE_WORDS)
        if period and period.kind not in ("latest",):
            return replace(query, **subject, op=Op.LOOKUP)
        return replace(query, **subject, op=Op.TREND)
    reader.take_all(_CHANGE_WORDS)  # a lookup shows the change on a year earlier
    return replace(query, **subject, op=Op.LOOKUP)


def _partner_extreme_metric(noun: str, metric: str) -> str:
    if noun in ("deficit", "surplus"):
        return "balance"
    if noun in ("supplier", "source", "exporter", "proveedor"):
        return "imports"
    if noun in ("market", "buyer", "customer", "importer", "mercado", "cliente"):
        return "exports"
    if noun in ("partner", "trading partner", "socio"):
        return "total" if metric in ("total", "exports") else metric
    return metric


def _metric(reader: Reader, found: Found) -> str:
    norm = reader.norm
    if PER_CAPITA.search(norm) and not re.search(r"\b(imports?|importaciones)\b", norm):
        reader.take(_SPEND)
        return "exports"
    if re.search(r"\bexport", norm) and re.search(r"\bimport", norm):
        reader.take_all(_FLOWS)
        return "balance"  # "exports vs imports": the balance, shown with both flows
    for metric, pattern in METRIC_PATTERNS_RE:
        if reader.take(pattern):
            reader.take_all(pattern)
            if metric == "exports" and (
                _bought_from_partner(norm) or _PARTNER_EXPORTS_TO_US.search(norm)
            ):
                return "imports"
            if metric == "imports" and _PARTNER_IMPORTS_FROM_US.search(norm):
                return "exports"
            if metric == "imports" and _sold_to_partner(norm):
                return "exports"
            if metric in TRADE_METRICS:
                reader.take_all(_TRADE_WORDS)
            return metric
    if any(w in DRUGS for w in norm.split()):
        return "seizures"
    if found.partners and not found.us_mentioned:
        return "exports"  # "mexico 2024": the product's headline figure
    if found.partners:
        return "total"
    return ""


def _sold_to_partner(norm: str) -> bool:
    """'did the US sell to Canada' asks for U.S. exports; 'Mexico sold to the US' for imports."""
    match = re.search(r"\b(sells?|sold|selling|vende|vendio)\b.*\b(to|a)\s+(the\s+)?(\S+)", norm)
    return match is not None and match.group(4) not in ("us", "usa", "america", "united", "eeuu")


def _bought_from_partner(norm: str) -> bool:
    """'did the US buy from Mexico' asks for U.S. imports; 'Mexico buy from the US' for exports."""
    match = re.search(r"\b(buys?|bought|purchased?|compro|compra)\b.*\bfrom\s+(the\s+)?(\S+)", norm)
    if match is None:
        return False
    return match.group(3) not in ("us", "usa", "u.s", "america", "united", "eeuu")


def _top_n(match: re.Match[str]) -> int:
    """N of "top N" (any N: a ranking shows every partner when N is more than there are)."""
    return max(1, int(match.group(3))) if match.group(3) else 10
