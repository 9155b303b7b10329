"""HELP and REFUSE: what the bot can answer, and plain refusals of what it cannot."""

from __future__ import annotations

from facts.context import Context
from facts.model import Answer, NoData, Query
from facts.ops.common import name, t

EXAMPLES = (
    "mexico exports 2024",
    "mexico vs china exports 2024",
    "top 10 export markets 2024",
    "where does mexico rank 2025",
    "trade balance with mexico march 2026",
    "canada exports 2015-2024",
    "exports per person mexico and canada 2024",
    "nationwide encounters june 2025",
    "fentanyl seizures fy2025",
    "claims",
)
EJEMPLOS = (  # the same questions, asked in Spanish (each one is parsed: tests/test_spanish.py)
    "exportaciones a méxico 2024",
    "exportaciones méxico vs china 2024",
    "principales 10 mercados de exportación 2024",
    "balanza comercial con méxico marzo 2026",
    "exportaciones a canadá 2015-2024",
)
HOLDINGS = (
    "The store holds U.S. goods trade by partner country (exports, imports, balance, total, per"
    " person; by month and year), U.S. trade with Mexico and Canada by U.S. state, Texas port and"
    " transport mode, U.S. exports to Mexico by commodity group and Mexican state, calculated"
    " duties by country, World Bank population, CBP encounters (also by citizenship) and CBP drug"
    " seizures."
)
# Qualifiers the store cannot serve, by kind: what to say instead of a figure.
REASONS = {
    "product": "The Census data in the store are totals over all goods, not single products"
    " such as “{w}”; U.S. exports to Mexico are also in 22 commodity groups (HS sections), e.g."
    " 'machinery exports to mexico 2024'.",
    "us_state": "U.S. states (“{w}”) are in the store with their trade with Mexico and Canada"
    " only (ask e.g. 'texas exports to mexico 2024').",
    "port": "Ports of entry (“{w}”) are in the store for the 12 Texas ports on the Mexican border"
    " only (ask e.g. 'laredo trade 2024'); transport modes for trade with Mexico and Canada.",
    "unsupported": "The store has no {w} figures.",
    "services": "The store holds trade in goods only, not services.",
    "currency": "Figures are in U.S. dollars; the store has no {w} figures.",
    "removals": "The store has CBP encounters, not deportations or removals (“{w}”).",
    "nationality": "Encounters by citizenship (“{w}”) are asked as e.g. 'encounters of Mexican"
    " nationals fy2024' or 'top nationalities of border encounters'.",
    "third_country": "The Census data are U.S. trade with each partner; trade between {w} is not"
    " in the store.",
    "unknown_partner": "No trade partner called “{w}” in the Census data. Closest names: {close}.",
    "count": "“How many {w}” asks for a count; the store has dollar values of trade and duties,"
    " not counts of trucks, trains, containers or shipments.",
    "unknown_word": "I can't use “{w}” in that question, and I won't answer a broader question"
    " in its place.",
    "future": "{w} is in the future or not published yet.",
}
HOLDINGS_ES = (
    "Los datos tienen el comercio de bienes de EE. UU. por país socio (exportaciones,"
    " importaciones, balanza, total, por persona; por mes y por año), la población del Banco"
    " Mundial, los encuentros de la CBP y las incautaciones de drogas de la CBP."
)
REASONS_ES = {
    "product": "Los datos de la Oficina del Censo son totales de todos los bienes, no productos"
    " como “{w}”.",
    "us_state": "No hay cifras por estado de EE. UU. (“{w}”): el comercio es por país socio.",
    "port": "No hay cifras por puerto de entrada (“{w}”): el comercio es por país socio.",
    "unsupported": "No hay cifras de {w}.",
    "services": "Los datos son solo de comercio de bienes, no de servicios.",
    "currency": "Las cifras están en dólares de EE. UU.; no hay cifras en {w}.",
    "removals": "Los datos son encuentros de la CBP, no deportaciones (“{w}”).",
    "nationality": "Los encuentros no se desglosan por nacionalidad (“{w}”).",
    "third_country": "Los datos son el comercio de EE. UU. con cada socio; el comercio entre"
    " {w} no está en los datos.",
    "unknown_partner": "No hay un socio comercial llamado “{w}” en los datos del Censo."
    " Nombres parecidos: {close}.",
    "count": "“{w}” pide un conteo; la base tiene valores en dólares del comercio y los"
    " aranceles, no conteos de camiones, trenes, contenedores ni embarques.",
    "unknown_word": "No puedo usar “{w}” en esa pregunta, y no voy a contestar una pregunta más"
    " amplia en su lugar.",
    "future": "{w} está en el futuro o aún no se publica.",
}


def help_answer(query: Query, ctx: Context) -> Answer:
    """What the bot understands, with example questions."""
    return Answer(
        kind="help",
        understood=t(query.lang, "a request for help", "una solicitud de ayuda"),
        suggestions=EJEMPLOS if query.lang == "es" else EXAMPLES,
        headline=t(query.lang, "What you can ask TradeFact", "Qué puede preguntarle a TradeFact"),
        lang=query.lang,
    )


def refuse(query: Query, ctx: Context) -> Answer:
    """Say which words cannot be honoured and what the store has instead; never a figure."""
    word = ", ".join(f"{w}" for w in query.not_used) or query.metric
    close = ", ".join(ctx.names.suggest(query.not_used[0])) if query.not_used else ""
    es = query.lang == "es"
    if query.refusal == "third_country":
        word = t(query.lang, " and ", " y ").join(name(ctx, p, query.lang) for p in query.partners)
    reasons = REASONS_ES if es else REASONS
    reason = reasons.get(query.refusal, reasons["unknown_word"]).format(w=word, close=close)
    if es:
        raise NoData(f"{reason} {HOLDINGS_ES}", EJEMPLOS[:2] + ("ayuda",))
    raise NoData(f"{reason} {HOLDINGS}", _suggestions(ctx, query))


def _suggestions(ctx: Context, query: Query) -> tuple[str, ...]:
    partner = name(ctx, query.partners[0]).lower() if query.partners else "mexico"
    if query.metric == "encounters":
        return ("nationwide encounters june 2025", "southwest border encounters fy2025", "help")
    return (f"{partner} exports 2024", f"{partner} imports 2024", "help")
