"""The operations over a border dimension: U.S. states, Texas ports, transport modes, commodity
groups and Mexican states (BTS TransBorder), calculated duties, and encounters by citizenship.

One function per operation, as in facts.ops; `BORDER_ANSWER` is their table. Every answer says
its basis: TransBorder's first-release values, the surface-mode coverage of the Mexican-state
and commodity tables, duties on imports for consumption, and the caveats a figure touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from facts.context import Context
from facts.figures import figure
from facts.model import Answer, AnswerKind, Derived, Fact, NoData, Op, Period, Query
from facts.numbers import amount, pct2
from facts.ops.common import sources
from facts.periods import Span, index, month_words, resolve, shift, years_in
from facts.store_border import MODE_LABELS, RATE_BASIS
from facts.words import HUNDRED, SERIES_WORDS, figure_period_words

BTS_CUTS = ("state", "port", "mode", "commodity", "mexstate")
_FLOW = {
    "exports": "U.S. exports to {}",
    "imports": "U.S. imports from {}",
    "total": "U.S. trade with {}",
    "balance": "U.S. trade balance with {}",
}
_WHAT = {
    "state": "U.S. states",
    "port": "Texas ports on the Mexican border",
    "mode": "transport modes",
    "commodity": "commodity groups (HS sections)",
    "mexstate": "Mexican states of destination",
    "duties": "countries by calculated duties",
    "citizenship": "citizenships",
}
EL_PASO, YSLETA = "2402", "2401"
MONTHLY_UP_TO = 24
RATE_WORDS = "effective tariff rate, % (calculated duties ÷ imports for consumption)"


# --- what a question's figures are --------------------------------------------------------------


def _span(ctx: Context, query: Query, period: Period | None = None) -> Span:
    """The one span a question asks for, within its data (annual data: whole years only)."""
    period = period if period is not None else query.period
    if period is not None and period.kind == "pair":
        raise NoData(
            "Two years are compared for one subject at a time, e.g. 'laredo trade 2020 vs 2024'.",
            _examples(query),
        )
    first, last, what = _coverage(ctx, query)
    if query.dimension in BTS_CUTS and (period is None or period.kind == "latest"):
        period = Period("latest", None, (0, 0))
    span = resolve(period, first, last, what)
    if query.dimension in BTS_CUTS and not span.whole_year and not _monthly(query):
        raise NoData(
            f"{_WHAT[query.dimension].capitalize()} are in TransBorder by calendar year only;"
            " monthly figures are by transport mode.",
            _examples(query),
        )
    return span


def _monthly(query: Query) -> bool:
    return query.dimension == "mode"


def _coverage(ctx: Context, query: Query) -> tuple[tuple[int, int], tuple[int, int], str]:
    border = ctx.store.border
    if query.dimension == "duties":
        first, last = border.duty_months
        return first, last, "Census duty data"
    if query.dimension == "citizenship":
        first, last = ctx.store.coverage.encounter_months[query.partners[0]]
        return first, last, f"Data on {SERIES_WORDS[query.partners[0]]} by citizenship"
    if query.dimension == "mode" and query.period and query.period.kind not in ("year", "years"):
        first, last = border.mode_months
        return first, last, "TransBorder monthly trade by mode"
    years = border.years[query.dimension]
    return (years[0], 1), (years[1], 12), f"TransBorder {_WHAT[query.dimension]}"


def _every(ctx: Context, query: Query, span: Span) -> list[Fact]:
    """Every key of the dimension over a span, largest first, with short labels."""
    return [replace(f, period=span.key) for f in _every_key(ctx, query, span)]


def _every_key(ctx: Context, query: Query, span: Span) -> list[Fact]:
    border = ctx.store.border
    if query.dimension == "duties":
        facts = border.duties_ranking(span.start, span.end)
        if not facts or _months_in(ctx, span) != span.months:
            raise NoData(f"Census duty data are missing for part of {_words(span)}.")
        return facts
    if query.dimension == "citizenship":
        facts = border.citizenship(query.partners[0], span.start, span.end)
        if not facts:
            raise NoData(f"Encounter data by citizenship are missing for part of {_words(span)}.")
        return facts
    partner, flow = query.partners[0], query.metric
    if span.whole_year:
        return border.cut_year(query.dimension, partner, flow, span.start[0], query.mode)
    facts = []
    for mode in MODE_LABELS:
        total = _mode_months(ctx, query, mode, span)
        if total is not None:
            facts.append(total)
    return sorted(facts, key=lambda f: (-f.value, f.dimension))


def _mode_months(ctx: Context, query: Query, mode: str, span: Span) -> Fact | None:
    border, partner, flow = ctx.store.border, query.partners[0], query.metric
    months = [
        border.mode_month(partner, flow, *shift(span.start, i), mode) for i in range(span.months)
    ]
    found = [m for m in months if m is not None]
    if not found:
        return None
    total = sum((m.value for m in found), Decimal(0))
    return Fact(flow, partner, span.key, total, "USD", found[0].source_id, MODE_LABELS[mode],
                basis=found[0].basis, dimension=f"mode:{mode}")  # fmt: skip


def _months_in(ctx: Context, span: Span) -> int:
    first, last = ctx.store.border.duty_months
    return index(min(span.end, last)) - index(max(span.start, first)) + 1


def _one(ctx: Context, query: Query, key: str, span: Span) -> Fact:
    """The figure of one key over a span, labelled in full, with the caveats it touches."""
    if query.dimension == "duties":
        found = ctx.store.border.duties(key, span.start, span.end)
        if found is None:
            raise NoData(
                f"Census duty data have no figure for {_label(ctx, key)} for every month of"
                f" {_words(span)}."
            )
        duties, _ = found
        basis = RATE_BASIS if query.metric == "duty_rate" else duties.basis
        return Fact(duties.metric, key, span.key, duties.value, "USD", duties.source_id,
                    f"Calculated duties on imports from {duties.label}", span.note,
                    basis)  # fmt: skip
    facts = {_key(f): f for f in _every(ctx, query, span)}
    if key not in facts:
        raise NoData(_missing(ctx, query, key, span), _examples(query))
    fact = facts[key]
    return Fact(fact.metric, fact.partner, span.key, fact.value, fact.unit, fact.source_id,
                _long_label(ctx, query, key, fact.label), _note(query, key, span) or span.note,
                fact.basis, fact.dimension)  # fmt: skip


def _whole(ctx: Context, query: Query, span: Span) -> Fact:
    """What a share is a share of: all partners' duties, the whole series, all modes' trade."""
    if query.dimension == "duties":
        return _one(ctx, query, "WORLD", span)
    if query.dimension == "citizenship":
        series = query.partners[0]
        total = figure(ctx.store, "encounters", series, span)
        return Fact(total.metric, series, total.period, total.value, total.unit, total.source_id,
                    SERIES_WORDS[series])  # fmt: skip
    cut = "mode" if query.dimension in ("port", "state", "mode") else "mexstate"
    if span.whole_year:
        whole = ctx.store.border.cut_total(cut, query.partners[0], query.metric, span.start[0])
    else:
        whole = _mode_months(ctx, query, "", span)
    if whole is None:
        raise NoData(f"No TransBorder total for {_words(span)}.")
    label = _FLOW[query.metric].format(_label(ctx, query.partners[0]))
    if cut == "mexstate":
        label += " by surface modes with a recorded Mexican state"
    return Fact(whole.metric, whole.partner, span.key, whole.value, "USD", whole.source_id,
                label, basis=whole.basis, dimension=f"{cut}:*")  # fmt: skip


# --- the operations ---------------------------------------------------------------------------


def lookup(query: Query, ctx: Context) -> Answer:
    """One key's figure, its change on a year earlier, and what the figure covers."""
    key = query.keys[0]
    span = _span(ctx, query)
    fact = _one(ctx, query, key, span)
    derived = _change(ctx, query, key, span, fact) + _extras(ctx, query, key, span, fact)
    facts = (fact, *_companions(ctx, query, key, span))
    return _answer(ctx, "lookup", query, facts, derived, _headline(query, fact, derived))


