"""Generate ``data/countries.csv``, the reference table of trade partner codes.

Run ``python scripts/make_countries.py`` from anywhere; it rewrites ``data/countries.csv``
deterministically (the same inputs give a byte-identical file).

Rows: one per ``country_code`` found in ``data/raw/census-trade-by-country/*.json`` plus one
row for ``USA`` (population questions may mention it; it has population in
``data/raw/worldbank-population/population.csv`` but is never a trade partner).

Where each column comes from:

* ``code`` -- the ``country_code`` exactly as written in the Census trade files.
* ``kind`` -- ``aggregate`` for ``AGG_*``, ``unallocated`` for ``UNALLOC_*``, ``former`` for
  the dissolved partners in ``FORMER`` (SUN, CSK, YUG, SCG, ANT), ``country`` otherwise
  (dependencies and territories such as Hong Kong or Greenland included).
* ``census_code``, ``census_name`` -- the U.S. Census Bureau's 4-digit partner code and partner
  name (Schedule C), embedded below as ``CENSUS``. Transcribed from the public table
  ``pipeline/output/countries.json`` in GitHub repo ``corbett-hobbs/congress-ideology`` at
  commit 31caa71f316e15a560aa25459ad00849328f1e02. Where one ``country_code`` has several
  Census codes over time (SRB 4802->4801, SDN 7320->7321, ETH 7740->7749) the newest code and
  name are kept. Two names were corrected against Schedule C: 6862 is "Nauru" (the table says
  "Naoero") and 7660 is written in full (the table has the 50-character truncation "...(formerly
  Za"). USA has no Census partner code, so both columns are empty for it.
* ``name`` -- short common English name: pycountry ``common_name``, else ``name`` (pycountry
  26.2.16, ISO 3166-1), overridden by the hand-curated ``NAME_EN`` (everyday names such as
  "South Korea", "Russia", and every code pycountry does not know).
* ``name_es`` -- Spanish name from pycountry's ``iso3166-1`` gettext catalogue (locale ``es``),
  overridden by the hand-curated ``NAME_ES`` where the catalogue is officialese or wrong
  ("Corea, República de" -> "Corea del Sur", "Algeria" -> "Argelia", ...).
* ``aliases`` -- ``|``-separated: the hand-curated ``ALIASES`` below (kept verbatim, first), then
  for kind ``country`` the ISO 3166-1 alpha-2 code, the pycountry ``name`` and
  ``official_name`` when they differ from ``name``, and "St"/"St." forms of "Saint ..." names.
  Generated aliases never repeat the code, ``name``, ``name_es`` or an earlier alias (compared
  case-insensitively without accents). The USMCA/NAFTA consumption series (AGG_0005, AGG_0006,
  AGG_0021, AGG_0022) deliberately get no aliases.
* ``first_year``, ``last_year`` -- first and last ``year`` the code appears in the trade files
  (empty for USA).

The script fails if any name, Spanish name, alias or code (case-insensitive, accents stripped)
would point to two different codes.
"""

from __future__ import annotations

import csv
import gettext
import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
TRADE_DIR = ROOT / "data" / "raw" / "census-trade-by-country"
POPULATION_CSV = ROOT / "data" / "raw" / "worldbank-population" / "population.csv"
OUT = ROOT / "data" / "countries.csv"

COLUMNS = [
    "code",
    "kind",
    "census_code",
    "census_name",
    "name",
    "name_es",
    "aliases",
    "first_year",
    "last_year",
]

FORMER = {"SUN", "CSK", "YUG", "SCG", "ANT"}

