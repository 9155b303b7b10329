"""Understand a question: free text in English or Spanish to a Query, or None."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from facts.model import Period, Query
from facts.patterns import (
    CLAIM_NUMBER,
    CLAIMS_LIST,
    COMPARE,
    DRUGS,
    HALF,
    HELP,
    ISO_MONTH,
    LAST_YEAR,
    LATEST,
    METRIC_PATTERNS,
    MONTH_NAME,
    MONTH_WORDS,
    NOT_PLACES,
    ORDINALS,
    PER_CAPITA,
    PLACE_PREPOSITIONS,
    QUARTER,
    RANGE,
    RANK_OF,
    SAFE_SHORT,
    SERIES_PATTERNS,
    SHARE,
    SHOUTED_WORDS,
    SINCE,
    SINCE_MONTH,
    SLASH_MONTH,
    SPANISH,
    SQL_LIKE,
    THIRD_COUNTRY,
    TOP,
    TREND,
    UNSUPPORTED,
    US_SPELLINGS,
    VERIFY,
    VOCABULARY,
    WORLD,
    YEAR,
    YEAR_VS_YEAR,
    YTD,
)

TRADE_METRICS = ("exports", "imports", "balance", "total")
MAX_QUESTION = 500  # characters; longer input is not a question we answer


@dataclass
class _Found:
    partners: list[str] = field(default_factory=list)
    us_mentioned: bool = False
    unknown: list[str] = field(default_factory=list)  # words that looked like a place but were not


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
        self._longest = max(len(n.split()) for n in self.names)
        self._single = [n for n in self.names if " " not in n and len(n) >= 4]

    def find(self, original: str, text: str) -> _Found:
        """Partners named in text (normalised), in order; codes only if upper-case in original."""
        found = _Found()
        words = text.split()
        used = [False] * len(words)
        hits: list[tuple[int, str]] = []
        for size in range(self._longest, 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                code = self.names.get(" ".join(words[i : i + size]))
                if code:
                    hits.append((i, code))
                    used[i : i + size] = [True] * size
        for match in re.finditer(r"\b[A-Z]{2,3}\b", original):
            code = self.codes.get(match.group())
            if code and not original.isupper() and match.group() not in SHOUTED_WORDS:
                hits.append((len(original[: match.start()].split()) - 1 + len(words), code))
        for i, word in enumerate(words):
            if used[i] or len(word) < 4 or word in VOCABULARY or not word.isalpha():
                continue
            best = process.extractOne(word, self._single, scorer=fuzz.ratio, score_cutoff=80)
            if best:
                hits.append((i, self.names[best[0]]))
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
            word, self.display, scorer=fuzz.WRatio, limit=limit, processor=normalise
        )
        return [m[0] for m in matches]


def _unify(text: str) -> str:
    """U.S., U.S.A., EE.UU. -> US; E.U. -> EU (before dots become spaces)."""

    def spelled(match: re.Match[str]) -> str:
        found = match.group(1).upper()
        return "EU" if found.startswith("E.") and "UU" not in found else "US"

    return US_SPELLINGS.sub(spelled, text)


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces (keeps digits, '.', '-', '%', '/')."""
    text = unicodedata.normalize("NFKD", _unify(text))
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


def parse_question(text: str, countries: CountryIndex, claims: ClaimIndex) -> Query | None:
    """The Query a question asks, or None when it is not understood."""
    if len(text) > MAX_QUESTION:
        return None
    if SQL_LIKE.search(text):
        return None  # nobody asks for trade figures in SQL; answer "not understood" plainly
    norm = normalise(text)
    if not norm or HELP.match(norm):
        return Query("help")
    if CLAIMS_LIST.match(norm):
        return Query("claims")
    number = CLAIM_NUMBER.search(norm)
    if number:
        claim = claims.numbers.get(int(number.group(1)))
        return Query("claim", claim_ids=(claim,)) if claim else Query("claim", claim_ids=("",))
    found = countries.find(_unify(text), norm)
    metric = _metric(norm, found)
    period = _period(norm)
    restated = _claims(norm, claims)
    if restated:
        return Query("claim", claim_ids=tuple(restated))
    if unsupported := UNSUPPORTED.search(norm):
        word = unsupported.group(1)
        word = word.upper() if len(word) <= 3 else word  # GDP, FDI, PIB
        return Query("unsupported", word, tuple(found.partners), period)
    if (
        len(found.partners) >= 2
        and not found.us_mentioned
        and THIRD_COUNTRY.search(norm)
        and not (COMPARE.search(norm) or re.search(r"\b(and|y|plus)\b", norm))
    ):
        return Query("third_country", metric, tuple(found.partners), period)
    if not metric:
        return None
    drug = next((DRUGS[w] for w in norm.split() if w in DRUGS), "")
    if metric == "encounters":
        series = next(
            s for s, pattern in SERIES_PATTERNS + (("nationwide", r""),) if re.search(pattern, norm)
        )
        trend = (period and period.kind in ("years", "since")) or (
            not period and TREND.search(norm)
        )
        return Query(
            "trend" if trend else "lookup",
            metric,
            (series,),
            period,
        )
    if metric == "seizures":
        op = "trend" if period and period.kind in ("years", "since") else "lookup"
        return Query(op, metric, (), period, drug=drug)
    partners = tuple(found.partners)
    if metric == "population" and not partners and found.us_mentioned:
        partners = ("USA",)
    per_capita = bool(PER_CAPITA.search(norm)) and metric in ("exports", "imports", "total")
    # Without a partner, only an explicit period or "U.S."/"world" makes it a world question.
    world_words = period or WORLD.search(norm) or TOP.search(norm)
    if not partners and not found.unknown and metric in TRADE_METRICS and not world_words:
        return None
    return Query(
        _operation(norm, partners, period),
        metric,
        partners,
        period,
        per_capita,
        _top_n(norm),
        unknown=tuple(found.unknown),
    )