def compare(query: Query, ctx: Context) -> Answer:
    """Two or more keys in one period: the figures, their ratio and difference."""
    span = _span(ctx, query)
    facts = tuple(_one(ctx, query, k, span) for k in query.keys)
    first, second = facts[0], facts[1]
    derived = []
    if second.value:
        derived.append(Derived("ratio", first.value / second.value,
                               f"{_short(first)} ÷ {_short(second)}", "x"))  # fmt: skip
    derived.append(Derived("difference", first.value - second.value,
                           f"{_short(first)} − {_short(second)}", first.unit))  # fmt: skip
    title = (
        f"{first.label}, {figure_period_words(first.period)}: {amount(first.value, first.unit)}"
        f" vs {_short(second)} {amount(second.value, second.unit)}"
    )
    return _answer(ctx, "compare", query, facts, derived + _rates(ctx, query, facts, span), title)


def total(query: Query, ctx: Context) -> Answer:
    """Keys added up (the parts of one table, so nothing counts twice)."""
    span = _span(ctx, query)
    facts = tuple(_one(ctx, query, k, span) for k in query.keys)
    summed = sum((f.value for f in facts), Decimal(0))
    names = " + ".join(_short(f) for f in facts)
    derived = [Derived("sum", summed, names, facts[0].unit)]
    title = f"{names}, {figure_period_words(facts[0].period)}: {amount(summed, facts[0].unit)}"
    return _answer(ctx, "sum", query, facts, derived, title)