# code -> (Census 4-digit code, Census partner name); newest code where a partner was recoded.
CENSUS: dict[str, tuple[str, str]] = {
    "AGG_0003": ("0003", "European Union"),
    "AGG_0005": ("0005", "NAFTA with Mexico (Consump)"),
    "AGG_0006": ("0006", "NAFTA with Canada (Consump)"),
    "AGG_0007": ("0007", "Advanced Technology Products"),
    "AGG_0009": ("0009", "South and Central America"),
    "AGG_0010": ("0010", "North America"),
    "AGG_0012": ("0012", "Europe"),
    "AGG_0013": ("0013", "Africa"),
    "AGG_0014": ("0014", "Pacific Rim"),
    "AGG_0016": ("0016", "Asia"),
    "AGG_0017": ("0017", "CAFTA-DR"),
    "AGG_0018": ("0018", "Australia and Oceania"),
    "AGG_0019": ("0019", "Sub Saharan Africa"),
    "AGG_0021": ("0021", "USMCA with Mexico (Consump)"),
    "AGG_0022": ("0022", "USMCA with Canada (Consump)"),
    "GRL": ("1010", "Greenland"),
    "CAN": ("1220", "Canada"),
    "SPM": ("1610", "Saint Pierre and Miquelon"),
    "MEX": ("2010", "Mexico"),
    "GTM": ("2050", "Guatemala"),
    "BLZ": ("2080", "Belize"),
    "SLV": ("2110", "El Salvador"),
    "HND": ("2150", "Honduras"),
    "NIC": ("2190", "Nicaragua"),
    "CRI": ("2230", "Costa Rica"),
    "PAN": ("2250", "Panama"),
    "BMU": ("2320", "Bermuda"),
    "BHS": ("2360", "Bahamas"),
    "CUB": ("2390", "Cuba"),
    "JAM": ("2410", "Jamaica"),
    "TCA": ("2430", "Turks and Caicos Islands"),
    "CYM": ("2440", "Cayman Islands"),
    "HTI": ("2450", "Haiti"),
    "DOM": ("2470", "Dominican Republic"),
    "AIA": ("2481", "Anguilla"),
    "VGB": ("2482", "British Virgin Islands"),
    "KNA": ("2483", "Saint Kitts and Nevis"),
    "ATG": ("2484", "Antigua and Barbuda"),
    "MSR": ("2485", "Montserrat"),
    "DMA": ("2486", "Dominica"),
    "LCA": ("2487", "Saint Lucia"),
    "VCT": ("2488", "Saint Vincent and the Grenadines"),
    "GRD": ("2489", "Grenada"),
    "BRB": ("2720", "Barbados"),
    "TTO": ("2740", "Trinidad and Tobago"),
    "ANT": ("2771", "Netherlands Antilles"),
    "SXM": ("2774", "Sint Maarten"),
    "CUW": ("2777", "Curacao"),
    "ABW": ("2779", "Aruba"),
    "GLP": ("2831", "Guadeloupe"),
    "MTQ": ("2839", "Martinique"),
    "COL": ("3010", "Colombia"),
    "VEN": ("3070", "Venezuela"),
    "GUY": ("3120", "Guyana"),
    "SUR": ("3150", "Suriname"),
    "GUF": ("3170", "French Guiana"),
    "ECU": ("3310", "Ecuador"),
    "PER": ("3330", "Peru"),
    "BOL": ("3350", "Bolivia"),
    "CHL": ("3370", "Chile"),
    "BRA": ("3510", "Brazil"),
    "PRY": ("3530", "Paraguay"),
    "URY": ("3550", "Uruguay"),
    "ARG": ("3570", "Argentina"),
    "FLK": ("3720", "Falkland Islands (Islas Malvinas)"),
    "ISL": ("4000", "Iceland"),
    "SWE": ("4010", "Sweden"),
    "SJM": ("4031", "Svalbard and Jan Mayen"),
    "NOR": ("4039", "Norway"),
    "FIN": ("4050", "Finland"),
    "FRO": ("4091", "Faroe Islands"),
    "DNK": ("4099", "Denmark, except Greenland"),
    "GBR": ("4120", "United Kingdom"),
    "IRL": ("4190", "Ireland"),
    "NLD": ("4210", "Netherlands"),
    "BEL": ("4231", "Belgium"),
    "LUX": ("4239", "Luxembourg"),
    "AND": ("4271", "Andorra"),
    "MCO": ("4272", "Monaco"),
    "FRA": ("4279", "France"),
    "DEU": ("4280", "Germany (Federal Republic of Germany)"),
    "AUT": ("4330", "Austria"),
    "CSK": ("4350", "Czechoslovakia"),
    "CZE": ("4351", "Czech Republic"),
    "SVK": ("4359", "Slovakia"),
    "HUN": ("4370", "Hungary"),
    "LIE": ("4411", "Liechtenstein"),
    "CHE": ("4419", "Switzerland"),
    "EST": ("4470", "Estonia"),
    "LVA": ("4490", "Latvia"),
    "LTU": ("4510", "Lithuania"),
    "POL": ("4550", "Poland"),
    "SUN": ("4610", "USSR"),
    "RUS": ("4621", "Russia"),
    "BLR": ("4622", "Belarus"),
    "UKR": ("4623", "Ukraine"),
    "ARM": ("4631", "Armenia"),
    "AZE": ("4632", "Azerbaijan"),
    "GEO": ("4633", "Georgia"),
    "KAZ": ("4634", "Kazakhstan"),
    "KGZ": ("4635", "Kyrgyzstan"),
    "MDA": ("4641", "Moldova (Republic of Moldova)"),
    "TJK": ("4642", "Tajikistan"),
    "TKM": ("4643", "Turkmenistan"),
    "UZB": ("4644", "Uzbekistan"),
    "ESP": ("4700", "Spain"),
    "PRT": ("4710", "Portugal"),
    "GIB": ("4720", "Gibraltar"),
    "MLT": ("4730", "Malta"),
    "SMR": ("4751", "San Marino"),
    "VAT": ("4752", "Holy See (Vatican City)"),
    "ITA": ("4759", "Italy"),
    "YUG": ("4790", "Yugoslavia (former)"),
    "HRV": ("4791", "Croatia"),
    "SVN": ("4792", "Slovenia"),
    "BIH": ("4793", "Bosnia and Herzegovina"),
    "MKD": ("4794", "North Macedonia"),
    "SCG": ("4799", "Serbia and Montenegro"),
    "SRB": ("4801", "Serbia"),
    "XKX": ("4803", "Kosovo"),
    "MNE": ("4804", "Montenegro"),
    "ALB": ("4810", "Albania"),
    "GRC": ("4840", "Greece"),
    "ROU": ("4850", "Romania"),
    "BGR": ("4870", "Bulgaria"),
    "TUR": ("4890", "Turkey"),
    "CYP": ("4910", "Cyprus"),
    "SYR": ("5020", "Syria (Syrian Arab Republic)"),
    "LBN": ("5040", "Lebanon"),
    "IRQ": ("5050", "Iraq"),
    "IRN": ("5070", "Iran"),
    "ISR": ("5081", "Israel"),
    "XGZ": ("5082", "Gaza Strip administered by Israel"),
    "XWB": ("5083", "West Bank administered by Israel"),
    "JOR": ("5110", "Jordan"),
    "KWT": ("5130", "Kuwait"),
    "SAU": ("5170", "Saudi Arabia"),
    "QAT": ("5180", "Qatar"),
    "ARE": ("5200", "United Arab Emirates"),
    "YEM": ("5210", "Yemen (Republic of Yemen)"),
    "OMN": ("5230", "Oman"),
    "BHR": ("5250", "Bahrain"),
    "AFG": ("5310", "Afghanistan"),
    "IND": ("5330", "India"),
    "PAK": ("5350", "Pakistan"),
    "NPL": ("5360", "Nepal"),
    "BGD": ("5380", "Bangladesh"),
    "LKA": ("5420", "Sri Lanka"),
    "MMR": ("5460", "Burma (Myanmar)"),
    "THA": ("5490", "Thailand"),
    "VNM": ("5520", "Vietnam"),
    "LAO": ("5530", "Laos (Lao People's Democratic Republic)"),
    "KHM": ("5550", "Cambodia"),
    "MYS": ("5570", "Malaysia"),
    "SGP": ("5590", "Singapore"),
    "IDN": ("5600", "Indonesia"),
    "TLS": ("5601", "Timor-Leste"),
    "BRN": ("5610", "Brunei"),
    "PHL": ("5650", "Philippines"),
    "MAC": ("5660", "Macao"),
    "BTN": ("5682", "Bhutan"),
    "MDV": ("5683", "Maldives"),
    "CHN": ("5700", "China"),
    "MNG": ("5740", "Mongolia"),
    "PRK": ("5790", "North Korea (Democratic People's Republic of Korea)"),
    "KOR": ("5800", "South Korea (Republic of Korea)"),
    "HKG": ("5820", "Hong Kong"),
    "TWN": ("5830", "Taiwan"),
    "JPN": ("5880", "Japan"),
    "AUS": ("6021", "Australia"),
    "NFK": ("6022", "Norfolk Island"),
    "CCK": ("6023", "Cocos (Keeling) Islands"),
    "CXR": ("6024", "Christmas Island (in the Indian Ocean)"),
    "HMD": ("6029", "Heard Island and McDonald Islands"),
    "PNG": ("6040", "Papua New Guinea"),
    "NZL": ("6141", "New Zealand"),
    "COK": ("6142", "Cook Islands"),
    "TKL": ("6143", "Tokelau"),
    "NIU": ("6144", "Niue"),
    "WSM": ("6150", "Samoa (Western Samoa)"),
    "SLB": ("6223", "Solomon Islands"),
    "VUT": ("6224", "Vanuatu"),
    "PCN": ("6225", "Pitcairn Islands"),
    "KIR": ("6226", "Kiribati"),
    "TUV": ("6227", "Tuvalu"),
    "NCL": ("6412", "New Caledonia"),
    "WLF": ("6413", "Wallis and Futuna"),
    "PYF": ("6414", "French Polynesia"),
    "MHL": ("6810", "Marshall Islands"),
    "FSM": ("6820", "Micronesia, Federated States of"),
    "PLW": ("6830", "Palau"),
    "NRU": ("6862", "Nauru"),
    "FJI": ("6863", "Fiji"),
    "TON": ("6864", "Tonga"),
    "MAR": ("7140", "Morocco"),
    "DZA": ("7210", "Algeria"),
    "TUN": ("7230", "Tunisia"),
    "LBY": ("7250", "Libya"),
    "EGY": ("7290", "Egypt"),
    "SDN": ("7321", "Sudan"),
    "SSD": ("7323", "South Sudan"),
    "ESH": ("7370", "Western Sahara"),
    "GNQ": ("7380", "Equatorial Guinea"),
    "MRT": ("7410", "Mauritania"),
    "CMR": ("7420", "Cameroon"),
    "SEN": ("7440", "Senegal"),
    "MLI": ("7450", "Mali"),
    "GIN": ("7460", "Guinea"),
    "SLE": ("7470", "Sierra Leone"),
    "CIV": ("7480", "Cote d'Ivoire"),
    "GHA": ("7490", "Ghana"),
    "GMB": ("7500", "Gambia"),
    "NER": ("7510", "Niger"),
    "TGO": ("7520", "Togo"),
    "NGA": ("7530", "Nigeria"),
    "CAF": ("7540", "Central African Republic"),
    "GAB": ("7550", "Gabon"),
    "TCD": ("7560", "Chad"),
    "SHN": ("7580", "Saint Helena"),
    "BFA": ("7600", "Burkina Faso"),
    "BEN": ("7610", "Benin"),
    "AGO": ("7620", "Angola"),
    "COG": ("7630", "Congo, Republic of the Congo"),
    "GNB": ("7642", "Guinea-Bissau"),
    "CPV": ("7643", "Cabo Verde"),
    "STP": ("7644", "Sao Tome and Principe"),
    "LBR": ("7650", "Liberia"),
    "COD": ("7660", "Congo, Democratic Republic of the Congo (formerly Zaire)"),
    "BDI": ("7670", "Burundi"),
    "RWA": ("7690", "Rwanda"),
    "SOM": ("7700", "Somalia"),
    "ERI": ("7741", "Eritrea"),
    "ETH": ("7749", "Ethiopia"),
    "DJI": ("7770", "Djibouti"),
    "UGA": ("7780", "Uganda"),
    "KEN": ("7790", "Kenya"),
    "SYC": ("7800", "Seychelles"),
    "IOT": ("7810", "British Indian Ocean Territory"),
    "TZA": ("7830", "Tanzania (United Republic of Tanzania)"),
    "MUS": ("7850", "Mauritius"),
    "MOZ": ("7870", "Mozambique"),
    "MDG": ("7880", "Madagascar"),
    "MYT": ("7881", "Mayotte"),
    "COM": ("7890", "Comoros"),
    "REU": ("7904", "Reunion"),
    "ATF": ("7905", "French Southern and Antarctic Lands"),
    "ZAF": ("7910", "South Africa"),
    "NAM": ("7920", "Namibia"),
    "BWA": ("7930", "Botswana"),
    "ZMB": ("7940", "Zambia"),
    "SWZ": ("7950", "Eswatini"),
    "ZWE": ("7960", "Zimbabwe"),
    "MWI": ("7970", "Malawi"),
    "LSO": ("7990", "Lesotho"),
    "UNALLOC_8220": ("8220", "Unidentified Countries"),
    "UNALLOC_8500": ("8500", "International Organizations"),
}

