"""Understand a question: free text in English or Spanish to a Query, or None."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from facts.model import Period, Query

METRIC_WORDS = ("exports", "imports", "balance", "total")
MAX_QUESTION = 500  # characters; longer input is not a question we answer

MONTH_WORDS = {
    "january": 1, "jan": 1, "enero": 1, "february": 2, "feb": 2, "febrero": 2, "march": 3,
    "mar": 3, "marzo": 3, "april": 4, "apr": 4, "abril": 4, "may": 5, "mayo": 5, "june": 6,
    "jun": 6, "junio": 6, "july": 7, "jul": 7, "julio": 7, "august": 8, "aug": 8, "agosto": 8,
    "september": 9, "sep": 9, "sept": 9, "septiembre": 9, "october": 10, "oct": 10, "octubre": 10,
    "november": 11, "nov": 11, "noviembre": 11, "december": 12, "dec": 12, "diciembre": 12,
}  # fmt: skip
DRUGS = {
    "fentanyl": "fentanyl", "fentanilo": "fentanyl", "cocaine": "cocaine", "cocaina": "cocaine",
    "meth": "methamphetamine", "methamphetamine": "methamphetamine",
    "metanfetamina": "methamphetamine", "heroin": "heroin", "heroina": "heroin",
    "marijuana": "marijuana", "marihuana": "marijuana", "cannabis": "marijuana",
    "ketamine": "ketamine", "ketamina": "ketamine", "ecstasy": "ecstasy", "mdma": "ecstasy",
    "lsd": "lsd", "khat": "khat",
}  # fmt: skip
# Words that name a metric (checked in this order: the first match wins).
METRIC_PATTERNS = (
    ("population", r"\b(population|poblacion|inhabitants|habitantes|people live)\b"),
    ("seizures", r"\b(seizures?|seized|seize|decomisos?|incautacion(es)?|drugs?|drogas?)\b"),
    ("encounters", r"\b(encounters?|crossings?|apprehensions?|migrants?|encuentros|cruces|"
                   r"detenciones|border patrol|usbp|illegal)\b"),
    ("balance", r"\b(balance|deficit|surplus|trade gap|saldo|balanza|superavit)\b"),
    ("imports", r"\b(import(s|ed|ing|aciones|a|an|aron|o)?|sells?|sold|selling|vende|vendio|"
                r"venden|vendieron)\b"),
    ("exports", r"\b(export(s|ed|ing|aciones|a|an|aron|o)?|buys?|bought|buyers?|purchases?|"
                r"purchased|compra|compro|compran|compraron|markets?|mercados?|customers?|"
                r"clientes?)\b"),
    ("total", r"\b(total trade|two way|trade|trading|comercio|intercambio)\b"),
)  # fmt: skip
PER_CAPITA = re.compile(
    r"\b(per (capita|person|head|persona)|por (persona|habitante)|each person)\b"
)
HELP = re.compile(
    r"^\s*(help|ayuda|\?|what can (you|i) (do|ask)|how does this work|usage|hi|hello|hola)"
    r"\s*[?!.]*\s*$"
)
CLAIMS_LIST = re.compile(
    r"^\s*(list (all )?(the )?claims|all claims|claims|the claims|op ?ed( claims)?|show claims"
    r"|afirmaciones)\s*[?!.]*\s*$"
)
CLAIM_NUMBER = re.compile(r"\bclaim\s*#?\s*(\d{1,3})\b")
VERIFY = re.compile(
    r"\b(is it true|true that|really|fact[- ]check|verify|check|claim(s|ed)?|op ?ed|"
    r"es (cierto|verdad)|seriously)\b"
)
COMPARE = re.compile(
    r"\b(vs\.?|versus|compared?( to| with)?|against|frente a|contra|comparado con)\b"
)
SUM = re.compile(r"(\band\b|\bplus\b|\+|\bcombined\b|\btogether\b|\by\b|\bjuntos\b|\bsum\b)")
RANK_OF = re.compile(r"\b(where does|rank of|ranking of|'s rank|position|lugar|rank(ed|s)?)\b")
TOP = re.compile(
    r"\b(top|largest|biggest|leading|main|principales|mayores|ranking|rank|the most(?! recent))\b"
    r"(\s+(\d{1,3})\b(?!\.\d))?"
)
SHARE = re.compile(r"\b(share|percent of|% of|proportion|porcentaje|participacion|fraction)\b")
TREND = re.compile(
    r"\b(trend|over time|history|historical|growth|evolution|evolucion|tendencia|since|desde)\b"
)
YEAR = r"(1[89]\d\d|20\d\d)"
RANGE = re.compile(
    rf"\b(?:from |between |de |entre )?{YEAR}\s*"
    rf"(?:-|–|—|to|through|thru|until|and|a|al|hasta|y)\s*{YEAR}\b"
)
YEAR_VS_YEAR = re.compile(
    rf"\b{YEAR}\s*(?:vs\.?|versus|compared (?:to|with)|against|frente a|contra|or)\s*{YEAR}\b"
)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
QUARTER = re.compile(
    rf"\b(?:q([1-4])|([1-4])(?:st|nd|rd|th) quarter|(first|second|third|fourth) quarter)"
    rf"\s*(?:of\s+|de\s+)?{YEAR}\b"
)
HALF = re.compile(rf"\b(?:h([12])|(first|second) half)\s*(?:of\s+)?{YEAR}\b")
SINCE = re.compile(rf"\b(?:since|desde|after)\s+{YEAR}\b")
ISO_MONTH = re.compile(rf"\b{YEAR}-(0[1-9]|1[0-2])\b")
SLASH_MONTH = re.compile(rf"\b(0?[1-9]|1[0-2])/{YEAR}\b")
YTD = re.compile(r"\b(ytd|year to date|so far this year|en lo que va del ano|this year)\b")
LATEST = re.compile(
    r"\b(latest|last month|most recent|recent|newest|current|ultimo mes|mas reciente|now)\b"
)
LAST_YEAR = re.compile(r"\b(last year|ano pasado)\b")
MONTH_NAME = re.compile(
    r"\b(" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + rf")\.?(?:\s+de)?,?\s+{YEAR}\b"
)
SINCE_MONTH = re.compile(
    r"\b(?:since|desde)\s+("
    + "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
    + rf")\.?(?:\s+de)?,?\s+{YEAR}\b"
)
SERIES_PATTERNS = (
    ("ofo-southwest", r"\b(ofo|field operations|ports? of entry)\b"),
    ("usbp-southwest", r"\b(border patrol|usbp|patrulla fronteriza)\b"),
    (
        "southwest",
        r"\b(southwest|south west|southern|sw|mexico border|frontera sur|us mexico border)\b",
    ),
    ("northern", r"\b(northern|north|canada border|frontera norte)\b"),
    ("nationwide", r"\b(nationwide|national|total|all)\b"),
)
# Words never taken for a misspelt country name.
VOCABULARY = frozenset(
    """what how much many did does do is are was were the a an of to from in on for with by and
    or vs versus us usa u.s. america american united states exports export imports import trade
    balance deficit surplus total buy buys bought sell sells sold goods top rank ranking largest
    biggest market markets partner partners share per capita person population encounters border
    seizures seized drugs claim claims true latest last month year since between compare compared
    combined together plus help trend growth history who which where when than more less times
    cuanto cuantas cuantos compro vendio exportaciones importaciones comercio desde entre frente
    contra poblacion frontera estados unidos eeuu mexico canada china really check verify""".split()
)


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
            if code and not original.isupper() and match.group() not in _SHOUTED_WORDS:
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
                (word in _PLACE_PREPOSITIONS or (word == "a" and spanish))
                and not used[i + 1]
                and nxt.isalpha()
                and len(nxt) >= 3
                and nxt not in VOCABULARY
                and nxt not in _NOT_PLACES
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


# Short names matched in any case; every other code of two or three letters must be upper case.
SAFE_SHORT = {"eu", "ue", "uk", "us", "usa", "prc", "uae", "drc", "rok", "mex", "eeuu"}
# SQL, not a question: statements, comments and table functions (a plain "union" or "update"
# in a question is fine: "European Union", "latest update").
SQL_LIKE = re.compile(
    r"(['\"]\s*(;|--|\bor\b|\band\b)|;\s*(drop|delete|select|insert|update|attach|copy|pragma|"
    r"create|alter)\b|--\s*$|/\*|\bunion\s+(all\s+)?select\b|\bselect\b.+\bfrom\b|"
    r"\bdrop\s+(table|view|schema|database)\b|\bdelete\s+from\b|\binsert\s+into\b|"
    r"\bupdate\s+\w+\s+set\b|\b(read_\w+|glob|pragma_\w+|attach|copy|load|install)\s*\()",
    re.IGNORECASE,
)
WORLD = re.compile(
    r"\b(us|usa|u\.s|america|united states|world|all partners|global|overall|total|eeuu)\b"
)
SPANISH = re.compile(
    r"\b(exportaciones|importaciones|comercio|cuanto|compro|vendio|hacia|del|los)\b"
)
_PLACE_PREPOSITIONS = {"to", "with", "from", "con", "hacia", "desde"}
_NOT_PLACES = set(
    "date which whom where them there this that each every other all any its their our your now"
    " then here buy sell ports field mexicans canadians chinese americans".split()
)
# Upper-case words that are codes only when the whole question is not shouted.
_SHOUTED_WORDS = set(
    "IN IT NO DE ES LA AS AT BE BY IS ME MY OR TO SO AM AN ID IF OF ON AND ARE PER NOR THE FOR"
    " NOT BUT ALL ANY HOW WHO TOP VS YTD OFO USBP LSD CBP GDP SME MDMA".split()
)


US_SPELLINGS = re.compile(r"\b(U\.\s?S\.(\s?A\.?)?|EE\.\s?UU\.?|E\.\s?U\.(?=\s|$))", re.IGNORECASE)


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
    text = re.sub(r"[^a-z0-9.%/\-–—+' ]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)  # keep decimal points only
    text = re.sub(r"(?<=[a-z])[-–—/](?=[a-z])", " ", text)  # "u.s.-mexico", "op-ed", "t-mec"
    return " ".join(text.split())


def parse_question(
    text: str,
    countries: CountryIndex,
    claim_keywords: dict[str, list[str]],
    claim_topics: dict[str, list[str]],
    claim_numbers: dict[int, str],
) -> Query | None:
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
        claim = claim_numbers.get(int(number.group(1)))
        return Query("claim", claim_ids=(claim,)) if claim else Query("claim", claim_ids=("",))
    found = countries.find(_unify(text), norm)
    metric = _metric(norm, found)
    period = _period(norm)
    claims = _claims(norm, claim_keywords, claim_topics, metric, period, found)
    if claims:
        return Query("claim", claim_ids=tuple(claims))
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
    if not partners and not found.unknown and metric in METRIC_WORDS and not world_words:
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
    if partners and RANK_OF.search(norm):
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


def _claims(
    norm: str,
    keywords: dict[str, list[str]],
    topics: dict[str, list[str]],
    metric: str,
    period: Period | None,
    found: _Found,
) -> list[str]:
    """Claims the question restates or names by topic (empty if it asks for data)."""
    words = set(norm.split())
    for topic, ids in topics.items():
        # A bare topic ("fentanyl", "per capita", "small business") asks for the claim.
        if norm.strip(" ?!.") == topic or norm.strip(" ?!.") in (
            f"{topic} claim",
            f"{topic} claims",
        ):
            return ids
    if "small business" in norm or re.search(r"\b(sme|smes|pyme|pymes)\b", norm):
        return topics.get("small business", [])
    scores: dict[str, int] = {}
    for claim_id, terms in keywords.items():
        score = 0
        for term in terms:
            term_norm = normalise(term)
            if " " in term_norm or not term_norm.isalpha():
                score += (
                    2 if re.search(rf"(?<![\w.]){re.escape(term_norm)}(?![\w]|\.\d)", norm) else 0
                )
            else:
                score += 1 if term_norm in words else 0
        scores[claim_id] = score
    best = max(scores.items(), key=lambda item: item[1], default=("", 0))
    restated = VERIFY.search(norm) or re.search(
        r"\b\d+(\.\d+)?\s*(times|x|veces|%|percent|billion|kg)\b", norm
    )
    if best[1] >= 3 and restated:
        return [best[0]]
    if best[1] >= 2 and VERIFY.search(norm):
        return [best[0]]
    return []
