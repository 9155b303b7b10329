"""HELP and REFUSE: what the bot can answer, and plain refusals of what it cannot."""

from __future__ import annotations

from facts.context import Context
from facts.model import Answer, NoData, Query
from facts.ops.common import name

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
    "unknown_word": "I can't use “{w}” in that question, and I won't answer a broader question"
    " in its place.",
    "future": "{w} is in the future or not published yet.",
}


def help_answer(query: Query, ctx: Context) -> Answer:
    """What the bot understands, with example questions."""
    return Answer(
        kind="help",
        understood="a request for help",
        suggestions=EXAMPLES,
        headline="What you can ask TradeFact",
    )


def refuse(query: Query, ctx: Context) -> Answer:
    """Say which words cannot be honoured and what the store has instead; never a figure."""
    word = ", ".join(f"{w}" for w in query.not_used) or query.metric
    close = ", ".join(ctx.names.suggest(query.not_used[0])) if query.not_used else ""
    if query.refusal == "third_country":
        word = " and ".join(name(ctx, p) for p in query.partners)
    reason = REASONS.get(query.refusal, REASONS["unknown_word"]).format(w=word, close=close)
    raise NoData(f"{reason} {HOLDINGS}", _suggestions(ctx, query))


def _suggestions(ctx: Context, query: Query) -> tuple[str, ...]:
    partner = name(ctx, query.partners[0]).lower() if query.partners else "mexico"
    if query.metric == "encounters":
        return ("nationwide encounters june 2025", "southwest border encounters fy2025", "help")
    return (f"{partner} exports 2024", f"{partner} imports 2024", "help")