# Short everyday English names where pycountry's is formal, and names for non-ISO codes.
NAME_EN: dict[str, str] = {
    "AGG_0003": "European Union",
    "AGG_0005": "NAFTA with Mexico (imports for consumption)",
    "AGG_0006": "NAFTA with Canada (imports for consumption)",
    "AGG_0007": "Advanced Technology Products",
    "AGG_0009": "South and Central America",
    "AGG_0010": "North America",
    "AGG_0012": "Europe",
    "AGG_0013": "Africa",
    "AGG_0014": "Pacific Rim",
    "AGG_0016": "Asia",
    "AGG_0017": "CAFTA-DR",
    "AGG_0018": "Australia and Oceania",
    "AGG_0019": "Sub-Saharan Africa",
    "AGG_0021": "USMCA with Mexico (imports for consumption)",
    "AGG_0022": "USMCA with Canada (imports for consumption)",
    "UNALLOC_8220": "Unidentified countries",
    "UNALLOC_8500": "International organizations",
    "ANT": "Netherlands Antilles",
    "CSK": "Czechoslovakia",
    "SCG": "Serbia and Montenegro",
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "XGZ": "Gaza Strip",
    "XKX": "Kosovo",
    "XWB": "West Bank",
    "USA": "United States",
    "ATF": "French Southern and Antarctic Lands",
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CXR": "Christmas Island",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "PCN": "Pitcairn Islands",
    "RUS": "Russia",
    "SHN": "Saint Helena",
    "SXM": "Sint Maarten",
    "TUR": "Turkey",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
}

