"""The words and patterns that find statistical statements in a text (facts.extract)."""

from __future__ import annotations

import re
from decimal import Decimal

from facts.patterns import MONTH_WORDS, PORTS, PRODUCTS, SERVICES, US_STATES, YEAR

MONTH = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
FULL_MONTHS = "|".join(
    m for m in MONTH_WORDS if len(m) > 4 or m in ("june", "july", "junio", "julio")
)
NUM = r"\d+(?:\.\d+)?"  # numbers are rewritten to this form first (see _canonical)
SCALES = {
    "trillion": Decimal("1e12"), "billion": Decimal("1e9"), "bn": Decimal("1e9"),
    "b": Decimal("1e9"), "million": Decimal("1e6"), "mn": Decimal("1e6"), "m": Decimal("1e6"),
    "thousand": Decimal("1e3"), "k": Decimal("1e3"), "mil millones": Decimal("1e9"),
    "millones": Decimal("1e6"), "millon": Decimal("1e6"), "billones": Decimal("1e12"),
    "mil": Decimal("1e3"),
}  # fmt: skip
SCALE = r"trillion|billion|million|thousand|bn|mn|mil millones|millones|millon|billones|mil|b|m|k"
# Numbers are matched in the normalised text (lower case, accents removed, "$" dropped), so
# the money pattern runs on a copy that keeps "$": see _money_spans.
MONEY = re.compile(
    rf"(?:us\$|\$|usd\s?)\s?(?P<n>{NUM})(?:\s*(?P<s>{SCALE})\b)?"
    rf"|(?P<n2>{NUM})\s*(?P<s2>{SCALE})?\s*(?:de\s+)?(?:dollars|dolares|usd)\b"
)
COUNT = re.compile(
    rf"(?P<n>{NUM})(?:\s*(?P<s>{SCALE})\b)?\s*(?:more\s+|new\s+|fewer\s+|mas\s+)?"
    r"(?:(?:illegal|monthly|migrant|border|potentially|lethal|southwest|nationwide)\s+){0,3}"
    r"(?P<u>kilograms?|kilos?|kg|pounds?|lbs?|libras|encounters?|apprehensions?|crossings?|"
    r"migrants?|people|personas|doses|dosis|jobs|empleos|trucks?|camiones|encuentros|"
    r"detenciones|cruces|migrantes|tons?|toneladas)\b"
)
COUNT_AFTER = re.compile(
    r"\b(?:encounters|apprehensions|crossings|encuentros|detenciones)\s+(?:\w+\s+){0,5}?"
    r"(?:totaled|totalled|reached|fell to|dropped to|rose to|were|numbered|stood at|came to|"
    r"sumaron|llegaron a|fueron)\s+(?:(?:nearly|about|over|more than|just|only|casi)\s+)?"
    rf"(?P<n>{NUM})(?:\s*(?P<s>{SCALE})\b)?"
)
A_YEAR = re.compile(rf"\b(?:{MONTH}|in|en|since|desde|of|de|fy|year)\s+{YEAR}$")
RATIO = re.compile(
    rf"(?P<n>{NUM})\s*(?:times|x|veces)\b|\b(?P<w>twice|double|doubled|triple|tripled|"
    r"half(?= as)|el doble|doble|triple|la mitad(?= de lo))\b"
)
WORD_RATIOS: dict[str, Decimal] = {
    "twice": Decimal(2), "double": Decimal(2), "doubled": Decimal(2), "el doble": Decimal(2),
    "doble": Decimal(2), "triple": Decimal(3), "tripled": Decimal(3), "half": Decimal("0.5"),
    "la mitad": Decimal("0.5"),
}  # fmt: skip
PERCENT = re.compile(rf"(?P<n>{NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)")
RANK = re.compile(
    r"\b(?:the\s+)?(?P<o>second|third|fourth|fifth|segundo|tercer|2nd|3rd|4th|5th)?[\s-]*"
    r"(?:most important (?:consumer|customer|market|partner|buyer)|(?:biggest|largest|top|"
    r"leading|main|number one|no 1|#1|first) (?:\w+ ){0,4}?(?:buyer|market|customer|consumer|"
    r"partner|destination|supplier|source)s?|principal (?:socio|mercado|comprador|cliente|"
    r"destino)|mayor (?:socio|mercado|comprador|cliente|destino)|primer (?:socio|mercado|"
    r"lugar))|more than any other (?:country|market|partner|nation)"
)
PLACED = re.compile(
    r"\b(?:came|ranked|ranks|placed|finished|was|is|remained|quedo|ocupo)\s+(?:in\s+)?"
    r"(?P<o>first|second|third|fourth|fifth|primero|segundo|tercero|no\s?\d|number \d)\b"
    r"(?!\s+(?:half|quarter|month|time|year|semestre|trimestre))"
)
ORDINAL = {"first": 1, "primero": 1, "second": 2, "segundo": 2, "2nd": 2, "third": 3,
            "tercer": 3, "tercero": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
            "5th": 5}  # fmt: skip
