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
    ("encounters", r"\b(encounters?|crossings?|apprehensions?|apprehended|migrants?|migrantes|"
                   r"stopped|caught|detained|encuentros|encontro|encontraron|detuvo|detuvieron|cruces|"
                   r"detenciones|border patrol|usbp|illegal)\b"),
    ("balance", r"\b(balance|deficit|surplus|trade gap|saldo|balanza|superavit)\b"),
    ("imports", r"\b(import(s|ed|ing|aciones|a|an|aron|o)?|sells?|sold|selling|vende|vendio|"
                r"venden|vendieron)\b"),
    ("exports", r"\b(export(s|ed|ing|aciones|a|an|aron|o)?|buys?|bought|buyers?|purchases?|"
                r"spend|spends|spent|spending|gasta|gastan|"
                r"purchased|compra|compro|compran|compraron|markets?|mercados?|customers?|"
                r"clientes?)\b"),
    ("total", r"\b(total trade|two way|trade|trading|comercio|intercambio)\b"),
)  # fmt: skip
METRIC_PATTERNS_RE = tuple((metric, re.compile(pattern)) for metric, pattern in METRIC_PATTERNS)
PER_CAPITA = re.compile(
    r"\b(per (capita|person|head|persona)|por (persona|habitante)|"
    r"(each|every|per|the average) (person|resident|citizen|inhabitant|mexican|canadian|chinese|"
    r"japanese|german|korean|indian|brazilian|french|italian|british|vietnamese))\b"
)
HELP = re.compile(
    r"^\s*(help|ayuda|\?|what can (you|i) (do|ask)|how does this work|usage|hi|hello|hola)"
    r"\s*[?!.]*\s*$"
)
# "what changed in the latest release?", "latest revisions", "qué cambió en la última publicación"
CHANGES = re.compile(
    r"^\s*(what( has| have)? (changed|was revised|got revised|were the revisions)"
    r"( in| with)?( the)? (latest|last|newest|new|most recent) (census )?(release|data)"
    r"|(latest|last|newest|recent) (census )?(revisions|changes|release)"
    r"|qu[eé] cambi[oó]( en)?( la)? [uú]ltima publicaci[oó]n)\s*[?!.]*\s*$"
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
    r"(\s+(\d{1,4})\b(?!\.\d))?"
)
SHARE = re.compile(
    r"\b(share|percent(age)? of|proportion|porcentaje|participacion|fraction)\b|%\s*of\b"
)
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
SERIES_PATTERNS_RE = tuple((s, re.compile(p)) for s, p in SERIES_PATTERNS) + (
    ("nationwide", re.compile("")),
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
    r"foreign direct investment|investment|oil|exchange rate|peso|stock|debt|"
    r"deportations?|removals?|visas?|pib|empleo|inflacion|remesas)\b"
)
# "exports of Mexico to China": trade between two other countries.
THIRD_COUNTRY = re.compile(r"\b(of|from|de|desde)\b.*\b(to|a|hacia)\b")

