"""Understand a question: free text in English or Spanish to a Query, or None."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from facts.model import Op, Period, Query

if TYPE_CHECKING:
    from facts.parse_border import BorderIndex
from facts.patterns import (
    ANSI_ESCAPE,
    CLAIM_NUMBER,
    CLAIMS_LIST,
    COMPARE,
    CURRENCIES,
    DEMONYMS,
    DRUGS,
    EXTREME_LOW,
    EXTREME_PARTNER,
    EXTREME_TIME,
    FILLER_WORDS,
    FISCAL,
    FISCAL_TO_DATE,
    FLOW_TYPO_TARGETS,
    FUNCTION_WORDS,
    HALF,
    HELP,
    ISO_MONTH,
    LAST_YEAR,
    LATEST,
    METRIC_PATTERNS_RE,
    MONTH_NAME,
    MONTH_RANGE,
    MONTH_WORDS,
    NATIONALITY,
    NOT_PLACES,
    ORDINALS,
    PER_CAPITA,
    PLACE_PREPOSITIONS,
    PORTS,
    PRODUCTS,
    QUARTER,
    RANGE,
    RANK_OF,
    REMOVALS,
    SAFE_SHORT,
    SERIES_PATTERNS_RE,
    SERVICES,
    SHARE,
    SHOUTED_WORDS,
    SINCE,
    SINCE_MONTH,
    SLACK_MARKUP,
    SLASH_MONTH,
    SO_FAR,
    SPANISH,
    SPANISH_HALF,
    SPANISH_ORDINALS,
    SPANISH_QUARTER,
    SQL_LIKE,
    THIRD_COUNTRY,
    THROUGH_MONTH,
    TOP,
    TREND,
    UNSUPPORTED,
    US_SPELLINGS,
    US_STATES,
    VERIFY,
    VOCABULARY,
    WORLD,
    YEAR,
    YEAR_VS_YEAR,
    YTD,
    ZERO_WIDTH,
)

TRADE_METRICS = ("exports", "imports", "balance", "total")
MAX_QUESTION = 500  # characters; longer input is not a question we answer


@dataclass
class _Found:
    partners: list[str] = field(default_factory=list)
    us_mentioned: bool = False
    unknown: list[str] = field(default_factory=list)  # words that looked like a place but were not
    used: set[int] = field(default_factory=set)  # indices of the words that named a partner


class CountryIndex:
    """Names, aliases and codes of every partner, for exact and fuzzy matching."""

    def __init__(self, entries: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
        self.names: dict[str, str] = {}  # normalised name -> code
        self.codes: dict[str, str] = {}  # upper-case code or short alias -> code
        entries_list = list(entries)
        for code, kind, names in entries_list:
            if kind == "unallocated":
                continue
            if kind in ("country", "former") and len(code) == 3:
                self.codes[code] = code
            for name in names:
                short = name.replace(".", "")
                if len(short) <= 3 and short.isupper() and short.lower() not in SAFE_SHORT:
                    self.codes[short] = code
                else:
                    self.names.setdefault(normalise(name), code)
        self.display = sorted({n for _, kind, names in entries_list for n in names[:1]})
        self._display_normalised = [normalise(n) for n in self.display]
        self._longest = max(len(n.split()) for n in self.names)
        self._single = [n for n in self.names if " " not in n and len(n) >= 4]

    def find(self, original: str, text: str, skip: frozenset[int] = frozenset()) -> _Found:
        """Partners named in text (normalised), in order; codes only if upper-case in original.

        Words at the indices in `skip` (already read as something else) are never a partner.
        """
        found = _Found()
        words = text.split()
        used = [i in skip for i in range(len(words))]
        hits: list[tuple[int, str]] = []
        for size in range(self._longest, 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                code = self.names.get(" ".join(words[i : i + size]))
                if code:
                    hits.append((i, code))
                    used[i : i + size] = [True] * size
                    found.used.update(range(i, i + size))
        for match in re.finditer(r"\b[A-Z]{2,3}\b", original):
            code = self.codes.get(match.group())
            if code and not original.isupper() and match.group() not in SHOUTED_WORDS:
                hits.append((len(original[: match.start()].split()) - 1 + len(words), code))
                lower = match.group().lower()
                found.used.update(i for i, w in enumerate(words) if w == lower)
        for i, word in enumerate(words):
            if used[i] or len(word) < 4 or word in VOCABULARY or not word.isalpha():
                continue
            if word in DEMONYMS:
                hits.append((i, DEMONYMS[word]))
                found.used.add(i)
                continue
            best = process.extractOne(word, self._single, scorer=fuzz.ratio, score_cutoff=80)
            if best:
                hits.append((i, self.names[best[0]]))
                found.used.add(i)
        spanish = bool(SPANISH.search(text))
        for i, word in enumerate(words[:-1]):
            nxt = words[i + 1]
            if (
                (word in PLACE_PREPOSITIONS or (word == "a" and spanish))
                and not used[i + 1]
                and nxt.isalpha()
                and len(nxt) >= 3
                and nxt not in VOCABULARY
                and nxt not in NOT_PLACES
                and not any(p == i + 1 for p, _ in hits)
            ):
                found.unknown.append(nxt)
        for _, code in sorted(hits):
            if code == "USA":
                found.us_mentioned = True
            elif code not in found.partners:
                found.partners.append(code)
        return found

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Closest names to an unknown word."""
        matches = process.extract(
            normalise(word), self._display_normalised, scorer=fuzz.WRatio, limit=limit
        )
        return [self.display[m[2]] for m in matches]