# Spanish names where pycountry's catalogue is officialese, misspelt or missing.
NAME_ES: dict[str, str] = {
    "AGG_0003": "Unión Europea",
    "AGG_0005": "TLCAN con México (importaciones para consumo)",
    "AGG_0006": "TLCAN con Canadá (importaciones para consumo)",
    "AGG_0007": "Productos de tecnología avanzada",
    "AGG_0009": "Sudamérica y Centroamérica",
    "AGG_0010": "América del Norte",
    "AGG_0012": "Europa",
    "AGG_0013": "África",
    "AGG_0014": "Cuenca del Pacífico",
    "AGG_0016": "Asia",
    "AGG_0017": "CAFTA-DR (Centroamérica y República Dominicana)",
    "AGG_0018": "Australia y Oceanía",
    "AGG_0019": "África subsahariana",
    "AGG_0021": "T-MEC con México (importaciones para consumo)",
    "AGG_0022": "T-MEC con Canadá (importaciones para consumo)",
    "UNALLOC_8220": "Países no identificados",
    "UNALLOC_8500": "Organizaciones internacionales",
    "ANT": "Antillas Neerlandesas",
    "CSK": "Checoslovaquia",
    "SCG": "Serbia y Montenegro",
    "SUN": "Unión Soviética",
    "YUG": "Yugoslavia",
    "XGZ": "Franja de Gaza",
    "XKX": "Kosovo",
    "XWB": "Cisjordania",
    "USA": "Estados Unidos",
    "ATF": "Tierras Australes y Antárticas Francesas",
    "BFA": "Burkina Faso",
    "BMU": "Bermudas",
    "BOL": "Bolivia",
    "BRN": "Brunéi",
    "CIV": "Costa de Marfil",
    "COD": "República Democrática del Congo",
    "COG": "República del Congo",
    "COM": "Comoras",
    "DZA": "Argelia",
    "FLK": "Islas Malvinas",
    "FSM": "Micronesia",
    "IRN": "Irán",
    "KOR": "Corea del Sur",
    "LAO": "Laos",
    "MDA": "Moldavia",
    "MDV": "Maldivas",
    "NER": "Níger",
    "PCN": "Islas Pitcairn",
    "PRK": "Corea del Norte",
    "RUS": "Rusia",
    "SHN": "Santa Elena",
    "SPM": "San Pedro y Miquelón",
    "SUR": "Surinam",
    "SXM": "Sint Maarten",
    "SYR": "Siria",
    "TUN": "Túnez",
    "TWN": "Taiwán",
    "TZA": "Tanzania",
    "VAT": "Ciudad del Vaticano",
    "VEN": "Venezuela",
    "VGB": "Islas Vírgenes Británicas",
}