def share(query: Query, ctx: Context) -> Answer:
    """One key's part of the whole it belongs to, on the same basis."""
    span = _span(ctx, query)
    fact = _one(ctx, query, query.keys[0], span)
    whole = _whole(ctx, query, span)
    pct = fact.value / whole.value * HUNDRED if whole.value else Decimal(0)
    derived = [Derived("share_pct", pct, f"{_short(fact)}'s share of {whole.label}", "%")]
    derived += _extras(ctx, query, query.keys[0], span, fact)
    title = (
        f"{_short(fact)}: {amount(pct, '%')} of {whole.label},"
        f" {figure_period_words(fact.period)} ({amount(fact.value, fact.unit)} of"
        f" {amount(whole.value, whole.unit)})"
    )
    return _answer(ctx, "share", query, (fact, whole), derived, title)


def rank(query: Query, ctx: Context) -> Answer:
    """The top N keys of the dimension, and their share of all."""
    span = _span(ctx, query)
    ordered = _every(ctx, query, span)
    if not ordered:
        raise NoData(f"No figures for {_WHAT[query.dimension]} in {_words(span)}.")
    top = tuple(ordered[: query.top_n])
    everyone = sum((f.value for f in ordered), Decimal(0))
    derived = []
    if everyone:
        part = sum((f.value for f in top), Decimal(0)) / everyone * HUNDRED
        derived.append(Derived("share_pct", part, f"top {len(top)} share of all listed", "%"))
    derived += _extras(ctx, query, "", span, top[0])
    title = f"Top {len(top)} {_ranked_words(ctx, query)}, {figure_period_words(top[0].period)}"
    if query.dimension == "port":
        title = f"Texas ports on the Mexican border by {_FLOW[query.metric].format('Mexico')}"
        title += f", {figure_period_words(top[0].period)}"
    return _answer(ctx, "rank", query, top, derived, title)