def _metric(norm: str, found: _Found) -> str:
    if PER_CAPITA.search(norm) and not re.search(r"\b(imports?|importaciones)\b", norm):
        return "exports"
    if re.search(r"\bexport", norm) and re.search(r"\bimport", norm):
        return "balance"  # "exports vs imports": the balance, shown with both flows
    for metric, pattern in METRIC_PATTERNS:
        if re.search(pattern, norm):
            if metric == "exports" and _bought_from_partner(norm):
                return "imports"
            if metric == "imports" and _sold_to_partner(norm):
                return "exports"
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


def _period(norm: str) -> Period | None:
    if match := YEAR_VS_YEAR.search(norm):
        return Period("pair", (int(match.group(1)), 1), (int(match.group(2)), 12))
    if match := QUARTER.search(norm):
        quarter = int(match.group(1) or match.group(2) or ORDINALS[match.group(3)])
        year = int(match.group(4))
        return Period("months", (year, 3 * quarter - 2), (year, 3 * quarter))
    if match := HALF.search(norm):
        half = int(match.group(1) or ORDINALS[match.group(2)])
        year = int(match.group(3))
        return Period("months", (year, 6 * half - 5), (year, 6 * half))
    if match := RANGE.search(norm):
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        return Period("years", (first, 1), (last, 12))
    if match := SINCE_MONTH.search(norm):
        return Period("since", (int(match.group(2)), MONTH_WORDS[match.group(1)]), None)
    if match := SINCE.search(norm):
        return Period("since", (int(match.group(1)), 1))
    if match := ISO_MONTH.search(norm):
        return Period("month", (int(match.group(1)), int(match.group(2))))
    if match := SLASH_MONTH.search(norm):
        return Period("month", (int(match.group(2)), int(match.group(1))))
    if match := MONTH_NAME.search(norm):
        return Period("month", (int(match.group(2)), MONTH_WORDS[match.group(1)]))
    found = re.search(rf"\b{YEAR}\b", norm)
    if YTD.search(norm):
        return Period("ytd", (int(found.group(1)), 1) if found else None)
    if found:
        return Period("year", (int(found.group(1)), 1))
    if LAST_YEAR.search(norm):
        return Period("latest", None, (0, 0))  # end (0, 0): the latest full year
    if LATEST.search(norm):
        return Period("latest")
    return None


def _operation(norm: str, partners: tuple[str, ...], period: Period | None) -> str:
    if period and period.kind == "pair":
        return "compare_years"
    if SHARE.search(norm) and partners:
        return "share"
    if len(partners) >= 2:
        return "compare" if COMPARE.search(norm) or " or " in f" {norm} " else "sum"
    if len(partners) == 1 and (RANK_OF.search(norm) or TOP.search(norm)):
        return "rank_of"
    if not partners and TOP.search(norm):
        return "rank"
    if period and period.kind in ("years", "since"):
        return "trend"
    if TREND.search(norm) and partners:
        return "trend"
    return "lookup"


def _top_n(norm: str) -> int:
    match = TOP.search(norm)
    if match and match.group(3):
        return max(1, min(int(match.group(3)), 50))
    return 10


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
    scores = {
        claim_id: sum(
            weight
            for term, weight in terms
            if (term in words if isinstance(term, str) else term.search(norm))
        )
        for claim_id, terms in index.terms.items()
    }
    best = max(scores.items(), key=lambda item: item[1], default=("", 0))
    restated = VERIFY.search(norm) or re.search(
        r"\b\d+(\.\d+)?\s*((times|x|veces|percent|billion|kg)\b|%)", norm
    )
    if best[1] >= 3 and restated:
        return [best[0]]
    if best[1] >= 2 and VERIFY.search(norm):
        return [best[0]]
    return []
