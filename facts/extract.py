"""Find the statistical statements in a text (English or Spanish): figures, ratios, changes,
ranks, records and comparisons, each with the partners, flow, period and series it is about.

What a sentence leaves out (the year, the partner, the flow) is taken from the sentences before
it in the same paragraph, then from those after it. Nothing here reads the store: facts.check
turns each Statement into computations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from facts.patterns import (
    DRUGS,
    HALF,
    METRIC_PATTERNS,
    MONTH_WORDS,
    ORDINALS,
    PER_CAPITA,
    PORTS,
    PRODUCTS,
    QUARTER,
    SERIES_PATTERNS,
    SERVICES,
    UNSUPPORTED,
    US_STATES,
    YEAR,
)
from facts.vocabulary import CountryIndex, normalise

MAX_TEXT = 40_000  # characters: Slack's longest message; a longer text is refused, naming this

_MONTH = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_FULL_MONTHS = "|".join(
    m for m in MONTH_WORDS if len(m) > 4 or m in ("june", "july", "junio", "julio")
)
_NUM = r"\d+(?:\.\d+)?"  # numbers are rewritten to this form first (see _canonical)
_SCALES = {
    "trillion": Decimal("1e12"), "billion": Decimal("1e9"), "bn": Decimal("1e9"),
    "b": Decimal("1e9"), "million": Decimal("1e6"), "mn": Decimal("1e6"), "m": Decimal("1e6"),
    "thousand": Decimal("1e3"), "k": Decimal("1e3"), "mil millones": Decimal("1e9"),
    "millones": Decimal("1e6"), "millon": Decimal("1e6"), "billones": Decimal("1e12"),
    "mil": Decimal("1e3"),
}  # fmt: skip
_SCALE = r"trillion|billion|million|thousand|bn|mn|mil millones|millones|millon|billones|mil|b|m|k"
# Numbers are matched in the normalised text (lower case, accents removed, "$" dropped), so
# the money pattern runs on a copy that keeps "$": see _money_spans.
_MONEY = re.compile(
    rf"(?:us\$|\$|usd\s?)\s?(?P<n>{_NUM})(?:\s*(?P<s>{_SCALE})\b)?"
    rf"|(?P<n2>{_NUM})\s*(?P<s2>{_SCALE})?\s*(?:de\s+)?(?:dollars|dolares|usd)\b"
)
_COUNT = re.compile(
    rf"(?P<n>{_NUM})(?:\s*(?P<s>{_SCALE})\b)?\s*(?:more\s+|new\s+|fewer\s+|mas\s+)?"
    r"(?:(?:illegal|monthly|migrant|border|potentially|lethal|southwest|nationwide)\s+){0,3}"
    r"(?P<u>kilograms?|kilos?|kg|pounds?|lbs?|libras|encounters?|apprehensions?|crossings?|"
    r"migrants?|people|personas|doses|dosis|jobs|empleos|trucks?|camiones|encuentros|"
    r"detenciones|cruces|migrantes|tons?|toneladas)\b"
)
_COUNT_AFTER = re.compile(
    r"\b(?:encounters|apprehensions|crossings|encuentros|detenciones)\s+(?:\w+\s+){0,5}?"
    r"(?:totaled|totalled|reached|fell to|dropped to|rose to|were|numbered|stood at|came to|"
    r"sumaron|llegaron a|fueron)\s+(?:(?:nearly|about|over|more than|just|only|casi)\s+)?"
    rf"(?P<n>{_NUM})(?:\s*(?P<s>{_SCALE})\b)?"
)
_A_YEAR = re.compile(rf"\b(?:{_MONTH}|in|en|since|desde|of|de|fy|year)\s+{YEAR}$")
_RATIO = re.compile(
    rf"(?P<n>{_NUM})\s*(?:times|x|veces)\b|\b(?P<w>twice|double|doubled|triple|tripled|"
    r"half(?= as)|el doble|doble|triple|la mitad(?= de lo))\b"
)
_WORD_RATIOS: dict[str, Decimal] = {
    "twice": Decimal(2), "double": Decimal(2), "doubled": Decimal(2), "el doble": Decimal(2),
    "doble": Decimal(2), "triple": Decimal(3), "tripled": Decimal(3), "half": Decimal("0.5"),
    "la mitad": Decimal("0.5"),
}  # fmt: skip
_PERCENT = re.compile(rf"(?P<n>{_NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)")
_RANK = re.compile(
    r"\b(?:the\s+)?(?P<o>second|third|fourth|fifth|segundo|tercer|2nd|3rd|4th|5th)?[\s-]*"
    r"(?:most important (?:consumer|customer|market|partner|buyer)|(?:biggest|largest|top|"
    r"leading|main|number one|no 1|#1|first) (?:\w+ ){0,4}?(?:buyer|market|customer|consumer|"
    r"partner|destination|supplier|source)s?|principal (?:socio|mercado|comprador|cliente|"
    r"destino)|mayor (?:socio|mercado|comprador|cliente|destino)|primer (?:socio|mercado|"
    r"lugar))|more than any other (?:country|market|partner|nation)"
)
_PLACED = re.compile(
    r"\b(?:came|ranked|ranks|placed|finished|was|is|remained|quedo|ocupo)\s+(?:in\s+)?"
    r"(?P<o>first|second|third|fourth|fifth|primero|segundo|tercero|no\s?\d|number \d)\b"
    r"(?!\s+(?:half|quarter|month|time|year|semestre|trimestre))"
)
_ORDINAL = {"first": 1, "primero": 1, "second": 2, "segundo": 2, "2nd": 2, "third": 3,
            "tercer": 3, "tercero": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
            "5th": 5}  # fmt: skip
_RECORD = re.compile(
    r"\b(?P<d>lowest|fewest|highest|most|record|all time|lower|higher|mas bajo|mas alto|"
    r"minimo|maximo|menor|mayor)\b"
    r"(?P<rest>[^.;]{0,80}?)\b(?:(?:in|en)\s+(?P<y>\d{1,3}|a decade|decades)\s+(?:years|anos)?|"
    rf"since\s+(?P<s>{YEAR})|desde\s+(?P<s2>{YEAR})|on record|ever|in (?:\w+ ){{0,2}}history|"
    r"de (?:\w+ ){0,2}historia|"
    r"(?P<hist>historic[oa]?))"
)
_PLAIN_LOW = re.compile(
    r"\b(?:the\s+)?(?:lowest|fewest|highest|most) (?:number|level|monthly total|total|count)\b"
)
_CHANGE = re.compile(
    rf"(?P<v>up|down|rose|rise|rising|risen|grew|grow|growth|increase[ds]?|jump(?:ed)?|"
    r"climb(?:ed)?|fell|fall|falling|fallen|dropped|drop|declined?|decrease[ds]?|plunged?|"
    r"lower|higher|below|above|more|less|fewer|creci\w*|cay\w*|baj\w*|aument\w*|subi\w*|"
    r"disminu\w*|menos|mas)\b(?:\s+(?!\d)\w+){0,3}?\s+(?:by\s+|un\s+|en\s+)?"
    rf"(?:(?:nearly|almost|about|around|over|more than|some|roughly|casi|cerca de)\s+)?"
    rf"(?P<n>{_NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)"
    rf"|(?P<n2>{_NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)\s+(?:\w+\s+){{0,2}}?"
    r"(?P<v2>lower|higher|below|above|more|less|fewer|increase|decrease|drop|rise|jump|decline|"
    r"growth|gain|menos|mas|menor|mayor)\b"
)
_DOWN = re.compile(
    r"^(down|fell|fall|falling|fallen|dropped|drop|declined?|decreases?d?|plunged?|lower|below|"
    r"less|fewer|cay\w*|baj\w*|disminu\w*|menos|menor|decrease|decline)$"
)
_COMBINED = re.compile(
    r"\b(?:more|greater|bigger|larger|mas)\s+(?:(?!(?:than|que)\b)\w+\s+){0,6}?(?:than|que)\b"
    r"(?P<others>(?:(?!\b(?:than|que)\b)[^.;])*?)\b"
    r"(?:combined|together|put together|juntos|combinados|combinadas|juntas)\b"
)
_MORE_COUNT = re.compile(
    r"\b(?:more|fewer|mas|menos)\s+(?:monthly\s+|mensuales\s+)?(?:encounters|apprehensions|"
    r"crossings|migrants|seizures|encuentros|detenciones)\b[^.;]*?\b(?:than|que)\b"
)
_NEXT_N = re.compile(r"\bnext\s+(?P<n>\d+|ten|five)\b|\bsiguientes\s+(?P<n2>\d+|diez)\b")
_EVERY = re.compile(
    r"\b(?:every|each|cada)\s+(?:new\s+|nuevo\s+)?(?:\w+\s+){0,2}(?:job|empleo)s?\b[^.;]*?"
    r"\b(?:creates?|supports?|means?|genera|crea)\b[^.;]*?\b(?:another|one|an additional|otro)\b"
)
_VAGUE = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|spend(?:s|ing)?)\s+(?P<w>millions|billions)\b"
    r"|\b(?P<w2>millions|billions) of dollars\b"
)
_OVERTAKE = re.compile(r"\b(?:overtook|overtaken|overtake|surpassed|passed|supero|desplazo)\b")
_HEDGES = (
    ("over", r"(more than|over|above|exceeds?|at least|upwards of|mas de|supera|superior a)"),
    ("nearly", r"(nearly|almost|close to|just under|casi|cerca de)"),
    ("under", r"(less than|under|below|fewer than|menos de|inferior a)"),
    ("about", r"(about|around|roughly|approximately|some|an estimated|alrededor de|unos|unas)"),
)
_SCOPES = (
    ("small business", r"\b(small business(es)?|smes?|small and medium|pymes?|pequenas)\b"),
    ("value added", r"\b(content|components?|value added|valor agregado|inputs|contenido|"
                    r"parts)\b"),
    ("jobs", r"\b(jobs?|employment|empleos?|workers|trabajadores)\b"),
    ("Mexican data", r"\b(mexican (authorities|government|officials|army|navy|national guard|"
                     r"security forces)|mexico( s)? (government|army|navy|national guard|"
                     r"authorities|officials)|autoridades mexicanas|gobierno (de mexico|mexicano)|"
                     r"guardia nacional|inegi|banxico|inm|sedena)\b"),
    ("services", SERVICES.pattern),
    ("gotaways", r"\b(gotaways?|got aways?|evasiones)\b"),
    ("company", r"\b(compan(y|ies)|brands?|firms?|empresas?|invest(s|ed|ing)?)\b"),
    ("doses", r"\b(doses|dosis)\b"),
    # The parser's words for products, U.S. states and ports, plus a few of the text's own.
    ("product", r"\b(" + "|".join(sorted(PRODUCTS - {"parts", "produce", "gas"})) + r"|"
                r"agricultur\w*|aguacates?|maiz|acero|agricola|agropecuari\w*)\b"),
    ("place", US_STATES.pattern + "|" + PORTS.pattern + r"|\b(ports of|shipping lanes?|"
              r"routes?|corridors?)\b"),
    ("forecast", r"\b(will|would|expected|projected|forecast|could|estimates?|by 20\d\d)\b"),
)  # fmt: skip
_DEMONYMS = {
    "mexicans": "mexico", "mexican": "mexico", "mexicanos": "mexico", "mexicano": "mexico",
    "mexicanas": "mexico", "mexicana": "mexico",
    "canadians": "canada", "canadian": "canada", "canadienses": "canada", "chinese": "china",
    "chinos": "china", "chinas": "china", "japanese": "japan", "germans": "germany",
    "german": "germany", "americans": "us", "american": "us", "estadounidenses": "us",
}  # fmt: skip
_ABBREVIATIONS = re.compile(r"\b(Mr|Mrs|Ms|Dr|vs|No|St|Inc|Corp|e\.g|i\.e|[A-Z])\.$")
# "U.S." ends a sentence unless a name goes on after it ("U.S. Border Patrol", "U.S. Census").
_US_ABBREVIATION = re.compile(r"\b(U\.S|U\.S\.A|EE\.UU)\.$")
_US_NAME_GOES_ON = re.compile(
    r"\s+(Border|Census|Customs|Department|Government|Trade|Treasury|Congress|Chamber|Senate|"
    r"House|Army|Navy|Bureau|Commerce|Embassy|Federal|International|Representative|Mexico|"
    r"Canada|China|Economic|Agency|Coast|Immigration|Secretary|President|Ambassador)\b"
)
_AGAINST_BEFORE = re.compile(
    r"\b(than|from|since|vs|que|desde|over|compared (to|with))\s+(in\s+)?"
    rf"(({_MONTH})\.?\s+(de\s+)?)?$"
)
_THAN = re.compile(r"\b(than|que|vs|versus|compared (?:to|with)|frente a)\b")


@dataclass(frozen=True)
class When:
    """A period as a text states it: a year, a fiscal year, a month or a range of months."""

    kind: str  # year | fiscal_year | month | months | since | range_average
    start: tuple[int, int]
    end: tuple[int, int] | None = None


@dataclass(frozen=True)
class Statement:
    """One statistical statement of a text, with what it is about."""

    fragment: str  # the words of the text that state it
    start: int  # its offsets in the text
    end: int
    kind: str  # amount | per_capita | ratio | change | rank | record | comparison | count
    stated: Decimal | None  # in `unit`; None for a statement without a figure
    unit: str  # USD | USD per person | x | % | rank | kg | lb | encounters | doses | jobs | years
    hedge: str = ""  # "" | about | over | under | nearly
    step: Decimal | None = None  # the place of the last digit given: 1e9 for "$335 billion"
    metric: str = ""  # exports | imports | balance | total | encounters | seizures | population
    partners: tuple[str, ...] = ()  # who the figure is about
    others: tuple[str, ...] = ()  # who it is compared with ("than China")
    next_n: int = 0  # "more than the next 10 partners combined"
    when: When | None = None
    when_from: str = ""  # "text" (the sentence), "before", "after" (a neighbour) or ""
    baseline: When | None = None  # what a change is measured against
    series: str = ""
    drug: str = ""
    scope: str = ""  # why the store cannot check it: small business, services, jobs, ...
    scope_word: str = ""
    sentence: str = ""  # the whole sentence, normalised (for the stored claims' keywords)
    clause: str = ""  # the fragment, normalised
    lead: str = ""  # the words from the figure before it (or the clause start) to its end


@dataclass
class _Sentence:
    text: str
    start: int
    paragraph: int
    norm: str = ""
    clauses: list[tuple[str, int, int]] = field(default_factory=list)  # (original, start, end)
    spanish: bool = False
    when: When | None = None
    metric: str = ""
    partners: tuple[str, ...] = ()
    statements: list[Statement] = field(default_factory=list)


def extract(text: str, countries: CountryIndex) -> list[Statement]:
    """Every statistical statement in `text`, in order, with its context filled in."""
    sentences = _sentences(text)
    for sentence in sentences:
        _split_clauses(sentence)
        sentence.when = _when(sentence.norm)
        sentence.metric = _metric(sentence.norm)
        sentence.partners = tuple(
            p for p in _partners(countries, _strip_than(sentence.norm)) if p != "USA"
        )
        sentence.statements = _statements(sentence, countries)
    out: list[Statement] = []
    for i, sentence in enumerate(sentences):
        for statement in sentence.statements:
            out.append(_fill(statement, sentences, i))
    return out


# --- sentences ---------------------------------------------------------------------------------


def _sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    offset = 0
    for paragraph, block in enumerate(text.split("\n")):
        start = 0
        for match in re.finditer(r"[.!?](?=[\s\"”’)]+(?:[A-Z¿¡\"“(]|$))|$", block):
            end = match.end()
            piece = block[start:end]
            head = block[: match.end()]
            if match.group() and (
                _US_NAME_GOES_ON.match(block, match.end())
                if _US_ABBREVIATION.search(head)
                else _ABBREVIATIONS.search(head)
            ):
                continue
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(_Sentence(piece.strip(), offset + start + lead, paragraph))
            start = end
        offset += len(block) + 1
    return out


def _split_clauses(sentence: _Sentence) -> None:
    """The sentence's clauses (split at , ; : outside numbers), each normalised, joined."""
    sentence.spanish = _is_spanish(sentence.text)
    pieces = re.split(r"(?<!\d)[,;:]|[,;:](?!\d)", sentence.text)
    norms, position = [], 0
    for piece in pieces:
        plain = _plain(piece, sentence.spanish)
        sentence.clauses.append((piece, position, position + len(plain)))
        norms.append(plain)
        position += len(plain) + 1
    sentence.norm = " ".join(norms)