def rank_of(query: Query, ctx: Context) -> Answer:
    """Where one key ranks within its dimension."""
    span = _span(ctx, query)
    ordered = _every(ctx, query, span)
    positions = {_key(f): i for i, f in enumerate(ordered, 1)}
    key = query.keys[0]
    if key not in positions:
        raise NoData(_missing(ctx, query, key, span), _examples(query))
    position = positions[key]
    fact = ordered[position - 1]
    among = f"among {len(ordered)} {_ranked_words(ctx, query)}, {fact.period}"
    derived = [Derived("rank", Decimal(position), among)]
    title = f"{_short(fact)} is #{position} among {_ranked_words(ctx, query)}, {fact.period}"
    return _answer(
        ctx, "rank", query, (fact,), derived, f"{title} ({amount(fact.value, fact.unit)})"
    )


def trend(query: Query, ctx: Context) -> Answer:
    """One key each year (or month, for up to two years), with its growth."""
    key = query.keys[0]
    facts = []
    for span in _spans(ctx, query):
        try:
            facts.append(_one(ctx, query, key, span))
        except NoData:
            continue
    if len(facts) < 2:
        raise NoData("Fewer than two periods of data for that.", _examples(query))
    derived = []
    first, last = facts[0], facts[-1]
    if first.value and not last.note:
        change = (last.value - first.value) / abs(first.value) * HUNDRED
        derived.append(Derived("change_pct", change, f"{first.period} to {last.period}", "%"))
    title = (
        f"{first.label}, {figure_period_words(first.period)} to {figure_period_words(last.period)}"
    )
    when = f"{figure_period_words(first.period)} to {figure_period_words(last.period)}"
    return _answer(ctx, "trend", query, tuple(facts), derived, title, when)


def extreme(query: Query, ctx: Context) -> Answer:
    """The highest or lowest year (or month) of one key."""
    key = query.keys[0]
    spans = _spans(ctx, query, every=True)
    facts = []
    for span in spans:
        try:
            facts.append(_one(ctx, query, key, span))
        except NoData:
            continue
    whole = [f for f in facts if not f.note]
    if not whole:
        raise NoData("No complete periods of data for that.", _examples(query))
    pick = min if query.extreme == "min" else max
    best = pick(whole, key=lambda f: (f.value, f.period))
    word = "lowest" if query.extreme == "min" else "highest"
    title = (
        f"{best.label}: {word} in {figure_period_words(best.period)},"
        f" {amount(best.value, best.unit)} (of {len(whole)} periods,"
        f" {figure_period_words(whole[0].period)} to {figure_period_words(whole[-1].period)})"
    )
    return _answer(ctx, "extreme", query, (best,), [], title)


def compare_periods(query: Query, ctx: Context) -> Answer:
    """One key in two years: both figures, the difference and the change."""
    assert query.period and query.period.start and query.period.end
    key = query.keys[0]
    years = (query.period.start[0], query.period.end[0])
    spans = [_span(ctx, query, Period("year", (y, 1))) for y in years]
    if any(s.partial for s in spans):
        raise NoData("One of those years is not complete in the data.", _examples(query))
    facts = tuple(_one(ctx, query, key, s) for s in spans)
    first, second = facts
    derived = [Derived("difference", second.value - first.value, f"{years[1]} − {years[0]}",
                       first.unit)]  # fmt: skip
    if first.value:
        derived.append(Derived("change_pct", (second.value - first.value) / abs(first.value)
                               * HUNDRED, f"from {years[0]} to {years[1]}", "%"))  # fmt: skip
    rates = _rates(ctx, query, facts, None)
    title = (
        f"{first.label}: {amount(first.value, first.unit)} in {years[0]} vs"
        f" {amount(second.value, second.unit)} in {years[1]}"
    )
    if query.metric == "duty_rate" and len(rates) == 2:
        title = (
            f"Effective tariff rate on imports from {_label(ctx, key)}:"
            f" {pct2(rates[0].value)} in {years[0]} vs {pct2(rates[1].value)} in {years[1]}"
        )
    return _answer(
        ctx, "compare", query, facts, derived + rates, title, f"{years[0]} vs {years[1]}"
    )


