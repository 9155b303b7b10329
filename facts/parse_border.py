"""Understand questions about border trade, duties and encounters by citizenship.

A BorderQuery names the new dimension a question is about (a U.S. state, a Texas port, a
transport mode, a commodity group, a Mexican state, duties, citizenship), the keys it named, the
operation and the period, plus the words that named the dimension. Questions that name none of
these return None and go to the partner-trade parser unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from facts.border_words import (
    CITIZENSHIP,
    DEMONYMS,
    DUTIES,
    ENCOUNTER_WORDS,
    EXTREME,
    FISCAL_YEAR,
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
from facts.model import Period
from facts.parse import MAX_QUESTION, CountryIndex, _period, normalise
from facts.patterns import (
    COMPARE,
    METRIC_PATTERNS,
    SERIES_PATTERNS,
    SHARE,
    SQL_LIKE,
    TOP,
    TREND,
)

BORDER_COUNTRIES = ("MEX", "CAN")


@dataclass(frozen=True)
class BorderQuery:
    """A question about one of the border dimensions, understood."""

    dimension: str  # state | port | mode | commodity | mexstate | duties | citizenship | refuse
    op: str = "lookup"  # lookup | compare | sum | rank | share | trend | extreme | compare_years
    keys: tuple[str, ...] = ()  # state codes, port codes, mode ids, group or state names, ISO3
    partner: str = ""  # MEX or CAN for trade; ISO3 or WORLD for duties; a series for citizenship
    flow: str = "total"  # exports | imports | total | balance; duties | rate for duties
    mode: str = ""  # a mode that narrows a U.S.-state or port question
    period: Period | None = None
    top_n: int = 10
    words: tuple[str, ...] = ()  # the words that named the dimension and its keys
    refusal: str = ""  # why the store cannot answer (dimension "refuse")
    detail: str = ""  # what the refusal is about: the word asked for, the nearest group


class BorderIndex:
    """The names of U.S. states, Texas ports and Mexican states the store holds."""

    def __init__(
        self,
        us_states: dict[str, str],
        ports: dict[str, str],
        mex_states: Iterable[str],
        countries: CountryIndex,
    ) -> None:
        self.us_states = {normalise(n): c for c, n in us_states.items() if c != "DU"}
        self.ports = {normalise(n): c for c, n in ports.items()}
        for name, code in list(self.ports.items()):  # "hidalgo/pharr" -> "hidalgo pharr"
            for part in name.split():
                if part not in ("hidalgo", "city"):  # Hidalgo alone is the Mexican state
                    self.ports.setdefault(part, code)
        self.mex_states = {normalise(n): n for n in mex_states}
        self.mex_states.update({normalise(k): v for k, v in MEX_STATE_ALIASES.items()})
        self.countries = countries


def parse_border(text: str, index: BorderIndex) -> BorderQuery | None:
    """The BorderQuery a question asks, or None when it names no border dimension."""
    if len(text) > MAX_QUESTION or SQL_LIKE.search(text):
        return None
    norm = normalise(text)
    if (found := _citizenship(norm, index)) is not None:
        return found
    if DUTIES.search(norm):
        return _duties(norm, index)
    return _trade(norm, index)


# --- trade by state, port, mode, commodity group, Mexican state -------------------------------


def _trade(norm: str, index: BorderIndex) -> BorderQuery | None:
    if ENCOUNTER_WORDS.search(norm) or re.search(r"\b(seizures?|population)\b", norm):
        return None
    rest, other_ports = _take(norm, {p: p for p in OTHER_PORTS})
    rest, ports = _take(rest, index.ports)
    rest, mex_states = _take(rest, index.mex_states)
    rest, us_states = _take(rest, index.us_states)
    rest, groups = _take(rest, GROUP_WORDS)
    rest, products = _take(rest, PRODUCT_WORDS)
    rest, modes = _take(rest, MODE_WORDS)
    period = _when(norm)
    found = index.countries.find(rest, rest)
    partners = [p for p in found.partners if p != "USA"]
    flow = _flow(rest)
    words = tuple(w for w, _ in other_ports + ports + mex_states + us_states + groups + modes)
    base = BorderQuery("refuse", period=period, top_n=_top_n(norm), flow=flow, words=words)
    texas_ports = PORTS_WORD.search(norm) and (
        "texas" in norm.split() or TOP.search(norm) or "border" in norm.split()
    )
    if other_ports and (PORTS_WORD.search(norm) or not (us_states or mex_states)):
        return replace(base, refusal="other_port", detail=other_ports[0][0])
    if ports or texas_ports:
        mode = modes[0][1] if modes else ""
        keys = _keys(ports)
        return replace(
            base, dimension="port", op=_op(norm, keys, period), keys=keys, partner="MEX", mode=mode
        )
    if us_states and (partners or US_STATES_WORD.search(rest) or _place_words(norm)):
        partner = partners[0] if partners else "MEX"
        if partner not in BORDER_COUNTRIES:
            return replace(base, refusal="other_partner", detail=partner)
        mode = modes[0][1] if modes else ""
        keys = _keys(us_states)
        op = _op(norm, keys, period)
        return replace(base, dimension="state", op=op, keys=keys, partner=partner, mode=mode)
    if (
        not us_states
        and US_STATES_WORD.search(norm)
        and TOP.search(norm)
        and not MEX_STATES_WORD.search(norm)
    ):
        partner = partners[0] if partners else "MEX"
        if partner not in BORDER_COUNTRIES:
            return replace(base, refusal="other_partner", detail=partner)
        return replace(base, dimension="state", op="rank", partner=partner)
    goods = bool(groups or products or GOODS_QUESTION.search(norm))
    if mex_states or MEX_STATES_WORD.search(norm) or goods:
        return _exports_to_mexico(norm, mex_states, groups, products, partners, base)
    if modes or MODES_WORD.search(norm):
        partner = partners[0] if partners else ""
        if partner not in BORDER_COUNTRIES:
            return None  # "air travel", "sea level": not a question about border trade
        keys = _keys(modes)
        return replace(
            base, dimension="mode", op=_op(norm, keys, period), keys=keys, partner=partner
        )
    return None


def _exports_to_mexico(
    norm: str,
    mex_states: list[tuple[str, str]],
    groups: list[tuple[str, str]],
    products: list[tuple[str, str]],
    partners: list[str],
    base: BorderQuery,
) -> BorderQuery:
    """Mexican-state and commodity-group questions: U.S. exports to Mexico only."""
    partner = partners[0] if partners else "MEX"
    what = (groups or products or [("goods", "")])[0][0]
    if products and not groups:
        return replace(base, refusal="product", detail=products[0][0])
    if base.flow == "imports":
        return replace(base, refusal="commodity_imports", detail=what)
    if partner != "MEX":
        return replace(base, refusal="commodity_canada", detail=what)
    base = replace(base, flow="exports", partner="MEX")
    if groups:
        keys = _keys(groups)
        return replace(base, dimension="commodity", op=_op(norm, keys, base.period), keys=keys)
    if mex_states:
        keys = _keys(mex_states)
        return replace(base, dimension="mexstate", op=_op(norm, keys, base.period), keys=keys)
    if MEX_STATES_WORD.search(norm):
        return replace(base, dimension="mexstate", op="rank")
    return replace(base, dimension="commodity", op="rank")


# --- duties -----------------------------------------------------------------------------------


def _duties(norm: str, index: BorderIndex) -> BorderQuery:
    rest, products = _take(norm, PRODUCT_WORDS)
    rest, groups = _take(rest, GROUP_WORDS)
    rest, demonyms = _take(rest, DEMONYMS)
    period = _when(norm)
    flow = "rate" if RATE.search(norm) else "duties"
    words = tuple(w for w, _ in demonyms)
    if products or groups:
        detail = (products or groups)[0][0]
        return BorderQuery(
            "refuse", refusal="product_tariff", detail=detail, period=period, flow=flow
        )
    found = index.countries.find(rest, rest)
    keys = tuple(dict.fromkeys([c for _, c in demonyms] + found.partners))
    keys = tuple(k for k in keys if k != "USA")
    if not keys and TOP.search(norm) and not re.search(r"\b(total|all)\b", norm):
        return BorderQuery("duties", "rank", (), "", flow, period=period, top_n=_top_n(norm))
    keys = keys or ("WORLD",)
    op = _op(norm, keys, period)
    if op == "rank" and keys != ("WORLD",):
        op = "rank_of"
    return BorderQuery(
        "duties", op, keys, keys[0], flow, period=period, top_n=_top_n(norm), words=words
    )


# --- encounters by citizenship ----------------------------------------------------------------


def _citizenship(norm: str, index: BorderIndex) -> BorderQuery | None:
    rest, demonyms = _take(norm, DEMONYMS)
    asks_people = bool(CITIZENSHIP.search(norm)) or bool(demonyms)
    if not asks_people or not ENCOUNTER_WORDS.search(norm) and not CITIZENSHIP.search(norm):
        return None
    if not ENCOUNTER_WORDS.search(norm) and not re.search(r"\b(border|frontera)\b", norm):
        return None
    found = index.countries.find(rest, rest)
    keys = tuple(dict.fromkeys([c for _, c in demonyms] + found.partners))
    series = next(
        s for s, pattern in SERIES_PATTERNS + (("nationwide", r""),) if re.search(pattern, norm)
    )
    period = _when(norm)
    op = _op(norm, keys, period)
    if not keys:
        op = "rank"
    words = tuple(w for w, _ in demonyms)
    return BorderQuery(
        "citizenship",
        op,
        keys,
        series,
        "encounters",
        period=period,
        top_n=_top_n(norm),
        words=words,
    )


# --- shared helpers ---------------------------------------------------------------------------


def _take(norm: str, names: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Whole-phrase matches of names in norm, longest first; the text without them."""
    found: list[tuple[int, str, str]] = []
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
        for match in pattern.finditer(norm):
            found.append((match.start(), name, names[name]))
        norm = pattern.sub(" ", norm)
    return " ".join(norm.split()), [(n, v) for _, n, v in sorted(found)]