# Hand-curated extra names people type; written out first and verbatim.
ALIASES: dict[str, list[str]] = {
    "USA": [
        "US",
        "USA",
        "U.S.",
        "U.S.A.",
        "America",
        "United States of America",
        "EEUU",
        "EE. UU.",
        "EE.UU.",
    ],
    "AGG_0003": ["EU", "E.U.", "European Union", "UE"],
    "AGG_0007": ["Advanced Technology Products", "ATP"],
    "AGG_0009": [
        "South America",
        "Central America",
        "Latin America",
        "América Latina",
        "Latinoamérica",
        "Sudamérica",
        "América del Sur",
        "Centroamérica",
        "América Central",
    ],
    "AGG_0010": ["USMCA", "T-MEC", "TMEC", "NAFTA", "TLCAN", "North America", "Norteamérica"],
    "AGG_0012": ["Europe"],
    "AGG_0013": ["Africa"],
    "AGG_0014": ["Pacific Rim"],
    "AGG_0016": ["Asia"],
    "AGG_0017": ["CAFTA", "CAFTA-DR", "DR-CAFTA"],
    "AGG_0018": ["Oceania", "Australia and Oceania"],
    "AGG_0019": ["Sub-Saharan Africa", "Sub Saharan Africa", "Subsaharan Africa"],
    "ARE": ["UAE", "Emirates", "U.A.E.", "Emiratos"],
    "BHS": ["The Bahamas"],
    "BIH": ["Bosnia"],
    "CHN": ["PRC", "People's Republic of China", "Mainland China"],
    "CIV": ["Ivory Coast"],
    "COD": ["DRC", "Congo-Kinshasa", "DR Congo", "Congo Kinshasa", "Zaire", "RDC"],
    "COG": ["Congo", "Congo-Brazzaville", "Congo Brazzaville"],
    "CPV": ["Cape Verde"],
    "CZE": ["Czech Republic", "Czechia", "República Checa"],
    "DEU": ["Deutschland"],
    "FLK": ["Falklands", "Malvinas"],
    "GBR": [
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "England",
        "United Kingdom",
        "Gran Bretaña",
        "Inglaterra",
    ],
    "GMB": ["The Gambia"],
    "HKG": ["Hong Kong SAR"],
    "KOR": ["Korea", "Republic of Korea", "ROK", "Corea"],
    "LAO": ["Lao PDR"],
    "MAC": ["Macau"],
    "MKD": ["Macedonia"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "The Netherlands", "Holanda"],
    "PRK": ["DPRK"],
    "RUS": ["Russian Federation", "Federación Rusa"],
    "SAU": ["KSA", "Arabia Saudita"],
    "SUN": ["USSR", "U.S.S.R.", "URSS"],
    "SWZ": ["Eswatini", "Swaziland", "Suazilandia"],
    "TLS": ["East Timor"],
    "TUR": ["Turkey", "Türkiye"],
    "TWN": ["Chinese Taipei", "Republic of China", "ROC"],
    "VAT": ["Holy See", "Vatican", "Santa Sede", "Vaticano"],
    "VGB": ["BVI"],
    "VNM": ["Viet Nam"],
    "XGZ": ["Gaza"],
}