def refuse(query: Query, ctx: Context) -> Answer:
    """What the border data cannot serve, and what the store has instead; never a figure."""
    word = query.not_used[0] if query.not_used else ""
    words = ", ".join(f"“{w}”" for w in query.not_used)
    reason = _REFUSALS.get(query.refusal, _UNKNOWN_WORD).format(w=word, words=words)
    raise NoData(reason, _REFUSAL_EXAMPLES.get(query.refusal, _examples(query)))


BORDER_ANSWER: dict[Op, Callable[[Query, Context], Answer]] = {
    Op.LOOKUP: lookup,
    Op.COMPARE: compare,
    Op.COMPARE_PERIODS: compare_periods,
    Op.SUM: total,
    Op.SHARE: share,
    Op.RANK: rank,
    Op.RANK_OF: rank_of,
    Op.TREND: trend,
    Op.EXTREME: extreme,
    Op.REFUSE: refuse,
}

_REFUSALS = {
    "other_partner": "TransBorder has U.S. states' trade with Mexico and Canada only, not with"
    " “{w}”. The store has each state's exports to and imports from Mexico and Canada, by mode.",
    "state_world": "TransBorder has U.S. states' trade with Mexico and Canada only, not the trade"
    " of “{w}” with every country. Ask for its trade with Mexico or Canada.",
    "other_port": "The store has the 12 Texas ports on the Mexican border (Laredo, Ysleta,"
    " Hidalgo/Pharr, El Paso, Eagle Pass, Brownsville, Del Rio, Progreso, Rio Grande City, Roma,"
    " Presidio, Fabens), not “{w}”.",
    "port_partner": "The Texas port figures are U.S.–Mexico trade only, not trade with “{w}”.",
    "product": "The store has no single products such as “{w}”: U.S. exports to Mexico are in 22"
    " commodity groups (HS sections), by surface modes with a recorded Mexican state only.",
    "product_tariff": "The store has calculated duties by country and month, not by product"
    " (“{w}”): no product-level tariff rates.",
    "commodity_imports": "Commodity groups (“{w}”) are in the store for U.S. exports to Mexico"
    " only, not for imports. The store has imports by partner, U.S. state, port and mode.",
    "commodity_partner": "Commodity groups (“{w}”) are in the store for U.S. exports to Mexico"
    " only, not for Canada or other partners.",
}
_UNKNOWN_WORD = (
    "I can't use {words} in that question, and I won't answer a broader question in its place."
)
_REFUSAL_EXAMPLES = {
    "other_partner": ("texas exports to mexico 2024", "michigan imports from canada 2024"),
    "state_world": ("texas exports to mexico 2024", "texas exports to canada 2024"),
    "other_port": ("top texas border ports 2024", "laredo trade 2024"),
    "port_partner": ("laredo trade 2024", "top texas border ports 2024"),
    "product": ("what does the u.s. sell to mexico 2024", "machinery exports to mexico 2024"),
    "product_tariff": ("tariffs on chinese imports 2025", "effective tariff rate on mexico 2025"),
    "commodity_imports": ("machinery exports to mexico 2024", "mexico imports 2024"),
    "commodity_partner": ("machinery exports to mexico 2024", "canada exports 2024"),
}


# --- words and notes ----------------------------------------------------------------------------


def _answer(
    ctx: Context,
    kind: AnswerKind,
    query: Query,
    facts: tuple[Fact, ...],
    derived: list[Derived],
    title: str,
    period: str = "",
) -> Answer:
    return Answer(
        kind=kind,
        understood=_understood(ctx, query, period or (facts[0].period if facts else "")),
        facts=facts,
        derived=tuple(derived),
        sources=sources(ctx, [f.source_id for f in facts]),
        headline=title,
    )