RECORD = re.compile(
    r"\b(?P<d>lowest|fewest|highest|most|record|all time|lower|higher|mas bajo|mas alto|"
    r"minimo|maximo|menor|mayor)\b"
    r"(?P<rest>[^.;]{0,80}?)\b(?:(?:in|en)\s+(?P<y>\d{1,3}|a decade|decades)\s+(?:years|anos)?|"
    rf"since\s+(?P<s>{YEAR})|desde\s+(?P<s2>{YEAR})|on record|ever|in (?:\w+ ){{0,2}}history|"
    r"de (?:\w+ ){0,2}historia|"
    r"(?P<hist>historic[oa]?))"
)
PLAIN_LOW = re.compile(
    r"\b(?:the\s+)?(?:lowest|fewest|highest|most) (?:number|level|monthly total|total|count)\b"
)
CHANGE = re.compile(
    rf"(?P<v>up|down|rose|rise|rising|risen|grew|grow|growth|increase[ds]?|jump(?:ed)?|"
    r"climb(?:ed)?|fell|fall|falling|fallen|dropped|drop|declined?|decrease[ds]?|plunged?|"
    r"lower|higher|below|above|more|less|fewer|creci\w*|cay\w*|baj\w*|aument\w*|subi\w*|"
    r"disminu\w*|menos|mas)\b(?:\s+(?!\d)\w+){0,3}?\s+(?:by\s+|un\s+|en\s+)?"
    rf"(?:(?:nearly|almost|about|around|over|more than|some|roughly|casi|cerca de)\s+)?"
    rf"(?P<n>{NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)"
    rf"|(?P<n2>{NUM})\s*(?:%|percent\b|per cent\b|por ciento\b)\s+(?:\w+\s+){{0,2}}?"
    r"(?P<v2>lower|higher|below|above|more|less|fewer|increase|decrease|drop|rise|jump|decline|"
    r"growth|gain|menos|mas|menor|mayor)\b"
)
DOWN = re.compile(
    r"^(down|fell|fall|falling|fallen|dropped|drop|declined?|decreases?d?|plunged?|lower|below|"
    r"less|fewer|cay\w*|baj\w*|disminu\w*|menos|menor|decrease|decline)$"
)
COMBINED = re.compile(
    r"\b(?:more|greater|bigger|larger|mas)\s+(?:(?!(?:than|que)\b)\w+\s+){0,6}?(?:than|que)\b"
    r"(?P<others>(?:(?!\b(?:than|que)\b)[^.;])*?)\b"
    r"(?:combined|together|put together|juntos|combinados|combinadas|juntas)\b"
)
MORE_COUNT = re.compile(
    r"\b(?:more|fewer|mas|menos)\s+(?:monthly\s+|mensuales\s+)?(?:encounters|apprehensions|"
    r"crossings|migrants|seizures|encuentros|detenciones)\b[^.;]*?\b(?:than|que)\b"
)
NEXT_N = re.compile(r"\bnext\s+(?P<n>\d+|ten|five)\b|\bsiguientes\s+(?P<n2>\d+|diez)\b")
EVERY = re.compile(
    r"\b(?:every|each|cada)\s+(?:new\s+|nuevo\s+)?(?:\w+\s+){0,2}(?:job|empleo)s?\b[^.;]*?"
    r"\b(?:creates?|supports?|means?|genera|crea)\b[^.;]*?\b(?:another|one|an additional|otro)\b"
)
VAGUE = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|spend(?:s|ing)?)\s+(?P<w>millions|billions)\b"
    r"|\b(?P<w2>millions|billions) of dollars\b"
)
OVERTAKE = re.compile(r"\b(?:overtook|overtaken|overtake|surpassed|passed|supero|desplazo)\b")
HEDGES = (
    ("over", r"(more than|over|above|exceeds?|at least|upwards of|mas de|supera|superior a)"),
    ("nearly", r"(nearly|almost|close to|just under|casi|cerca de)"),
    ("under", r"(less than|under|below|fewer than|menos de|inferior a)"),
    ("about", r"(about|around|roughly|approximately|some|an estimated|alrededor de|unos|unas)"),
)
SCOPES = (
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
DEMONYMS = {
    "mexicans": "mexico", "mexican": "mexico", "mexicanos": "mexico", "mexicano": "mexico",
    "mexicanas": "mexico", "mexicana": "mexico",
    "canadians": "canada", "canadian": "canada", "canadienses": "canada", "chinese": "china",
    "chinos": "china", "chinas": "china", "japanese": "japan", "germans": "germany",
    "german": "germany", "americans": "us", "american": "us", "estadounidenses": "us",
}  # fmt: skip
ABBREVIATIONS = re.compile(r"\b(Mr|Mrs|Ms|Dr|vs|No|St|Inc|Corp|e\.g|i\.e|[A-Z])\.$")
# "U.S." ends a sentence unless a name goes on after it ("U.S. Border Patrol", "U.S. Census").
US_ABBREVIATION = re.compile(r"\b(U\.S|U\.S\.A|EE\.UU)\.$")
US_NAME_GOES_ON = re.compile(
    r"\s+(Border|Census|Customs|Department|Government|Trade|Treasury|Congress|Chamber|Senate|"
    r"House|Army|Navy|Bureau|Commerce|Embassy|Federal|International|Representative|Mexico|"
    r"Canada|China|Economic|Agency|Coast|Immigration|Secretary|President|Ambassador)\b"
)
AGAINST_BEFORE = re.compile(
    r"\b(than|from|since|vs|que|desde|over|compared (to|with))\s+(in\s+)?"
    rf"(({MONTH})\.?\s+(de\s+)?)?$"
)
THAN = re.compile(r"\b(than|que|vs|versus|compared (?:to|with)|frente a)\b")
US = r"(the )?(us|usa|united states|estados unidos|eeuu|america)\b"

FIRST_MONTHS = re.compile(
    rf"\b(?:first|primer(?:os)?)\s+(\d{{1,2}}|three|six|nine|tres|seis|nueve|cinco|cuatro|five|four)"
    rf"\s+(?:months|meses)\s+(?:of|de(?:l)?)\s+(?:(?:the year|ano)\s+)?{YEAR}\b"
)

BIMESTRE = re.compile(rf"\b(primer|segundo|tercer|cuarto|quinto|sexto) bimestre de(?:l)? {YEAR}\b")

PART_WORDS = {
    "primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4, "quinto": 5, "sexto": 6, "three": 3,
    "tres": 3, "four": 4, "cuatro": 4, "five": 5, "cinco": 5, "six": 6, "seis": 6, "nine": 9,
    "nueve": 9,
}  # fmt: skip
