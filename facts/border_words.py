"""Words for the border-trade, duties and citizenship questions (matched after normalise())."""

from __future__ import annotations

import re

# Transport modes as people say them -> the store's mode ids.
MODE_WORDS = {
    "truck": "truck", "trucks": "truck", "trucking": "truck", "camion": "truck",
    "camiones": "truck", "autotransporte": "truck", "rail": "rail", "railroad": "rail",
    "railroads": "rail", "railway": "rail", "train": "rail", "trains": "rail", "tren": "rail",
    "ferrocarril": "rail", "pipeline": "pipeline", "pipelines": "pipeline", "ducto": "pipeline",
    "ductos": "pipeline", "air": "air", "plane": "air", "planes": "air", "airplane": "air",
    "aereo": "air", "avion": "air", "vessel": "vessel", "vessels": "vessel", "ship": "vessel",
    "ships": "vessel", "sea": "vessel", "maritime": "vessel", "ocean": "vessel",
    "barco": "vessel", "maritimo": "vessel", "mail": "mail", "ftz": "ftz",
}  # fmt: skip
MODES_WORD = re.compile(r"\b(modes?|mode of transport|transport modes?|by mode|modo|modos)\b")
# Commodity-group words -> the BTS group (HS section) names.
GROUP_WORDS = {
    "machinery": "Machinery & Electrical Equipment",
    "machines": "Machinery & Electrical Equipment",
    "electrical": "Machinery & Electrical Equipment",
    "electronics": "Machinery & Electrical Equipment",
    "maquinaria": "Machinery & Electrical Equipment",
    "transportation equipment": "Transportation Equipment",
    "vehicles": "Transportation Equipment",
    "vehiculos": "Transportation Equipment",
    "plastics": "Plastics & Rubber",
    "rubber": "Plastics & Rubber",
    "plasticos": "Plastics & Rubber",
    "base metals": "Base Metals & Articles",
    "metals": "Base Metals & Articles",
    "mineral products": "Mineral Products",
    "minerals": "Mineral Products",
    "fuels": "Mineral Products",
    "chemicals": "Chemical Products",
    "chemical products": "Chemical Products",
    "quimicos": "Chemical Products",
    "food": "Foodstuffs, Beverages & Tobacco",
    "foodstuffs": "Foodstuffs, Beverages & Tobacco",
    "beverages": "Foodstuffs, Beverages & Tobacco",
    "vegetable products": "Vegetable Products",
    "grains": "Vegetable Products",
    "crops": "Vegetable Products",
    "animal products": "Live Animals & Animal Products",
    "live animals": "Live Animals & Animal Products",
    "textiles": "Textiles & Apparel",
    "apparel": "Textiles & Apparel",
    "paper": "Pulp, Paper & Paperboard",
    "wood": "Wood & Wood Products",
    "instruments": "Optical, Medical & Precision Instruments",
    "medical devices": "Optical, Medical & Precision Instruments",
    "arms": "Arms & Ammunition",
    "weapons": "Arms & Ammunition",
    "guns": "Arms & Ammunition",
    "ammunition": "Arms & Ammunition",
    "footwear": "Footwear, Headgear & Umbrellas",
    "glass": "Stone, Ceramic & Glass Products",
    "precious metals": "Precious Metals & Stones",
    "leather": "Raw Hides, Skins & Leather",
}
# Single products people ask about -> the group that holds them (the store has groups only).
PRODUCT_WORDS = {
    "corn": "Vegetable Products", "maiz": "Vegetable Products", "soybeans": "Vegetable Products",
    "soy": "Vegetable Products", "wheat": "Vegetable Products", "avocados": "Vegetable Products",
    "avocado": "Vegetable Products", "aguacate": "Vegetable Products",
    "tomatoes": "Vegetable Products", "berries": "Vegetable Products",
    "steel": "Base Metals & Articles", "acero": "Base Metals & Articles",
    "aluminum": "Base Metals & Articles", "copper": "Base Metals & Articles",
    "cars": "Transportation Equipment", "autos": "Transportation Equipment",
    "auto parts": "Transportation Equipment", "trucks parts": "Transportation Equipment",
    "gasoline": "Mineral Products", "diesel": "Mineral Products",
    "natural gas": "Mineral Products", "oil": "Mineral Products", "crude": "Mineral Products",
    "petroleum": "Mineral Products", "beef": "Live Animals & Animal Products",
    "pork": "Live Animals & Animal Products", "chicken": "Live Animals & Animal Products",
    "dairy": "Live Animals & Animal Products", "cheese": "Live Animals & Animal Products",
    "semiconductors": "Machinery & Electrical Equipment",
    "computers": "Machinery & Electrical Equipment", "chips": "Machinery & Electrical Equipment",
    "tequila": "Foodstuffs, Beverages & Tobacco", "beer": "Foodstuffs, Beverages & Tobacco",
}  # fmt: skip
GOODS_QUESTION = re.compile(
    r"\b(what (does|do) (the )?us (sell|export)|what (goods|products)|which (goods|products)"
    r"|commodit(y|ies)|product groups?|(goods|products) (does|do|did)|que (vende|exporta)"
    r"|productos)\b"
)
# Mexican states as written in questions -> the BTS name.
MEX_STATE_ALIASES = {
    "mexico city": "Distrito Federal", "ciudad de mexico": "Distrito Federal",
    "cdmx": "Distrito Federal", "state of mexico": "Estado de Mexico",
    "edomex": "Estado de Mexico", "coahuila de zaragoza": "Coahuila",
    "michoacan de ocampo": "Michoacan", "veracruz de ignacio de la llave": "Veracruz",
}  # fmt: skip
MEX_STATES_WORD = re.compile(
    r"\b(mexican states?|states of mexico|estados mexicanos|estados de mexico)\b"
)
US_STATES_WORD = re.compile(
    r"\b((u ?s )?states|state|estados( de eeuu| de us)?)\b(?! unidos)(?<!united states)"
)
PORTS_WORD = re.compile(
    r"\b(ports?|crossings?|crossed|cross|border crossings?|puertos?|aduanas?|garitas?)\b"
)
# Border crossings outside the 12 Texas ports of the data (refused by name, with what exists).
OTHER_PORTS = (
    "nogales", "san ysidro", "otay mesa", "calexico", "tecate", "san luis", "douglas",
    "lukeville", "santa teresa", "columbus", "detroit", "buffalo", "port huron", "blaine",
    "champlain", "sweetgrass", "pembina", "sault ste marie", "long beach", "los angeles",
    "houston", "savannah", "new york", "seattle", "tijuana", "ciudad juarez", "nuevo laredo",
)  # fmt: skip
DUTIES = re.compile(
    r"\b(tariffs?|duties|duty|aranceles?|arancelari[ao]s?|customs revenue|customs duties|"
    r"tariff revenue)\b"
)
RATE = re.compile(
    r"\b(rate|effective|average|avg|tasa|promedio|percent|percentage|porcentaje|efectiv[ao])\b|%"
)
CITIZENSHIP = re.compile(
    r"\b(nationals?|nationalit(y|ies)|citizens?|citizenship|nacionalidad(es)?|ciudadanos?)\b"
)
ENCOUNTER_WORDS = re.compile(
    r"\b(encounters?|encountered|encounter|encontro|encontraron|apprehended|apprehensions?|cbp|"
    r"border patrol|encuentros|detenidos|migrants?|migrantes)\b"
)
# People of a country, in English and Spanish -> ISO3 (citizenship and "Chinese goods").
DEMONYMS = {
    "mexican": "MEX", "mexicans": "MEX", "mexicanos": "MEX", "mexicano": "MEX",
    "guatemalan": "GTM", "guatemalans": "GTM", "guatemaltecos": "GTM",
    "honduran": "HND", "hondurans": "HND", "hondurenos": "HND",
    "salvadoran": "SLV", "salvadorans": "SLV", "salvadorenos": "SLV",
    "venezuelan": "VEN", "venezuelans": "VEN", "venezolanos": "VEN",
    "cuban": "CUB", "cubans": "CUB", "cubanos": "CUB", "haitian": "HTI", "haitians": "HTI",
    "colombian": "COL", "colombians": "COL", "ecuadorian": "ECU", "ecuadorians": "ECU",
    "nicaraguan": "NIC", "nicaraguans": "NIC", "peruvian": "PER", "peruvians": "PER",
    "brazilian": "BRA", "brazilians": "BRA", "indian": "IND", "indians": "IND",
    "chinese": "CHN", "canadian": "CAN", "canadians": "CAN", "russian": "RUS",
    "russians": "RUS", "ukrainian": "UKR", "ukrainians": "UKR", "turkish": "TUR",
    "romanian": "ROU", "romanians": "ROU", "filipino": "PHL", "filipinos": "PHL",
    "vietnamese": "VNM", "japanese": "JPN", "german": "DEU", "korean": "KOR",
    "south korean": "KOR", "taiwanese": "TWN", "swiss": "CHE", "irish": "IRL", "italian": "ITA",
    "french": "FRA", "british": "GBR", "thai": "THA", "malaysian": "MYS", "european": "EU",
    "chino": "CHN", "chinos": "CHN", "mexicana": "MEX", "mexicanas": "MEX",
    "canadiense": "CAN", "canadienses": "CAN", "japoneses": "JPN", "alemanes": "DEU",
    "vietnamitas": "VNM", "coreanos": "KOR",
    "afghan": "AFG", "afghans": "AFG", "senegalese": "SEN", "mauritanian": "MRT",
    "mauritanians": "MRT", "dominican": "DOM", "dominicans": "DOM", "chilean": "CHL",
    "chileans": "CHL", "jamaican": "JAM", "jamaicans": "JAM", "uzbek": "UZB", "uzbeks": "UZB",
}  # fmt: skip
EXTREME = re.compile(
    r"\b(record|highest|lowest|peak|most ever|least ever|best year|worst year|maximo|minimo)\b"
)
# Words of border questions that name nothing by themselves (used, so never refused).
BORDER_WORDS = re.compile(
    r"\b(border|frontera|texas|ports?|puertos?|trade|comercio|crossings?|crossed|cross|moves?|"
    r"moved|moving|via|through|collected|collect|paid|pay|revenue|charged|goods|products|"
    r"productos|bienes|nationals?|citizens?|encounters?|encountered|encounter|cbp|groups?|"
    r"states?|estados?|mexican|category|categories|sector|sectors|value|transport|transported|"
    r"shipped|shipments?|freight|carga|share|u ?s|us mexico|u s mexico|entry|of|handles?|"
    r"handled|handling|cobrados?|cobrad[ao]s?|recaudad[ao]s?|pagad[ao]s?|sobre|cruzo|cruza|"
    r"cruzan|cruzaron|mueve|mueven|transporta|por|via)\b"
)