def refused_words(ctx: Context, query: Query) -> str:
    """What was understood of a question the border data cannot serve (for "no data")."""
    words = ", ".join(f"“{w}”" for w in query.not_used)
    if query.op != Op.REFUSE:  # understood, but the store lacks the figure
        return _understood(ctx, query, "").rsplit(", the latest period in the data", 1)[0]
    if query.refusal == "unknown_word":
        return f"{_understood(ctx, query, '')} — with {words}, which I can't use"
    return f"a question with {words}, which the border data in the store cannot serve"


def _understood(ctx: Context, query: Query, period: str) -> str:
    when = figure_period_words(period) if period else "the latest period in the data"
    keys = " and ".join(_key_name(ctx, query, k) for k in query.keys)
    if query.dimension == "duties":
        what = "effective tariff rate (calculated duties ÷ imports for consumption)"
        if query.metric == "duties":
            what = "calculated duties (tariffs) collected"
        subject = f"{what} on imports from {keys or 'each country'}"
    elif query.dimension == "citizenship":
        subject = f"{SERIES_WORDS[query.partners[0]]}, citizens of {keys or 'each country'}"
    else:
        flow = _FLOW[query.metric].format(_label(ctx, query.partners[0]))
        subject = f"{flow} by {query.dimension.replace('mexstate', 'Mexican state')}"
        if keys:
            subject += f": {keys}"
        if query.mode:
            subject += f", by {MODE_LABELS[query.mode]}"
    doing = {
        Op.RANK: f"{subject}, ranked",
        Op.RANK_OF: f"{subject}, its rank",
        Op.COMPARE: f"{subject}, compared",
        Op.COMPARE_PERIODS: f"{subject}, one year against another",
        Op.SUM: f"{subject}, added up",
        Op.SHARE: f"{subject}, as a share of the whole",
        Op.TREND: f"{subject}, over time",
        Op.EXTREME: f"{subject}, its {'lowest' if query.extreme == 'min' else 'highest'} year",
    }.get(query.op, subject)
    return f"{doing}, {when}"


def _headline(query: Query, fact: Fact, derived: list[Derived]) -> str:
    when = figure_period_words(fact.period)
    note = f" ({fact.note})" if fact.note and query.dimension in ("duties", "citizenship") else ""
    rate = [d for d in derived if d.name == "duty_rate_pct"]
    if query.metric == "duty_rate" and rate:
        partner = fact.label.rsplit(" from ", 1)[-1]
        return (
            f"Effective tariff rate on imports from {partner}, {when}{note}: {pct2(rate[0].value)}"
        )
    return f"{fact.label}, {when}{note}: {amount(fact.value, fact.unit)}"


def _change(ctx: Context, query: Query, key: str, span: Span, fact: Fact) -> list[Derived]:
    try:
        earlier = _span(ctx, query, _period_of(span.year_earlier()))
        before = _one(ctx, query, key, earlier)
    except NoData:
        return []
    if not before.value:
        return []
    words = figure_period_words(before.period)
    return [
        Derived("previous", before.value, f"a year earlier, {words}", before.unit),
        Derived("change_pct", (fact.value - before.value) / abs(before.value) * HUNDRED,
                f"vs {words}", "%"),
    ]  # fmt: skip


def _period_of(span: Span) -> Period:
    if span.whole_year:
        return Period("year", span.start)
    if span.start == span.end:
        return Period("month", span.start)
    return Period("months", span.start, span.end)


def _extras(ctx: Context, query: Query, key: str, span: Span | None, fact: Fact) -> list[Derived]:
    """What a figure needs beside it: the effective rate, the share of exports covered."""
    out: list[Derived] = []
    if query.dimension == "duties" and span is not None and key:
        found = ctx.store.border.duties(key, span.start, span.end)
        if found is not None and found[1].value:
            duties, imports = found
            out.append(Derived("duty_rate_pct", duties.value / imports.value * HUNDRED,
                               RATE_WORDS, ""))  # fmt: skip
    if query.dimension in ("commodity", "mexstate") and span is not None:
        out += _coverage_share(ctx, span)
    return out


