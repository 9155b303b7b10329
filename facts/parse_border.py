"""Understand questions about border trade, duties and encounters by citizenship.

The Query names the dimension a question is about (a U.S. state, a Texas port, a transport mode,
a commodity group, a Mexican state, duties, citizenship), the keys it named, the operation and
the period, and the words it used; words it cannot use are refused by name. A question that
names none of these returns None and is read by facts.parse as a question about partners.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Literal

from facts.border_words import (
    BORDER_WORDS,
    CITIZENSHIP,
    DEMONYMS,
    DUTIES,
    ENCOUNTER_WORDS,
    EXTREME,
    GOODS_QUESTION,
    GROUP_WORDS,
    MEX_STATE_ALIASES,
    MEX_STATES_WORD,
    MODE_WORDS,
    MODES_WORD,
    OTHER_PORTS,
    PORTS_WORD,
    PRODUCT_WORDS,
    RATE,
    US_STATES_WORD,
)
from facts.model import Op, Period, Query
from facts.patterns import (
    COMPARE,
    EXTREME_LOW,
    RANK_OF,
    SERIES_PATTERNS_RE,
    SHARE,
    TOP,
    TREND,
)
from facts.reading import Reader, read_period
from facts.vocabulary import CountryIndex, normalise, unify

BORDER_COUNTRIES = ("MEX", "CAN")
_OVER: dict[bool, Literal["", "years"]] = {True: "years", False: ""}
_FLOWS = (
    ("exports", re.compile(r"\b(exports?|exported|exporting|exportaciones|exporta|sells?|sold|"
                           r"selling|ships? to|shipped to|vende|venden|vendio|"
                           r"(buy|buys|buying|bought|purchases?|compra|compran)(?! from))\b")),
    ("imports", re.compile(r"\b(imports?|imported|importing|importaciones|importa|buys? from|"
                           r"bought from|compra)\b")),
    ("balance", re.compile(r"\b(balance|deficit|surplus|saldo|balanza)\b")),
    ("total", re.compile(r"\b(trade|total trade|two way|comercio|intercambio|crossed|cross|"
                         r"crosses|crossing|moves?|moved|moving|goes|carried)\b")),
)  # fmt: skip


class BorderIndex:
    """The names of U.S. states, Texas ports and Mexican states the store holds."""

    def __init__(
        self, us_states: dict[str, str], ports: dict[str, str], mex_states: Iterable[str]
    ) -> None:
        self.us_states = {_norm(n): c for c, n in us_states.items() if c != "DU"}
        self.ports = {_norm(n): c for c, n in ports.items()}
        for name, code in list(self.ports.items()):  # "hidalgo/pharr" -> "pharr"
            for part in name.split():
                if part not in ("hidalgo", "city", "rio", "del", "grande", "eagle", "pass", "el"):
                    self.ports.setdefault(part, code)  # Hidalgo alone is the Mexican state
        self.mex_states = {_norm(n): n for n in mex_states}
        self.mex_states.update({_norm(k): v for k, v in MEX_STATE_ALIASES.items()})
        # Compile the name patterns now (at start-up), not on the first question.
        tables = (self.us_states, self.ports, self.mex_states, GROUP_WORDS, PRODUCT_WORDS)
        for table in (*tables, MODE_WORDS, DEMONYMS, {p: p for p in OTHER_PORTS}):
            _alternation(tuple(table))


def parse_border(norm: str, text: str, countries: CountryIndex, index: BorderIndex) -> Query | None:
    """The Query of a question about a border dimension, or None when it names none."""
    reader = Reader(norm)
    people = CITIZENSHIP.search(norm) or _has(norm, DEMONYMS)
    # "Mexican nationals" alone is about encounters: the store has no other data on people's
    # citizenship; a demonym alone ("Chinese goods") is not.
    if (people and ENCOUNTER_WORDS.search(norm)) or CITIZENSHIP.search(norm):
        return _citizenship(reader, text, countries)
    if ENCOUNTER_WORDS.search(norm) or re.search(r"\b(seizures?|seized|population)\b", norm):
        return None
    if DUTIES.search(norm):
        return _duties(reader, text, countries)
    return _trade(reader, text, countries, index)


# --- trade by U.S. state, port, mode, commodity group, Mexican state ----------------------------


def _trade(reader: Reader, text: str, countries: CountryIndex, index: BorderIndex) -> Query | None:
    norm = reader.norm
    other_ports = _names(reader, {p: p for p in OTHER_PORTS})
    ports = _names(reader, index.ports)
    mex_states = _names(reader, index.mex_states)
    state_words = _names(reader, index.us_states, keep_word=True)
    us_states = list(dict.fromkeys(index.us_states[w] for w in state_words))
    group_words = _names(reader, GROUP_WORDS, keep_word=True)
    groups = list(dict.fromkeys(GROUP_WORDS[w] for w in group_words))
    products = _names(reader, PRODUCT_WORDS, keep_word=True)
    modes = _names(reader, MODE_WORDS)
    ports_word = bool(PORTS_WORD.search(norm))
    texas_ports = ports_word and bool(
        re.search(r"\b(texas|border|frontera)\b|" + TOP.pattern, norm)
    )
    goods = bool(groups or products or GOODS_QUESTION.search(norm))
    states_ranked = bool(US_STATES_WORD.search(norm) and TOP.search(norm))
    named = other_ports or ports or mex_states or us_states or goods or modes
    asked = named or texas_ports or states_ranked or MEX_STATES_WORD.search(norm)
    if not asked and not MODES_WORD.search(norm):
        return None
    partners, _ = _partners(reader, text, countries)
    flow = _flow(reader)
    mode = modes[0] if modes else ""
    if other_ports:
        return _refuse(reader, "other_port", other_ports[0], flow)
    if ports or texas_ports:
        reader.take(PORTS_WORD)
        reader.take(re.compile(r"\b(texas|border|frontera|mexico)\b"))
        partners = [p for p in partners if p != "MEX"]
        if partners:
            return _refuse(reader, "port_partner", _word(reader, countries, partners[0]), flow)
        return _query(reader, "port", tuple(ports), "MEX", flow, mode)
    if us_states and not partners and not US_STATES_WORD.search(norm):
        if any(s in countries.names for s in _names_in(norm, index.us_states)):
            return None  # "Georgia exports 2024": the country, read by facts.parse
        return _refuse(reader, "state_world", state_words[0], flow)
    if us_states or (states_ranked and not MEX_STATES_WORD.search(norm)):
        reader.take(US_STATES_WORD)
        partner = partners[0] if partners else "MEX"
        if partner not in BORDER_COUNTRIES:
            return _refuse(reader, "other_partner", _word(reader, countries, partner), flow)
        if len(partners) > 1:
            return _refuse(reader, "other_partner", _word(reader, countries, partners[1]), flow)
        return _query(reader, "state", tuple(us_states), partner, flow, mode)
    if goods and not (groups or products or mex_states) and partners not in ([], ["MEX"]):
        return None  # "what does the U.S. sell to Canada": total exports, read by facts.parse
    if mex_states or MEX_STATES_WORD.search(norm) or goods:
        words = group_words + products
        return _exports_to_mexico(reader, mex_states, groups, words, bool(products), partners, flow)
    if modes or MODES_WORD.search(norm):
        reader.take(MODES_WORD)
        partner = partners[0] if partners else ""
        if partner not in BORDER_COUNTRIES:
            return None  # "air travel", "sea level": not a question about border trade
        return _query(reader, "mode", tuple(modes), partner, flow, "")
    return None


def _exports_to_mexico(
    reader: Reader,
    mex_states: list[str],
    groups: list[str],
    words: list[str],
    product: bool,
    partners: list[str],
    flow: str,
) -> Query | None:
    """Mexican-state and commodity-group questions: U.S. exports to Mexico only."""
    states_word = reader.take(MEX_STATES_WORD)
    reader.take(GOODS_QUESTION)
    partner = partners[0] if partners else "MEX"
    what = (words or ["goods"])[0]
    if product:
        return None  # a single product: facts.parse refuses it, with the broader figure as context
    if flow == "imports":
        return _refuse(reader, "commodity_imports", what, flow)
    if partner != "MEX" or len(partners) > 1:
        return _refuse(reader, "commodity_partner", what, flow)
    if groups or not (mex_states or states_word):
        return _query(reader, "commodity", tuple(groups), "MEX", "exports", "")
    return _query(reader, "mexstate", tuple(mex_states), "MEX", "exports", "")


# --- duties -------------------------------------------------------------------------------------


def _duties(reader: Reader, text: str, countries: CountryIndex) -> Query:
    reader.take_all(DUTIES)
    metric = "duty_rate" if reader.take_all(RATE) else "duties"
    products = _names(reader, PRODUCT_WORDS, keep_word=True) + _names(
        reader, GROUP_WORDS, keep_word=True
    )
    if products:
        return _refuse(reader, "product_tariff", products[0], metric)
    demonyms = _names(reader, DEMONYMS)
    partners, _ = _partners(reader, text, countries)
    keys = tuple(dict.fromkeys(demonyms + partners))
    if not keys and not TOP.search(reader.norm):
        keys = ("WORLD",)
    reader.take(re.compile(r"\b(all countries|world|overall|total|customs|collected|paid|pay|"
                           r"revenue|collect|charged|on|goods|products|imports?|importaciones|"
                           r"from)\b"))  # fmt: skip
    reader.take_all(re.compile(r"\b(collected|paid|revenue|goods|products|imports?|on|from)\b"))
    return _query(reader, "duties", keys, "", metric, "")


# --- encounters by citizenship ------------------------------------------------------------------


def _citizenship(reader: Reader, text: str, countries: CountryIndex) -> Query:
    demonyms = _names(reader, DEMONYMS)
    reader.take_all(CITIZENSHIP)
    reader.take_all(ENCOUNTER_WORDS)
    series = next(s for s, pattern in SERIES_PATTERNS_RE if reader.take(pattern))
    reader.take_all(re.compile(r"\b(border|frontera|land|at|by|of|people|persons|did|were)\b"))
    partners, _ = _partners(reader, text, countries)
    keys = tuple(dict.fromkeys(demonyms + partners))
    return _query(reader, "citizenship", keys, series, "encounters", "")


# --- shared -------------------------------------------------------------------------------------


def _query(
    reader: Reader, dimension: str, keys: tuple[str, ...], partner: str, metric: str, mode: str
) -> Query:
    """The Query, with its operation, period and words; leftover words are refused by name."""
    period = _when(reader)
    op, extreme = _operation(reader, keys, period)
    top = TOP.search(reader.norm)
    reader.take_all(TOP)
    reader.take_all(BORDER_WORDS)
    query = Query(
        op,
        metric,
        (partner,) if partner else (),
        period,
        top_n=max(1, int(top.group(3))) if top and top.group(3) else 10,
        extreme=extreme,
        over=_OVER[op == Op.EXTREME],
        dimension=dimension,
        keys=keys,
        mode=mode,
    )
    if leftover := reader.unused():
        return replace(query, op=Op.REFUSE, refusal="unknown_word", not_used=tuple(leftover))
    return replace(query, words=reader.words())


def _refuse(reader: Reader, refusal: str, word: str, metric: str) -> Query:
    """A question the border data cannot serve: which word, and why (facts.ops.border says)."""
    metric = metric if metric in ("duties", "duty_rate") else "total"
    return Query(
        Op.REFUSE, metric, (), _when(reader), refusal=refusal, not_used=(word,), dimension="refuse"
    )


def _operation(
    reader: Reader, keys: tuple[str, ...], period: Period | None
) -> tuple[Op, Literal["", "max", "min"]]:
    norm = reader.norm
    low: Literal["max", "min"] = "min" if EXTREME_LOW.search(norm) else "max"
    if period and period.kind == "pair" and len(keys) == 1:
        reader.take(COMPARE)
        return Op.COMPARE_PERIODS, ""
    if len(keys) >= 2:
        if reader.take(COMPARE) or reader.take(re.compile(r"\bor\b")):
            return Op.COMPARE, ""
        reader.take_all(re.compile(r"\b(and|y|plus|combined|together|\+)\b"))
        return Op.SUM, ""
    if keys and reader.take(SHARE):
        return Op.SHARE, ""
    if keys and reader.take(EXTREME):
        reader.take(re.compile(r"\b(year|ano)\b"))
        return Op.EXTREME, low
    if keys and (reader.take(RANK_OF) or (TOP.search(norm) and keys != ("WORLD",))):
        return Op.RANK_OF, ""
    if not keys:
        return Op.RANK, ""
    if period and period.kind in ("years", "since"):
        reader.take(TREND)
        return Op.TREND, ""
    if reader.take(TREND):
        return Op.TREND, ""
    return Op.LOOKUP, ""


def _when(reader: Reader) -> Period | None:
    return read_period(reader)


def _flow(reader: Reader) -> str:
    found = [flow for flow, pattern in _FLOWS if reader.take_all(pattern)]
    if "exports" in found and "imports" in found:
        return "total"
    return next((f for f in ("exports", "imports", "balance") if f in found), "total")


def _partners(reader: Reader, text: str, countries: CountryIndex) -> tuple[list[str], bool]:
    skip = frozenset(i for i, used in enumerate(reader.used) if used)
    found = countries.find(unify(text), reader.norm, skip)
    for i in found.used:
        reader.used[i] = True
    reader.take(re.compile(r"\b(u ?s|usa|united states|eeuu|estados unidos)\b"))
    return [p for p in found.partners if p != "USA"], found.us_mentioned


def _names(reader: Reader, table: dict[str, str], keep_word: bool = False) -> list[str]:
    """Values of the names of table found in the question (longest first), marked used."""
    found: list[tuple[int, str]] = []
    for match in _alternation(tuple(table)).finditer(reader.norm):
        if any(
            used
            for (first, last, _), used in zip(reader.tokens, reader.used, strict=True)
            if first < match.end() and match.start() < last
        ):
            continue
        reader.mark(match.start(), match.end())
        name = match.group(1)
        found.append((match.start(), name if keep_word else table[name]))
    return list(dict.fromkeys(v for _, v in sorted(found)))


@lru_cache(maxsize=64)
def _alternation(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a table's names, longest first, compiled once per table."""
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w])")


def _word(reader: Reader, countries: CountryIndex, code: str) -> str:
    """The words of the question that named a partner ("china" for CHN), else the code."""
    named = [n for n, c in countries.names.items() if c == code and _names_in(reader.norm, {n: c})]
    return max(named, key=len) if named else code


def _names_in(norm: str, table: dict[str, str]) -> list[str]:
    padded = f" {norm} "
    return [n for n in table if f" {n} " in padded]


def _has(norm: str, table: dict[str, str]) -> bool:
    return _alternation(tuple(table)).search(norm) is not None


def _norm(name: str) -> str:
    return normalise(name)