ES = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])


def fold(text: str) -> str:
    """Case-insensitive, accent-stripped form used to compare names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def trade_years() -> dict[str, tuple[int, int]]:
    """Map every country_code in the Census trade files to its (first, last) year."""
    years: dict[str, list[int]] = {}
    for path in sorted(TRADE_DIR.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            years.setdefault(record["country_code"], []).append(int(record["year"]))
    return {code: (min(ys), max(ys)) for code, ys in years.items()}


def population_codes() -> set[str]:
    """ISO3 codes that have a population value in the World Bank file."""
    with POPULATION_CSV.open(encoding="utf-8", newline="") as fh:
        return {row["Country Code"] for row in csv.DictReader(fh) if row["Value"]}


def kind_of(code: str) -> str:
    """Row kind derived from the code."""
    if code.startswith("AGG_"):
        return "aggregate"
    if code.startswith("UNALLOC_"):
        return "unallocated"
    if code in FORMER:
        return "former"
    return "country"


def english_name(code: str) -> str:
    """Short common English name."""
    if code in NAME_EN:
        return NAME_EN[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise SystemExit(f"no English name for {code}")
    return str(getattr(country, "common_name", None) or country.name)


def spanish_name(code: str) -> str:
    """Everyday Spanish name."""
    if code in NAME_ES:
        return NAME_ES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise SystemExit(f"no Spanish name for {code}")
    return ES.gettext(country.name)


def generated_aliases(code: str, name: str) -> list[str]:
    """ISO alpha-2 code, pycountry's formal names and 'St' forms, for countries only."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return []
    out = [country.alpha_2, country.name, getattr(country, "official_name", "") or ""]
    if name.startswith("Saint "):
        rest = name.removeprefix("Saint ")
        out += [f"St {rest}", f"St. {rest}"]
    return out