def _plain(text: str, spanish: bool = False) -> str:
    """normalise(), with numbers rewritten as plain decimals ("4,000" and "4.000" -> "4000")."""
    text = _canonical(text, spanish)
    text = re.sub(r"US\$|\$|€", " usd ", text)
    text = normalise(text.replace("&", " and "))
    for word, name in _DEMONYMS.items():
        text = re.sub(rf"\b{word}\b", name, text)
    return " ".join(text.split())


def _canonical(text: str, spanish: bool) -> str:
    """Numbers as plain decimals: "4,000" (English and Mexican usage), "335.000" (Spain's),
    "2,3" (a Spanish decimal comma) and "162.915 mil millones" (a decimal point) all read right.
    """

    def plain(match: re.Match[str]) -> str:
        digits = match.group()
        after = text[match.end() : match.end() + 14].lower()
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
            return digits.replace(",", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", digits):
            dotted_decimal = digits.count(".") == 1 and (
                not spanish or re.match(r"\s*mil millones", after)
            )
            if not dotted_decimal:
                return digits.replace(".", "").replace(",", ".")
        if spanish and re.fullmatch(r"\d+,\d+", digits):
            return digits.replace(",", ".")
        return digits

    return re.sub(r"\d[\d.,]*\d|\d", plain, text)


def _is_spanish(text: str) -> bool:
    norm = normalise(text)
    spanish = len(re.findall(r"\b(de|del|los|las|millones|dolares|veces|que|el|y|en|por)\b", norm))
    english = len(re.findall(r"\b(the|of|and|in|than|to|was|is|by)\b", norm))
    return spanish > english


def _number(digits: str) -> tuple[Decimal, Decimal]:
    """The value of a plain decimal ("335", "4000", "2.3") and the place of its last digit."""
    value = Decimal(digits)
    if "." in digits:
        step = Decimal(1).scaleb(-len(digits.split(".")[1]))
    else:
        stripped = digits.rstrip("0") or "0"
        step = Decimal(10) ** (len(digits) - len(stripped))
    return value, step


def _scaled(digits: str, scale: str | None) -> tuple[Decimal, Decimal]:
    value, step = _number(digits)
    factor = _SCALES.get((scale or "").strip(), Decimal(1))
    return value * factor, step * factor


def _hedge(before: str) -> str:
    tail = before[-24:]
    for name, pattern in _HEDGES:
        if re.search(pattern + r"\s*(usd\s*|\$\s*)?$", tail):
            return name
    return ""


# --- statements in one sentence ----------------------------------------------------------------


def _statements(sentence: _Sentence, countries: CountryIndex) -> list[Statement]:
    norm = sentence.norm
    found: list[tuple[int, int, Statement]] = []
    taken: list[tuple[int, int]] = []

    def add(
        match: re.Match[str], kind: str, stated: Decimal | None, unit: str, **kw: object
    ) -> None:
        span = match.span()
        if any(a < span[1] and span[0] < b for a, b in taken):
            return
        taken.append(span)
        fragment, clause = _fragment(sentence, span)
        statement = Statement(
            fragment,
            sentence.start,
            sentence.start + len(sentence.text),
            kind,
            stated,
            unit,
            sentence=sentence.norm,
            clause=clause,
            **kw,  # type: ignore[arg-type]
        )
        found.append((span[0], span[1], statement))

    for match in _CHANGE.finditer(norm):
        digits = match.group("n") or match.group("n2")
        verb = match.group("v") or match.group("v2")
        value, step = _number(digits)
        before = norm[: match.start("n") if match.group("n") else match.start()]
        hedge = _hedge(norm[match.start() : match.start("n")] if match.group("n") else before)
        sign = -1 if _DOWN.match(verb) else 1
        baseline = _baseline(norm[match.end() : match.end() + 60])
        add(match, "change", sign * value, "%", hedge=hedge, step=step, baseline=baseline)
    for match in _MONEY.finditer(norm):
        digits, scale = match.group("n") or match.group("n2"), match.group("s") or match.group("s2")
        value, step = _scaled(digits, scale)
        per_person = bool(PER_CAPITA.search(norm) or re.search(r"\bper capita\b", norm))
        if re.search(r"\b(deficit|trade gap)\b", norm[match.end() : match.end() + 40]) or re.search(
            r"\bdeficit\b[^.;]{0,30}$", norm[: match.start()]
        ):
            value = -value
        kind, unit = ("per_capita", "USD per person") if per_person else ("amount", "USD")
        add(match, kind, value, unit, hedge=_hedge(norm[: match.start()]), step=step)
    for match in _COUNT.finditer(norm):
        if _A_YEAR.search(norm[: match.end("n")]):
            continue  # "in June 2025 nationwide encounters": a year, not a count
        value, step = _scaled(match.group("n"), match.group("s"))
        unit = _count_unit(match.group("u"))
        if unit == "USD":
            continue
        add(match, "count", value, unit, hedge=_hedge(norm[: match.start()]), step=step)
    for match in _COUNT_AFTER.finditer(norm):
        value, step = _scaled(match.group("n"), match.group("s"))
        add(match, "count", value, "encounters", hedge=_hedge(norm[: match.start("n")]), step=step)
    for match in _RATIO.finditer(norm):
        if match.group("n"):
            value, step = _number(match.group("n"))
        else:
            value, step = _WORD_RATIOS[match.group("w")], Decimal(1)
        hedge = _hedge(norm[: match.start()])
        others = _after_than(countries, _rest_of_clause(sentence, match.end()), also="what|que lo")
        add(match, "ratio", value, "x", hedge=hedge, step=step, others=others)
    for match in _PERCENT.finditer(norm):
        value, step = _number(match.group("n"))
        add(match, "share", value, "%", hedge=_hedge(norm[: match.start()]), step=step)
    for match in _COMBINED.finditer(norm):
        others_text = match.group("others")
        next_n = _NEXT_N.search(others_text)
        n = 0
        if next_n:
            word = next_n.group("n") or next_n.group("n2")
            n = {"ten": 10, "diez": 10, "five": 5}.get(word) or int(word)
        others = _after_than(countries, others_text)
        add(match, "comparison", None, "USD", others=others, next_n=n, hedge="over")
    for match in _RECORD.finditer(norm):
        years = match.group("y")
        low = match.group("d") in ("lowest", "fewest", "lower", "mas bajo", "minimo", "menor")
        if years:
            span = Decimal(10) if "decade" in years else Decimal(years)
            add(match, "record", span, "years", hedge="low" if low else "high")
        else:
            since = match.group("s") or match.group("s2")
            base = When("year", (int(since), 1)) if since else None
            add(match, "record", Decimal(1), "rank", hedge="low" if low else "high", baseline=base)
    for match in _PLAIN_LOW.finditer(norm):
        low = re.search(r"lowest|fewest", match.group()) is not None
        add(match, "record", Decimal(1), "rank", hedge="low" if low else "high")
    for match in _RANK.finditer(norm):
        order = _ORDINAL.get(match.group("o") or "", 1)
        add(match, "rank", Decimal(order), "rank")
    for match in _PLACED.finditer(norm):
        word = match.group("o")
        order = int(word[-1]) if word[-1].isdigit() else _ORDINAL[word]
        add(match, "rank", Decimal(order), "rank")
    for match in _OVERTAKE.finditer(norm):
        others = _after_than(countries, norm[match.end() : match.end() + 40])
        add(match, "comparison", None, "USD", others=others, hedge="over")
    for match in _MORE_COUNT.finditer(norm):
        others = _after_than(countries, norm[match.end() - 5 : match.end() + 40])
        add(match, "comparison", None, "encounters", others=others, hedge="over")
    for match in _EVERY.finditer(norm):
        add(match, "ratio", Decimal(1), "jobs per job", step=Decimal(1))
    for match in _VAGUE.finditer(norm):
        add(match, "amount", None, "USD", hedge="vague")
    found.sort(key=lambda item: item[0])
    out: list[Statement] = []
    previous_end = 0
    for start, end, statement in found:
        clause_start = next(c[1] for c in sentence.clauses if start <= c[2])
        lead = norm[max(clause_start, previous_end) : end]
        about = _about(replace(statement, lead=lead), sentence, countries, out[-1] if out else None)
        out.append(about)
        if statement.kind in ("amount", "count", "per_capita"):
            previous_end = end  # the next figure's partner is named after this one
    return out


def _count_unit(word: str) -> str:
    for unit, pattern in (
        ("kg", r"kilo|kg"),
        ("lb", r"pound|lb|libra"),
        ("doses", r"dos"),
        ("jobs", r"job|empleo"),
        ("trucks", r"truck|camion"),
        ("tons", r"ton"),
    ):
        if re.match(pattern, word):
            return unit
    return "encounters"


def _fragment(sentence: _Sentence, span: tuple[int, int]) -> tuple[str, str]:
    """The original clause(s) of a sentence that hold a match, and their normalised text."""
    first = next(i for i, c in enumerate(sentence.clauses) if span[0] <= c[2])
    last = next(
        (i for i, c in enumerate(sentence.clauses) if span[1] <= c[2]), len(sentence.clauses) - 1
    )
    while first > 0 and len(sentence.clauses[first][0].split()) < 3:
        first -= 1  # "In 2024, Mexico bought ...": a short lead-in belongs to the clause
    pieces = sentence.clauses[first : last + 1]
    text = ",".join(p[0] for p in pieces).strip(" .;:,")
    return text, sentence.norm[pieces[0][1] : pieces[-1][2]]


def _baseline(after: str) -> When | None:
    if match := re.search(rf"\b{YEAR}\s*[-–—]\s*{YEAR}\s+(?:monthly\s+)?(average|promedio)", after):
        return When("range_average", (int(match.group(1)), 1), (int(match.group(2)), 12))
    average = rf"\b(average|promedio)\b[^.]*?{YEAR}\s*(?:[-–—]|to|y|a)\s*{YEAR}"
    if match := re.search(average, after):
        return When("range_average", (int(match.group(2)), 1), (int(match.group(3)), 12))
    against = r"\b(?:than|from|since|vs|compared (?:to|with)|que|desde|over)\s+(?:in\s+)?"
    if match := re.search(rf"{against}({_MONTH})\.?(?:\s+de)?,?\s+{YEAR}\b", after):
        return When("month", (int(match.group(2)), MONTH_WORDS[match.group(1)]))
    same = r"(?:(?:the )?same (?:period|months?) (?:of|in) |(?:el )?mismo (?:periodo|lapso) del? )?"
    if match := re.search(rf"{against}{same}{YEAR}\b", after):
        return When("year", (int(match.group(1)), 1))
    if re.search(
        r"\b(a year (earlier|ago|before)|last year|year over year|the previous year|"
        r"the year before|ano anterior|un ano antes|ano pasado)\b",
        after,
    ):
        return When("year", (0, 0))  # the year before the statement's period
    return None


def _rest_of_clause(sentence: _Sentence, position: int) -> str:
    end = next((c[2] for c in sentence.clauses if position <= c[2]), len(sentence.norm))
    return sentence.norm[position:end]


def _after_than(countries: CountryIndex, text: str, also: str = "") -> tuple[str, ...]:
    than = _THAN.search(text) or (re.search(rf"\b({also})\b", text) if also else None)
    if than is None:
        return ()
    rest = re.split(r"[;]|\bwhile\b|\bmientras\b", text[than.end() :])[0]
    return tuple(p for p in _partners(countries, rest) if p != "USA")


def _partners(countries: CountryIndex, norm: str, original: str = "") -> tuple[str, ...]:
    """Partners named in the text, checked against the words (fuzzy guesses are dropped)."""
    found = countries.find(original or norm, norm)
    words = f" {norm} "
    names = _names_by_code(countries)
    out = [
        code
        for code in found.partners
        if any(f" {name} " in words for name in names.get(code, ()))
        or (original and re.search(rf"\b{code}\b", original))
    ]
    if found.us_mentioned or re.search(r"\b(us|usa|united states|america|eeuu)\b", norm):
        out.append("USA")
    return tuple(dict.fromkeys(out))


_NAME_CACHE: dict[int, dict[str, tuple[str, ...]]] = {}


def _names_by_code(countries: CountryIndex) -> dict[str, tuple[str, ...]]:
    key = id(countries)
    if key not in _NAME_CACHE:
        names: dict[str, list[str]] = {}
        for name, code in countries.names.items():
            names.setdefault(code, []).append(name)
        _NAME_CACHE.clear()
        _NAME_CACHE[key] = {code: tuple(n) for code, n in names.items()}
    return _NAME_CACHE[key]


_US = r"(the )?(us|usa|united states|estados unidos|eeuu|america)\b"


def _metric(norm: str) -> str:
    # The partner's point of view: its imports from the U.S. are U.S. exports, and back.
    if (
        re.search(
            rf"\b(imports?|importaciones|compras|purchases)( \w+)? (from|desde|de) {_US}", norm
        )
        or re.search(r"\b(us|united states|america) (sales|exports|shipments) to\b", norm)
        or re.search(r"\b(us|united states|america) (sold|sells|exported|shipped)\b", norm)
    ):
        return "exports"
    if (
        re.search(rf"\b(exports?|exportaciones|ventas|sales)( \w+)? (to|a|hacia) {_US}", norm)
        or re.search(rf"\b(shipped|sold|sells|sent|vendio|envio)\b[^.]*?\b(to|a) {_US}", norm)
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


def _when(norm: str) -> When | None:
    fiscal = re.search(rf"\b(?:fiscal(?: year)?|fy|ano fiscal)\s*'?({YEAR}|\d\d)\b", norm)
    if fiscal:
        year = int(fiscal.group(1))
        return When("fiscal_year", (year + 2000 if year < 100 else year, 1))
    months = re.search(
        rf"\b(?:between|from|de|entre)\s+({_MONTH})\.?(?:\s+de)?\s+{YEAR}\s+(?:and|to|through|y|a)\s+"
        rf"({_MONTH})\.?(?:\s+de)?\s+{YEAR}\b",
        norm,
    )
    if months:
        return When(
            "months",
            (int(months.group(2)), MONTH_WORDS[months.group(1)]),
            (int(months.group(4)), MONTH_WORDS[months.group(3)]),
        )
    same_year = re.search(
        rf"\b(?:between|from|de|entre)?\s*({_MONTH})\s+(?:and|to|through|thru|y|a)\s+({_MONTH})"
        rf"\.?(?:\s+(?:de|of))?,?\s+{YEAR}\b",
        norm,
    )
    if same_year:
        year = int(same_year.group(3))
        first, last = MONTH_WORDS[same_year.group(1)], MONTH_WORDS[same_year.group(2)]
        return When("months", (year, first), (year, last))
    if part := _part_of_year(norm):
        return part
    if since := re.search(rf"\b(?:since|desde)\s+({_MONTH})\.?(?:\s+de)?,?\s+{YEAR}\b", norm):
        return When("since", (int(since.group(2)), MONTH_WORDS[since.group(1)]))
    for month in re.finditer(rf"\b({_MONTH})\.?(?:\s+(?:de|of))?,?\s+{YEAR}\b", norm):
        if not _AGAINST_BEFORE.search(norm[max(0, month.start() - 16) : month.start()]):
            return When("month", (int(month.group(2)), MONTH_WORDS[month.group(1)]))
    for found in re.finditer(
        rf"\b{YEAR}\b(?!\s*[-–—]\s*{YEAR}\s+(monthly\s+)?(average|promedio))", norm
    ):
        before = norm[max(0, found.start() - 12) : found.start()]
        if _AGAINST_BEFORE.search(before):
            continue
        if re.search(r"[-–—]\s*$", before):
            continue
        return When("year", (int(found.group(1)), 1))
    bare = re.search(r"\b(?:in|en|for|during|durante)\s+(" + _FULL_MONTHS + r")\b", norm)
    if bare:
        return When("month", (0, MONTH_WORDS[bare.group(1)]))  # the year comes from the context
    return None


_FIRST_MONTHS = re.compile(
    rf"\b(?:first|primer(?:os)?)\s+(\d{{1,2}}|three|six|nine|tres|seis|nueve|cinco|cuatro|five|four)"
    rf"\s+(?:months|meses)\s+(?:of|de(?:l)?)\s+(?:(?:the year|ano)\s+)?{YEAR}\b"
)
_BIMESTRE = re.compile(rf"\b(primer|segundo|tercer|cuarto|quinto|sexto) bimestre de(?:l)? {YEAR}\b")
_PART_WORDS = {
    "primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4, "quinto": 5, "sexto": 6, "three": 3,
    "tres": 3, "four": 4, "cuatro": 4, "five": 5, "cinco": 5, "six": 6, "seis": 6, "nine": 9,
    "nueve": 9,
}  # fmt: skip


def _part_of_year(norm: str) -> When | None:
    if match := QUARTER.search(norm):
        quarter = int(match.group(1) or match.group(2) or ORDINALS[match.group(3)])
        year = int(match.group(4))
        return When("months", (year, 3 * quarter - 2), (year, 3 * quarter))
    if match := HALF.search(norm):
        half = int(match.group(1) or ORDINALS[match.group(2)])
        year = int(match.group(3))
        return When("months", (year, 6 * half - 5), (year, 6 * half))
    if match := _BIMESTRE.search(norm):
        year, which = int(match.group(2)), _PART_WORDS[match.group(1)]
        return When("months", (year, 2 * which - 1), (year, 2 * which))
    if match := _FIRST_MONTHS.search(norm):
        word = match.group(1)
        months = int(word) if word.isdigit() else _PART_WORDS[word]
        year = int(match.group(2))
        return When("months", (year, 1), (year, min(months, 12)))
    return None


# --- what each statement is about ----------------------------------------------------------------


def _about(
    statement: Statement,
    sentence: _Sentence,
    countries: CountryIndex,
    previous: Statement | None = None,
) -> Statement:
    norm = sentence.norm
    clause = statement.clause
    scope, word = _scope(statement, clause, norm)
    subjects = tuple(p for p in _partners(countries, _strip_than(statement.lead)) if p != "USA")
    if not subjects:
        subjects = tuple(p for p in _partners(countries, _strip_than(clause)) if p != "USA")
    if not subjects:
        subjects = tuple(
            p
            for p in _partners(countries, _strip_than(norm))
            if p != "USA" and p not in statement.others
        )
    metric = _metric(clause) or (previous.metric if previous else "") or sentence.metric
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


def _strip_than(text: str) -> str:
    than = _THAN.search(text)
    return text[: than.start()] if than else text


def _scope(statement: Statement, clause: str, norm: str) -> tuple[str, str]:
    """Why the store cannot check the statement, from its clause (or sentence), if it can't."""
    if statement.unit in ("doses", "jobs", "jobs per job", "trucks", "tons"):
        return {"jobs per job": "jobs"}.get(statement.unit, statement.unit), statement.unit
    for whole, text in ((False, clause), (True, norm)):
        for scope, pattern in _SCOPES:
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


def _fill(statement: Statement, sentences: list[_Sentence], i: int) -> Statement:
    """Fill what the sentence leaves out from its paragraph: earlier sentences first."""
    paragraph = sentences[i].paragraph
    family = _family(statement.metric)
    before = [
        s
        for s in reversed(sentences[:i])
        if s.paragraph == paragraph and _family(s.metric) == family
    ]
    after = [
        s for s in sentences[i + 1 :] if s.paragraph == paragraph and _family(s.metric) == family
    ]
    changes: dict[str, object] = {}
    earlier = [
        s
        for s in reversed(sentences[:i])
        if s.paragraph != paragraph and _family(s.metric) == family
    ]
    if statement.when is None or statement.when.start[0] == 0:
        for where, group in (("before", before), ("after", after), ("earlier", earlier)):
            found = next((s.when for s in group if s.when and s.when.start[0]), None)
            if found and statement.when is not None:  # a month without its year
                month = (found.start[0], statement.when.start[1])
                changes.update(when=When("month", month), when_from=where)
                break
            if found:
                changes.update(when=found, when_from=where)
                break
    if not statement.partners and statement.metric not in ("encounters", "seizures"):
        found_partners = next((s.partners for s in before if s.partners), ())
        changes["partners"] = tuple(p for p in found_partners if p != "USA")
    if not statement.metric:
        metric = next((s.metric for s in (*before, *after) if s.metric), "")
        changes["metric"] = metric
    return replace(statement, **changes) if changes else statement  # type: ignore[arg-type]


def _family(metric: str) -> str:
    return "border" if metric in ("encounters", "seizures") else "trade"