def _keys(matches: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for _, v in matches))


def _place_words(norm: str) -> bool:
    return bool(re.search(r"\b(to|from|with|a|con|de|desde|hacia)\b", norm))


def _flow(norm: str) -> str:
    exports = re.search(r"\b(export|exportaciones|sells?|sold|ship(s|ped)? to)", norm)
    imports = re.search(r"\b(import|importaciones|buys? from|bought from)", norm)
    if exports and imports:
        return "total"
    if exports or imports:
        return "exports" if exports else "imports"
    for metric, pattern in METRIC_PATTERNS:
        if metric in ("exports", "imports", "balance") and re.search(pattern, norm):
            return metric
    return "total"


def _when(norm: str) -> Period | None:
    if match := FISCAL_YEAR.search(norm):
        year = int(match.group(1))
        year = year + 2000 if year < 100 else year
        return Period("months", (year - 1, 10), (year, 9))
    return _period(norm)


def _op(norm: str, keys: tuple[str, ...], period: Period | None) -> str:
    if period and period.kind == "pair":
        return "compare_years"
    if len(keys) >= 2:
        return "compare" if COMPARE.search(norm) or " or " in f" {norm} " else "sum"
    if SHARE.search(norm) and keys:
        return "share"
    if keys and EXTREME.search(norm):
        return "extreme"
    if not keys or TOP.search(norm):
        return "rank"
    if period and period.kind in ("years", "since"):
        return "trend"
    if TREND.search(norm):
        return "trend"
    return "lookup"


def _top_n(norm: str) -> int:
    match = TOP.search(norm)
    if match and match.group(3):
        return max(1, min(int(match.group(3)), 50))
    return 10