def unique_aliases(code: str, name: str, name_es: str, extra: Iterable[str]) -> str:
    """Curated aliases verbatim, then generated ones that add a new name."""
    curated = ALIASES.get(code, [])
    seen = {fold(code), fold(name), fold(name_es)} | {fold(a) for a in curated}
    out = list(curated)
    for alias in extra:
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            out.append(alias)
    return "|".join(out)


def build_rows() -> list[dict[str, str]]:
    """All rows of countries.csv, sorted by code."""
    years = trade_years()
    if "USA" not in population_codes():
        raise SystemExit("USA missing from the World Bank population file")
    missing = sorted(set(years) - set(CENSUS))
    if missing:
        raise SystemExit(f"no Census code/name for: {missing}")
    rows = []
    for code in sorted([*years, "USA"]):
        kind = kind_of(code)
        name = english_name(code)
        name_es = spanish_name(code)
        extra = generated_aliases(code, name) if kind == "country" else []
        census_code, census_name = CENSUS.get(code, ("", ""))
        first, last = years.get(code, ("", ""))
        rows.append(
            {
                "code": code,
                "kind": kind,
                "census_code": census_code,
                "census_name": census_name,
                "name": name,
                "name_es": name_es,
                "aliases": unique_aliases(code, name, name_es, extra),
                "first_year": str(first),
                "last_year": str(last),
            }
        )
    return rows


def check_unambiguous(rows: list[dict[str, str]]) -> None:
    """Fail if any code, name, Spanish name or alias points to two different codes."""
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for row in rows:
        terms = [row["code"], row["name"], row["name_es"], *row["aliases"].split("|")]
        for term in filter(None, terms):
            key = fold(term)
            previous = owner.setdefault(key, row["code"])
            if previous != row["code"]:
                clashes.append(f"{term!r}: {previous} and {row['code']}")
    if clashes:
        raise SystemExit("ambiguous names:\n" + "\n".join(clashes))


def main() -> None:
    rows = build_rows()
    check_unambiguous(rows)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
