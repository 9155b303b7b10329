"""The words and patterns the question parser recognises, in English and Spanish.

Questions are matched after normalise(): lower case, accents removed ("méxico" -> "mexico").
"""

from __future__ import annotations

import re

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
# A question that checks a statement: "is it true...", "did encounters fall 90%?".
VERIFY = re.compile(
    r"\b(is it true|true that|really|fact[- ]check|verify|check|claim(s|ed)?|op ?ed|"
    r"es (cierto|verdad)|seriously)\b|^(did|does|do|is|are|was|were)\b"
)
COMPARE = re.compile(
    r"\b(overtake|overtook|overtaken|ahead of|behind|exceed|exceeds|outpace|outpaced)\b|"
    r"\b(more|less|bigger|larger|smaller|greater|higher|lower)\b[\w\s]*?\bthan\b|"
    r"\b(vs\.?|versus|compared?( to| with)?|against|frente a|contra|comparado con)\b"
)
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
PLACE_PREPOSITIONS = {"to", "with", "from", "con", "hacia", "desde"}
NOT_PLACES = set(
    "date which whom where them there this that each every other all any its their our your now"
    " then here buy sell ports field mexicans canadians chinese americans".split()
)
# Upper-case words that are codes only when the whole question is not shouted.
SHOUTED_WORDS = set(
    "IN IT NO DE ES LA AS AT BE BY IS ME MY OR TO SO AM AN ID IF OF ON AND ARE PER NOR THE FOR"
    " NOT BUT ALL ANY HOW WHO TOP VS YTD OFO USBP LSD CBP GDP SME MDMA".split()
)
US_SPELLINGS = re.compile(r"\b(U\.\s?S\.(\s?A\.?)?|EE\.\s?UU\.?|E\.\s?U\.(?=\s|$))", re.IGNORECASE)
# Figures people ask for that the store does not hold (answered "no data", with what exists).
UNSUPPORTED = re.compile(
    r"\b(gdp|inflation|unemployment|jobs?|employment|wages?|tariffs?|duties|remittances?|fdi|"
    r"foreign direct investment|investment|services|oil|exchange rate|peso|stock|debt|"
    r"deportations?|removals?|visas?|pib|empleo|inflacion|remesas)\b"
)
# "exports of Mexico to China": trade between two other countries.
THIRD_COUNTRY = re.compile(r"\b(of|from|de|desde)\b.*\b(to|a|hacia)\b")