# --- every word accounted for ----------------------------------------------------------------
# Function words (English and Spanish) carry no qualifier: a question may use them freely.
FUNCTION_WORDS = frozenset(
    """a an the of to from in into on at for with by and or nor vs versus than as is are was were
    be been being do does did done has have had how much many what whats which who whom whose
    where when why this that these those there here it its i me my we our you your they their
    them he she his her about over per any all each some more most less least so then also please
    tell show give get got let know can could would should will may might just did does 's s
    compared between against among ever overall in total go goes went going come comes came
    make makes made up down out again still only even really actually approximately roughly
    about around nearly almost exactly was
    el la los las un una unos unas de del al en con por para y o u que cual cuales cuanto
    cuanta cuantos cuantas es son fue fueron era ha han hay se le les lo su sus este esta estos
    estas ese esa esos esas entre sobre como muy mas menos hasta durante ya tambien ano anos mes
    meses dame dime muestra cual fue""".split()
)
# Words about the data as a whole that narrow nothing: the store is U.S. goods trade in dollars.
FILLER_WORDS = frozenset(
    """goods merchandise value values figure figures data number numbers amount amounts dollars
    dollar usd worth statistics stats stat nominal current country countries nation nations
    partner partners trading economy volume level levels money update updates info information
    billions billion millions million trillion
    bienes mercancias valor datos
    cifra cifras dolares pais paises us usa america american americans eeuu estadounidense
    estadounidenses united states estados unidos nacional year month years months""".split()
)
ZERO_WIDTH = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# "check: <text>" (or "check the numbers:", "verifica:") asks for every figure of a text to be
# checked; "fact check: <claim>" stays a question about the op-ed's claims.
CHECK_REQUEST = re.compile(
    r"^\s*(?:check(?: the numbers| the figures| this)?|verifica(?:r)?|revisa)\s*:\s*(?=\S)"
    r"|^\s*check\s+(?=\S)",
    re.I,
)
# The end of a sentence: . ! ? then a capital letter (not after "U.S." or "EE.UU."), or the end.
SENTENCE_END = re.compile(r"(?<!\bU\.S)(?<!\bEE\.UU)[.!?](?:\s+(?=[A-Z¿¡\"“])|\s*$)")
SLACK_MARKUP = re.compile(r"<[!@#][^>]*>|<https?:[^>]*>")
# Flow and series words, for correcting a typo ("imoprts") before anything else is read.
FLOW_TYPO_TARGETS = (
    "exports", "imports", "exportaciones", "importaciones", "encounters", "seizures",
    "population", "balance", "deficit", "surplus", "fentanyl",
)  # fmt: skip
# Qualifiers the store cannot serve (each refused by name, never dropped).
PRODUCTS = frozenset(
    """corn maize soybeans soybean soy wheat rice beef pork chicken poultry meat milk dairy cheese
    eggs avocado avocados tomato tomatoes berries strawberries fruit fruits vegetables produce
    sugar coffee beer tequila wine spirits cotton lumber wood steel aluminum aluminium iron
    copper metals oil crude petroleum gasoline diesel fuel fuels gas lng coal electricity cars
    car autos auto automobiles vehicles trucks pickups engines parts electronics computers
    laptops phones smartphones televisions tvs semiconductors chips appliances machinery
    medicine medicines pharmaceuticals drugs plastics chemicals fertilizer fertilizers clothing
    apparel textiles shoes furniture toys aircraft airplanes weapons guns firearms product
    products commodity commodities maiz soya trigo arroz carne res cerdo pollo leche aguacate
    aguacates jitomate tomate azucar cafe cerveza acero aluminio petroleo gasolina autos
    automoviles vehiculos camiones autopartes electronicos computadoras medicinas ropa
    productos producto""".split()
)
US_STATES = re.compile(
    r"\b(alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|"
    r"georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    r"massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    r"new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    r"oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|"
    r"virginia|washington state|west virginia|wisconsin|wyoming|tejas|nuevo mexico|"
    r"nuevo leon|chihuahua|sonora|coahuila|tamaulipas|baja california|jalisco)\b"
)
PORTS = re.compile(
    r"\b(laredo|el paso|nogales|otay mesa|san ysidro|calexico|brownsville|hidalgo|pharr|"
    r"eagle pass|del rio|santa teresa|tijuana|ciudad juarez|juarez|port of (?!entry)\w+|"
    r"puerto de \w+|rail|railroad|railway|truck|trucks|trucking|pipeline|vessel|ferrocarril|"
    r"camion|camiones|by air|by sea|mode|modes)\b"
)
CURRENCIES = re.compile(r"\b(pesos?|euros?|yuan|renminbi|yen|cad|mxn)\b")
REMOVALS = re.compile(
    r"\b(deport(ed|ation|ations|s)?|removals?|removed|expelled|expulsions?|returned|"
    r"repatriat\w*|deportad\w*|deportacion\w*)\b"
)
NATIONALITY = re.compile(
    r"\b(mexican nationals?|chinese nationals?|mexicans?|guatemalans?|hondurans?|salvadorans?|"
    r"venezuelans?|cubans?|haitians?|nicaraguans?|colombians?|ecuadorians?|"
    r"nationals?|nationality|nationalities|citizenship|citizens?|mexicanos|guatemaltecos|"
    r"hondurenos|nacionalidad(es)?)\b"
)
SERVICES = re.compile(r"\b(services|servicios|tourism|turismo|travel)\b")
# People and things named after a country ("each Mexican", "Chinese goods").
DEMONYMS = {
    "mexican": "MEX", "mexicans": "MEX", "mexicano": "MEX", "mexicanos": "MEX",
    "canadian": "CAN", "canadians": "CAN", "chinese": "CHN", "japanese": "JPN",
    "german": "DEU", "germans": "DEU", "korean": "KOR", "british": "GBR", "indian": "IND",
    "vietnamese": "VNM", "brazilian": "BRA", "french": "FRA", "italian": "ITA",
}  # fmt: skip
FISCAL = re.compile(
    r"\b(?:fy\s*'?|fiscal year\s*|fiscal\s+|ano fiscal\s*(?:de\s+)?|ejercicio fiscal\s*(?:de\s+)?)"
    r"(\d{4}|\d{2})\b|\bfy(\d{2}|\d{4})\b"
)
FISCAL_TO_DATE = re.compile(
    r"\b(fytd|fiscal year to date|fiscal ytd|so far this fiscal year|en lo que va del ano fiscal)\b"
)
SO_FAR = re.compile(r"\b(so far|to date|en lo que va)\b")
_MONTHS_ALT = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
MONTH_RANGE = re.compile(
    rf"\b(?:from |de |between |entre )?({_MONTHS_ALT})\.?(?:\s*(?:-|–|—|to|through|thru|until|"
    rf"a|al|hasta|y|and)\s*|\s+)({_MONTHS_ALT})\.?,?\s*(?:of |de |del )?{YEAR}?\b"
)
THROUGH_MONTH = re.compile(rf"\b(?:through|thru|until|to|hasta|al|a)\s+({_MONTHS_ALT})\b")
SPANISH_QUARTER = re.compile(
    rf"\b(primer|segundo|tercer|cuarto)\s+trimestre\s*(?:de\s+|del\s+)?{YEAR}?\b"
)
SPANISH_HALF = re.compile(rf"\b(primer|segundo)\s+semestre\s*(?:de\s+|del\s+)?{YEAR}?\b")
SPANISH_ORDINALS = {"primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4}
SUPERLATIVE = (
    r"(best|worst|highest|lowest|peak|record|biggest|largest|smallest|most|least|maximum|"
    r"minimum|top|greatest|mejor|peor|maximo|minimo|mayor|menor|record)"
)
EXTREME_TIME = re.compile(
    rf"\b{SUPERLATIVE}\b(?:\s+\w+){{0,4}}?\s+\b(month|year|mes|ano)\b|"
    r"\b(month|year|mes|ano)\b(?:\s+\w+){0,3}?\s+\b(ever|on record|record|highest|lowest|"
    r"peak|best|worst)\b|\ball[- ]time (high|low)\b|\brecord (high|low)\b"
)
EXTREME_LOW = re.compile(r"\b(worst|lowest|smallest|least|minimum|minimo|menor|peor|low)\b")
EXTREME_PARTNER = re.compile(
    rf"\b{SUPERLATIVE}\s+(?:\w+\s+){{0,3}}?(deficit|surplus|supplier|source|market|buyer|"
    r"customer|partner|trading partner|importer|exporter|proveedor|mercado|socio|cliente)\b"
    r"(?!s)"
)