def _unify(text: str) -> str:
    """U.S., U.S.A., EE.UU. -> US; E.U. -> EU (before dots become spaces)."""

    def spelled(match: re.Match[str]) -> str:
        found = match.group(1).upper()
        return "EU" if found.startswith("E.") and "UU" not in found else "US"

    return US_SPELLINGS.sub(spelled, text)


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces (keeps digits, '.', '-', '%', '/')."""
    text = unicodedata.normalize("NFKD", _unify(ZERO_WIDTH.sub("", text)))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`]s\b", " 's", text)
    text = re.sub(r"[^a-z0-9.%/\-–—+' ]+", " ", text).replace("+", " + ")
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)  # keep decimal points only
    text = re.sub(r"(?<=[a-z])[-–—/](?=[a-z])", " ", text)  # "u.s.-mexico", "op-ed", "t-mec"
    return " ".join(text.split())


class ClaimIndex:
    """What recognises a claim in a question: its number, its topic and its keywords."""

    def __init__(self, claims: Iterable[tuple[str, int, str, Iterable[str]]]) -> None:
        self.numbers: dict[int, str] = {}
        self.topics: dict[str, list[str]] = {}
        # keyword -> weight: a single word counts 1; a phrase or a figure ("2.3", "335
        # billion") counts 2 and is matched as a whole.
        self.terms: dict[str, list[tuple[str | re.Pattern[str], int]]] = {}
        for claim_id, number, topic, keywords in claims:
            self.numbers[number] = claim_id
            self.topics.setdefault(normalise(topic), []).append(claim_id)
            self.terms[claim_id] = [_term(normalise(k)) for k in keywords]


def _term(term: str) -> tuple[str | re.Pattern[str], int]:
    if " " in term or not term.isalpha():
        return re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w]|\.\d)"), 2
    return term, 1


class _Reader:
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
    r"crecio|crecimiento|aumento|cayo|bajo|subio|variacion|anual|annual|yearly)\b"
)
_SERIES_QUALIFIERS = re.compile(
    r"\b(border|frontera|land|cbp|at|by|customs|aduanas|month|monthly)\b"
)
_SUM_WORDS = re.compile(r"\b(and|y|plus|combined|together|juntos|\+|sum|total)\b")
_OR = re.compile(r"\bor\b")
_STATED_FIGURE = re.compile(r"\b\d+(\.\d+)?\s*((times|x|veces|percent|billion|kg)\b|%)")
_RANKED_NOUNS = re.compile(
    r"\b(markets?|suppliers?|partners?|buyers?|customers?|destinations?|sources?|mercados?|"
    r"proveedores?|socios?|clientes?)\b"
)
_BY_MONTH = re.compile(r"\b(trend|over time|history|monthly|by month|each month|por mes)\b")
_SPEND = re.compile(r"\b(exports?|exportaciones|spend|spends|spent|buys?|gasta|gastan)\b")
_FLOWS = re.compile(r"\b(export|import)\w*\b")
_TRADE_WORDS = re.compile(r"\b(trade|trading|comercio|commerce|total|two way)\b")
_DRUG_WORDS = re.compile(r"\b(" + "|".join(DRUGS) + r")\b")
_THIRD_COUNTRY_VERB = re.compile(
    r"\b(sells?|sold|exports?|exported|buys?|bought|imports?|imported|ships?|shipped|vende|"
    r"compra|exporta|importa)\b\s+(?:\w+\s+){0,2}?(to|from|a|de)\b"
)


def parse_question(
    text: str, countries: CountryIndex, claims: ClaimIndex, border: BorderIndex | None = None
) -> Query | None:
    """The Query a question asks, or None when it is not understood.

    Every content word is either used by the Query or reported in `not_used` (operation REFUSE):
    a qualifier the store cannot serve is never dropped to answer a broader question.
    """
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
    if number := CLAIM_NUMBER.search(norm):
        claim = claims.numbers.get(int(number.group(1)))
        return Query(Op.CLAIM, claim_ids=(claim or "",))
    if restated := _claims(norm, claims):
        return Query(Op.CLAIM, claim_ids=tuple(restated))
    if border is not None:  # U.S. states, ports, modes, goods, duties, citizenship
        from facts.parse_border import parse_border  # it reads with this module's _Reader

        if (query := parse_border(norm, text, countries, border)) is not None:
            return query
    reader = _Reader(norm)
    blocked = [(kind, w) for kind, pattern in _BLOCKED for w in reader.take_all(pattern)]
    unsupported = [w for w in reader.take_all(UNSUPPORTED)]
    products = [w for i, (_, _, w) in enumerate(reader.tokens) if w in PRODUCTS]
    for i, (_, _, w) in enumerate(reader.tokens):
        if w in PRODUCTS:
            reader.used[i] = True
    skip = frozenset(i for i, used in enumerate(reader.used) if used)
    found = countries.find(_unify(text), norm, skip)
    for i in found.used:
        reader.used[i] = True
    metric = _metric(reader, found)
    period = _period(reader)
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


def _read_operation(reader: _Reader, query: Query, found: _Found) -> Query | None:
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
    if partners and reader.take(SHARE):
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


def _metric(reader: _Reader, found: _Found) -> str:
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
            if metric == "exports" and _bought_from_partner(norm):
                return "imports"
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


def _period(reader: _Reader) -> Period | None:
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


def _fy_start(reader: _Reader, year: int | None) -> tuple[int, int] | None:
    match = reader.take(FISCAL)
    if match:
        return (_full_year(match.group(1) or match.group(2)), 10)
    if year is not None:
        reader.take_word(str(year))
        return (year, 10)
    return None


def _top_n(match: re.Match[str]) -> int:
    """N of "top N" (any N: a ranking shows every partner when N is more than there are)."""
    return max(1, int(match.group(3))) if match.group(3) else 10


def _claims(norm: str, index: ClaimIndex) -> list[str]:
    """Claims the question restates or names by topic (empty if it asks for data)."""
    words = set(norm.split())
    bare = norm.strip(" ?!.")
    for topic, ids in index.topics.items():
        # A bare topic ("fentanyl", "per capita", "small business") asks for the claim.
        if bare in (topic, f"{topic} claim", f"{topic} claims"):
            return ids
    if "small business" in norm or re.search(r"\b(sme|smes|pyme|pymes)\b", norm):
        return index.topics.get("small business", [])
    verify = VERIFY.search(norm)
    if not (verify or _STATED_FIGURE.search(norm)):
        return []  # neither "is it true..." nor a stated figure: a question, not a claim
    scores = {
        claim_id: sum(
            weight
            for term, weight in terms
            if (term in words if isinstance(term, str) else term.search(norm))
        )
        for claim_id, terms in index.terms.items()
    }
    best = max(scores.items(), key=lambda item: item[1], default=("", 0))
    if best[1] >= 3 or (best[1] >= 2 and verify):
        return [best[0]]
    return []