def _coverage_share(ctx: Context, span: Span) -> list[Derived]:
    """The share of all U.S. exports to Mexico the surface-mode tables cover that year."""
    border = ctx.store.border
    covered = border.cut_total("mexstate", "MEX", "exports", span.start[0])
    every = border.cut_total("mode", "MEX", "exports", span.start[0])
    if covered is None or every is None or not every.value:
        return []
    pct = covered.value / every.value * HUNDRED
    return [
        Derived("covered_pct", pct, f"of all U.S. exports to Mexico in {span.start[0]} are in"
                f" these tables ({amount(covered.value, 'USD')} of {amount(every.value, 'USD')};"
                " air, vessel and exports without a recorded Mexican state are not)", "%"),
    ]  # fmt: skip


def _rates(ctx: Context, query: Query, facts: tuple[Fact, ...], span: Span | None) -> list[Derived]:
    if query.dimension != "duties":
        return []
    out = []
    for fact in facts:
        start, end = _bounds(fact.period)
        found = ctx.store.border.duties(fact.partner, start, end)
        if found is not None and found[1].value:
            out.append(Derived("duty_rate_pct", found[0].value / found[1].value * HUNDRED,
                               f"{RATE_WORDS}, {_short(fact)}, {figure_period_words(fact.period)}",
                               ""))  # fmt: skip
    return out


def _bounds(period: str) -> tuple[tuple[int, int], tuple[int, int]]:
    if ".." in period:
        first, last = period.split("..")
        return (int(first[:4]), int(first[5:7])), (int(last[:4]), int(last[5:7]))
    if len(period) == 7:
        month = (int(period[:4]), int(period[5:7]))
        return month, month
    return (int(period), 1), (int(period), 12)


def _companions(ctx: Context, query: Query, key: str, span: Span) -> tuple[Fact, ...]:
    """The figures a lookup is read with: duties with the imports they were charged on."""
    if query.dimension != "duties":
        return ()
    found = ctx.store.border.duties(key, span.start, span.end)
    if found is None:
        return ()
    imports = found[1]
    return (Fact(imports.metric, key, span.key, imports.value, "USD", imports.source_id,
                 f"Imports for consumption from {imports.label}", span.note,
                 imports.basis),)  # fmt: skip


def _note(query: Query, key: str, span: Span) -> str:
    """The caveats a TransBorder figure touches (air and vessel, Oct 2020, El Paso/Ysleta)."""
    if query.dimension not in BTS_CUTS:
        return ""
    notes = []
    year = span.start[0]
    if year <= 2003:
        notes.append("air and vessel enter TransBorder only from November 2003")
    if query.dimension == "mode" and span.start <= (2020, 10) <= span.end and not span.whole_year:
        notes.append("October 2020 was derived by the source's processor (year minus 11 months)")
    if query.dimension == "port" and key == EL_PASO and year <= 2020:
        notes.append("El Paso includes Ysleta before March 2020")
    if query.dimension == "port" and key == YSLETA and year <= 2020:
        notes.append("Ysleta is reported apart from El Paso only from March 2020")
    return "; ".join(notes)


def _long_label(ctx: Context, query: Query, key: str, short: str) -> str:
    if query.dimension == "citizenship":
        return f"{SERIES_WORDS[query.partners[0]]}, citizens of {short}"
    flow = _FLOW[query.metric].format(_label(ctx, query.partners[0]))
    if query.dimension == "state":
        words = {"exports": "exports to", "imports": "imports from", "total": "trade with",
                 "balance": "trade balance with"}[query.metric]  # fmt: skip
        label = f"{short} {words} {_label(ctx, query.partners[0])}"
    elif query.dimension == "port":
        label = f"{short} port: {flow}"
    elif query.dimension == "mode":
        label = f"{flow} by {short}"
    elif query.dimension == "commodity":
        label = f"{short}: {flow}"
    else:
        label = f"U.S. exports to {short} (Mexican state)"
    if query.mode:
        label += f", by {MODE_LABELS[query.mode]}"
    return label


def _key(fact: Fact) -> str:
    """The key a fact is about: "TX", "2304", "truck", "MEX" (a duty's partner)."""
    return fact.dimension.split(":", 1)[1] if fact.dimension else fact.partner


def _short(fact: Fact) -> str:
    """A fact's key in a few words: "Texas", "Laredo port", "Canada"."""
    if fact.dimension:
        return fact.label.split(":")[0].split(" exports to")[0].split(" imports from")[0]
    return fact.label.rsplit(" from ", 1)[-1]


def _label(ctx: Context, code: str) -> str:
    return "all countries" if code == "WORLD" else ctx.store.label(code)


def _key_name(ctx: Context, query: Query, key: str) -> str:
    if query.dimension in ("duties", "citizenship"):
        return _label(ctx, key)
    names = ctx.store.border.names.get(query.dimension, {})
    return MODE_LABELS.get(key, key) if query.dimension == "mode" else names.get(key, key)


def _ranked_words(ctx: Context, query: Query) -> str:
    if query.dimension == "duties":
        return "countries by calculated duties"
    if query.dimension == "citizenship":
        return f"citizenships, {SERIES_WORDS[query.partners[0]]}"
    flow = _FLOW[query.metric].format(_label(ctx, query.partners[0]))
    return f"{_WHAT[query.dimension]} by {flow}"


def _missing(ctx: Context, query: Query, key: str, span: Span) -> str:
    if query.dimension == "citizenship":
        listed = ", ".join(
            n.title() for c, n in ctx.store.border.citizenships[query.partners[0]].items()
            if c != "OTHER"
        )  # fmt: skip
        return (
            f"CBP does not list {_label(ctx, key)} separately in this series: it is counted in"
            f" 'other citizenships'. Listed: {listed}."
        )
    return f"No TransBorder figure for {_key_name(ctx, query, key)} in {_words(span)}."


def _words(span: Span) -> str:
    if span.whole_year:
        return str(span.start[0])
    return f"{month_words(span.start)} – {month_words(span.end)}"


def _spans(ctx: Context, query: Query, every: bool = False) -> list[Span]:
    first, last, what = _coverage(ctx, query)
    period = query.period
    monthly = query.dimension in ("duties", "citizenship")
    if every and not monthly:
        period = Period("years", first, last)
    elif every:
        period = Period("years", (first[0], 1), (last[0], 12))
    if monthly and period is not None and period.kind in ("since", "months") and period.start:
        span = resolve(Period("months", period.start, period.end or last), first, last, what)
        if span.months <= MONTHLY_UP_TO:
            return [Span(shift(span.start, i), shift(span.start, i)) for i in range(span.months)]
        period = Period("years", (period.start[0], 1), (span.end[0], 12))
    if monthly and period is None:
        return [Span(shift(last, -i), shift(last, -i)) for i in range(11, -1, -1)]
    if period is not None and period.kind == "since" and period.start:
        period = Period("years", period.start, last)
    return years_in(period, first, last, what)


def _examples(query: Query) -> tuple[str, ...]:
    return {
        "state": ("texas exports to mexico 2024", "which u.s. states export the most to mexico"),
        "port": ("laredo trade 2024", "top texas border ports 2024"),
        "mode": ("rail exports to mexico 2025", "truck imports from mexico march 2025"),
        "commodity": ("machinery exports to mexico 2024", "what does the u.s. sell to mexico"),
        "mexstate": ("u.s. exports to nuevo leon 2024", "top mexican states for u.s. exports"),
        "duties": ("tariffs on chinese imports 2025", "effective tariff rate on mexico june 2025"),
        "citizenship": ("mexican nationals encountered fy2024", "top nationalities of encounters"),
    }.get(query.dimension, ("help",))
