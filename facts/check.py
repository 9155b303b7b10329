"""Check the statistical statements of any text against the store.

Each statement found by facts.extract is turned into one or more readings (what it could be
measuring: flow, period, calendar or fiscal year), each computed from the store and compared with
the stated figure at the precision the text uses. A statement that restates one of the op-ed's
stored claims (same computation, same figure) gets that claim's stored check, so both agree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from facts.claims import ClaimDataMissing, evaluate
from facts.context import Context
from facts.extract import MAX_TEXT, Statement, When, extract
from facts.model import ClaimCheck, Source, Verdict
from facts.store import ClaimRow, FactStore
from facts.vocabulary import ClaimIndex, CountryIndex
from facts.words import MONTHS, SERIES_WORDS

HUNDRED = Decimal(100)
CLOSE_PCT = Decimal(5)  # "roughly": within 5% of the stated figure (or two tolerances)
SHORT_PCT = Decimal(2)  # "over X": roughly right when short of X by at most 2%
VERDICT_ORDER: tuple[Verdict, ...] = ("supported", "roughly", "not_supported", "unverifiable")
_REASONS = {
    "small business": "The store has no exports by size of exporting firm (Census totals cover"
    " all firms).",
    "value added": "It needs trade in value added (domestic and foreign content of exports, e.g."
    " OECD TiVA); the store holds gross goods trade only.",
    "jobs": "The store has no employment data.",
    "Mexican data": "The store has no Mexican government data; its border and seizure figures"
    " are U.S. CBP's.",
    "services": "The store holds goods trade only (Census basis); no services.",
    "company": "The store has no figures for single companies or their investment.",
    "doses": "The store has no dose figures; they depend on an assumed lethal dose.",
    "product": "The store holds goods trade by partner, not by product.",
    "place": "The store has no figures by state, port or route.",
    "forecast": "A forecast or estimate: the store holds published figures only.",
    "trucks": "The store has no truck or vehicle crossing counts.",
    "gotaways": "The store has no estimates of gotaways (people who crossed without being caught).",
    "tons": "The store has no trade volumes in tons.",
}
_SCOPE_TOPICS = {
    "small business": {"small business"},
    "value added": {"value added"},
    "jobs": {"jobs"},
    "Mexican data": {"border", "fentanyl"},
    "doses": {"fentanyl"},
    "company": {"border"},
    "place": {"border"},
}


@dataclass(frozen=True)
class Reading:
    """One way to read a statement, computed: what was measured, the figure and the verdict."""

    description: str  # "U.S. goods exports to Mexico, calendar year 2024"
    verdict: Verdict
    computed: Decimal | None
    unit: str
    tolerance: str  # how the figures were compared: "within ±$1 billion (to the billion)"
    source_ids: tuple[str, ...] = ()
    compared_to: Decimal | None = None  # the other side of a comparison


@dataclass(frozen=True)
class StatementCheck:
    """A statement of the text and what the store says about it."""

    statement: Statement
    verdict: Verdict
    readings: tuple[Reading, ...]  # the first is the one the verdict rests on; may be empty
    why: str = ""  # why it can't be checked, or which other reading holds
    claim_id: str = ""  # the stored op-ed claim it restates, if any

    @property
    def reading(self) -> Reading | None:
        """The reading the verdict rests on."""
        return self.readings[0] if self.readings else None


@dataclass(frozen=True)
class TextCheck:
    """Every statement of a text, checked (or why the text was not checked)."""

    checks: tuple[StatementCheck, ...]
    sources: tuple[Source, ...]
    length: int
    refused: str = ""  # why nothing was checked: too long, no figure

    def summary(self) -> dict[str, int]:
        """How many statements got each verdict."""
        counts = Counter(c.verdict for c in self.checks)
        return {v: counts.get(v, 0) for v in VERDICT_ORDER}


class Checker:
    """Checks texts against one store, with its partner names and stored claim checks."""

    def __init__(
        self,
        store: FactStore,
        countries: CountryIndex,
        claims: ClaimIndex,
        claim_checks: dict[str, ClaimCheck],
    ) -> None:
        self.store = store
        self.countries = countries
        self.claim_index = claims
        self.claim_checks = claim_checks
        self._claims = {c.id: c for c in store.claims}

    @classmethod
    def of(cls, ctx: Context) -> Checker:
        """A Checker over the answering context's store, names and claim verdicts."""
        return cls(ctx.store, ctx.names, ctx.claim_index, ctx.checks)

    def check(self, text: str) -> TextCheck:
        """Find and check every statement of `text` (refused past MAX_TEXT characters)."""
        if len(text) > MAX_TEXT:
            refused = (
                f"The text is {len(text):,} characters long; the limit is {MAX_TEXT:,}."
                " Check it in parts."
            )
            return TextCheck((), (), len(text), refused)
        checks = tuple(self.check_statement(s) for s in extract(text, self.countries))
        ids = [i for c in checks for r in c.readings for i in r.source_ids]
        sources = tuple(self.store.sources[i] for i in dict.fromkeys(ids))
        refused = "" if checks else "No figure, ratio, rank or record to check was found."
        return TextCheck(checks, sources, len(text), refused)

    def check_statement(self, statement: Statement) -> StatementCheck:
        """The verdict on one statement: computed readings, or the reason there are none."""
        claim = self._stored_claim(statement)
        why = ""
        if statement.scope:
            why = (
                _REASONS.get(statement.scope) or f"The store has no {statement.scope_word} figures."
            )
        else:
            try:
                computed = _READINGS[statement.kind](self, statement)
            except _CannotCheck as cannot:
                why = str(cannot)
            except ClaimDataMissing as missing:
                why, claim = f"The store lacks a figure it needs: {missing}.", None
        if why:
            if claim is not None and claim.check is None:  # the op-ed's claim says why
                return StatementCheck(
                    statement, "unverifiable", (), " ".join((claim.unverifiable or why).split()),
                    claim.id,
                )  # fmt: skip
            return StatementCheck(statement, "unverifiable", (), why)
        readings, claim_id = self._with_stored_claim(statement, computed)
        return _decided(statement, readings, claim_id)

    # --- the stored op-ed claims ----------------------------------------------------------

    def _stored_claim(self, statement: Statement) -> ClaimRow | None:
        """An unverifiable stored claim this out-of-scope statement restates."""
        topics = _SCOPE_TOPICS.get(statement.scope) if statement.scope else None
        if statement.scope and not topics:
            return None
        best, best_score = None, 0
        for claim in self._claims.values():
            if claim.check is not None or (topics and claim.topic not in topics):
                continue
            if not topics and claim.stated_unit != statement.unit:
                continue
            if claim.stated_value is not None and claim.stated_value != statement.stated:
                continue
            if claim.stated_value is None and statement.stated is not None:
                continue
            score = _keyword_score(self.claim_index, claim.id, statement.sentence)
            if score > best_score:
                best, best_score = claim, score
        return best if best_score >= 2 else None

    def _with_stored_claim(
        self, statement: Statement, readings: list[tuple[Reading, dict[str, Any] | None]]
    ) -> tuple[list[Reading], str]:
        """Readings, the first replaced by a stored claim's check when it computes the same."""
        out = [r for r, _ in readings]
        if not readings or readings[0][1] is None:
            return out, ""
        expr = readings[0][1]
        for claim in self._claims.values():
            if claim.check is None or claim.check["left"] != expr:
                continue
            if claim.stated_value is not None and claim.stated_value != statement.stated:
                continue
            stored = self.claim_checks[claim.id]
            out[0] = replace(
                out[0],
                verdict=stored.verdict,
                computed=stored.computed,
                compared_to=stored.compared_to,
                tolerance=_claim_tolerance(claim.check, stored.unit),
                source_ids=tuple(i for i in stored.source_ids if i != claim.source_id),
            )
            return out, claim.id
        return out, ""

    # --- readings of each kind of statement -----------------------------------------------

    def _amount(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if s.stated is None:
            raise _CannotCheck("The text gives no figure to check, only an order of magnitude.")
        metric = s.metric if s.metric in _TRADE else "total" if s.metric == "" else ""
        if not metric:
            raise _CannotCheck(f"A dollar figure about {s.metric}: the store has none.")
        year, how = self._trade_year(s)
        if s.when and s.when.kind == "months" and s.when.end:
            return [self._months_amount(s, metric, s.when.start, s.when.end)]
        if s.when and s.when.kind == "month":
            y, m = s.when.start
            parts = [self._trade_expr(metric, p, f"{y}-{m:02d}") for p in s.partners or ("WORLD",)]
            period_words = f"{MONTHS[m - 1]} {y}"
        else:
            parts = [self._trade_expr(metric, p, str(year)) for p in s.partners or ("WORLD",)]
            period_words = f"calendar year {year}{how}"
        expr = self._sum_expr(metric, s.partners or ("WORLD",), parts[0]["period"])
        value = self._evaluate(expr)
        names = self._names(s.partners) if s.partners else "all partners"
        description = f"{_FLOW[metric]} {names}, {period_words} (Census basis)"
        return [(self._compare(s, description, value.value, "USD", value.sources), expr)]

    def _months_amount(
        self, s: Statement, metric: str, first: tuple[int, int], last: tuple[int, int]
    ) -> tuple[Reading, dict[str, Any] | None]:
        if not s.partners or first[0] != last[0]:
            raise _CannotCheck("Trade over a range of months is checked for named partners only.")
        total, sources = Decimal(0), set()
        for month in range(first[1], last[1] + 1):
            for partner in s.partners:
                value = self._evaluate(self._trade_expr(metric, partner, f"{first[0]}-{month:02d}"))
                total += value.value
                sources |= value.sources
        span = f"{MONTHS[first[1] - 1]}–{MONTHS[last[1] - 1]} {first[0]}"
        description = f"{_FLOW[metric]} {self._names(s.partners)}, {span} (Census basis)"
        return self._compare(s, description, total, "USD", frozenset(sources)), None

    def _per_capita(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if not s.partners:
            raise _CannotCheck("A per-person figure without a country named.")
        year, how = self._trade_year(s, population=True)
        metric = s.metric if s.metric in ("exports", "imports", "total") else "exports"
        expr = {
            "op": "per_capita",
            "metric": metric,
            "partners": list(s.partners),
            "period": str(year),
        }
        value = self._evaluate(expr)
        description = (
            f"{_FLOW[metric]} {self._names(s.partners)} per person"
            f" (÷ World Bank population), {year}{how}"
        )
        return [(self._compare(s, description, value.value, "USD per person", value.sources), expr)]

    def _ratio(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if not s.partners or not s.others:
            raise _CannotCheck("A ratio without the two partners it compares.")
        metric = s.metric if s.metric in _TRADE else "exports"
        year, how = self._trade_year(s)
        top = self._sum_expr(metric, s.partners, str(year))
        bottom = self._sum_expr(metric, s.others, str(year))
        expr = {"op": "ratio", "numerator": top, "denominator": bottom}
        value = self._evaluate(expr)
        description = (
            f"{_FLOW[metric]} {self._names(s.partners)} ÷ the same for"
            f" {self._names(s.others)}, {year}{how}"
        )
        return [(self._compare(s, description, value.value, "x", value.sources), expr)]

    def _change(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if s.metric == "encounters":
            return self._encounter_change(s)
        if s.metric not in _TRADE or not s.partners:
            raise _CannotCheck("A percentage change of a figure the text does not tie to the data.")
        metric, partner = s.metric, s.partners[0]
        s = _from_to(s)
        when = s.when or When("year", (self._trade_year(s)[0], 1))
        first, last = _months_of(when)
        if first[0] != last[0]:
            raise _CannotCheck("A change over months of two years: check each year instead.")
        if s.baseline and s.baseline.kind == "month" and first == last:
            base_first = base_last = s.baseline.start
        else:
            year = s.baseline.start[0] if s.baseline and s.baseline.start[0] else first[0] - 1
            base_first, base_last = (year, first[1]), (year, last[1])
        now = self._trade_months(metric, partner, first, last)
        then = self._trade_months(metric, partner, base_first, base_last)
        change = (now.value - then.value) / abs(then.value) * HUNDRED
        what = f"{_span_words(first, last)} against {_span_words(base_first, base_last)}"
        description = f"Change in {_FLOW[metric]} {self._names((partner,))}, {what}"
        return [(self._compare(s, description, change, "%", now.sources | then.sources), None)]

    def _trade_months(
        self, metric: str, partner: str, first: tuple[int, int], last: tuple[int, int]
    ) -> _Value:
        if first == (first[0], 1) and last == (first[0], 12):
            return self._evaluate(self._trade_expr(metric, partner, str(first[0])))
        total, sources = Decimal(0), frozenset[str]()
        for month in range(first[1], last[1] + 1):
            value = self._evaluate(self._trade_expr(metric, partner, f"{first[0]}-{month:02d}"))
            total, sources = total + value.value, sources | value.sources
        return _Value(total, sources)

    def _encounter_change(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        s = _from_to(s)
        if not s.when or s.when.kind != "month":
            raise _CannotCheck("A change in encounters needs a month (the text names none).")
        y, m = s.when.start
        period = f"{y}-{m:02d}"
        series = s.series or "nationwide"
        if s.baseline and s.baseline.kind == "range_average" and s.baseline.end:
            first, last = s.baseline.start[0], s.baseline.end[0]
            expr = {"op": "change_vs_average", "series": series, "period": period,
                    "from": f"{first}-01", "to": f"{last}-12"}  # fmt: skip
            value = self._evaluate(expr)
            what = f"{MONTHS[m - 1]} {y} against the monthly average of {first}–{last}"
            description = f"{SERIES_WORDS[series]}: change, {what}"
            return [(self._compare(s, description, value.value, "%", value.sources), expr)]
        if s.baseline and s.baseline.kind == "month":
            base = s.baseline.start
        else:
            base = (s.baseline.start[0] if s.baseline and s.baseline.start[0] else y - 1, m)
        base_period = f"{base[0]}-{base[1]:02d}"
        now = self._evaluate(_encounters(series, period, period))
        then = self._evaluate(_encounters(series, base_period, base_period))
        change = (now.value - then.value) / then.value * HUNDRED
        description = (
            f"{SERIES_WORDS[series]}: change, {MONTHS[m - 1]} {y} against"
            f" {MONTHS[base[1] - 1]} {base[0]}"
        )
        return [(self._compare(s, description, change, "%", now.sources | then.sources), None)]

    def _share(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if s.metric not in _TRADE or s.metric == "balance" or len(s.partners) != 1:
            raise _CannotCheck("A percentage the text does not tie to a figure the store holds.")
        if s.when and s.when.kind == "months":
            raise _CannotCheck("A share of part of a year: the store holds world totals by year.")
        year, how = self._trade_year(s)
        part = self._evaluate(self._trade_expr(s.metric, s.partners[0], str(year)))
        world = self.store.trade_world(s.metric, year)
        if world is None:
            raise ClaimDataMissing(f"{s.metric} with all partners in {year}")
        share = part.value / world.value * HUNDRED
        description = (
            f"{_FLOW[s.metric]} {self._names(s.partners)} as a share of all partners, {year}{how}"
        )
        return [(self._compare(s, description, share, "%", part.sources), None)]

    def _rank(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if not s.partners:
            raise _CannotCheck("A rank without the country it ranks.")
        metric = _rank_metric(s.clause, s.metric)
        year, how = self._trade_year(s)
        expr = {"op": "rank", "metric": metric, "partner": s.partners[0], "period": str(year)}
        value = self._evaluate(expr)
        description = (
            f"{self._names(s.partners[:1])}'s rank among U.S. {_MARKETS[metric]} by value,"
            f" {year}{how} (1 = largest)"
        )
        verdict: Verdict = "supported" if value.value == s.stated else "not_supported"
        reading = Reading(description, verdict, value.value, "rank", "the same rank", _ids(value))
        return [(reading, expr)]

    def _record(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if s.metric != "encounters":
            raise _CannotCheck("A record the store can test only for CBP encounters by month.")
        if not s.when or s.when.kind != "month":
            raise _CannotCheck("A record low or high needs a month to check (the text names none).")
        y, m = s.when.start
        series = s.series or "nationwide"
        first = self.store.coverage.encounter_months[series][0]
        if s.unit == "years" and s.stated is not None:
            since = (y - int(s.stated), m)
            if since < first:
                longest = min(self.store.coverage.encounter_months.items(), key=lambda i: i[1][0])
                start = longest[1][0]
                raise _CannotCheck(
                    f"The longest encounter series in the store ({SERIES_WORDS[longest[0]]})"
                    f" starts in {MONTHS[start[1] - 1]} {start[0]}, less than"
                    f" {int(s.stated)} years before {MONTHS[m - 1]} {y}."
                )
        elif s.baseline is not None:
            since = max(s.baseline.start, first)
        else:
            since = first
        period, first_month = f"{y}-{m:02d}", f"{since[0]}-{since[1]:02d}"
        low = s.hedge == "low"
        expr = {"op": "low_rank_since", "series": series, "period": period, "since": first_month}
        value = self._evaluate(expr) if low else self._high_rank(series, since, (y, m))
        word = "lowest" if low else "highest"
        description = (
            f"Rank of {MONTHS[m - 1]} {y} among {SERIES_WORDS[series]} months since"
            f" {MONTHS[since[1] - 1]} {since[0]} (1 = {word})"
        )
        verdict: Verdict = "supported" if value.value == 1 else "not_supported"
        reading = Reading(description, verdict, value.value, "rank", f"#1, the {word}", _ids(value))
        return [(reading, expr if low else None)]

    def _comparison(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if not s.partners or (not s.others and not s.next_n) or s.metric not in _TRADE:
            raise _CannotCheck("A comparison whose two sides the text does not name.")
        metric = s.metric
        year, how = self._trade_year(s)
        left = self._sum_expr(metric, s.partners, str(year))
        if s.next_n:
            first = len(s.partners) + 1
            right: dict[str, Any] = {
                "op": "ranked_sum",
                "metric": metric,
                "period": str(year),
                "from": first,
                "to": first + s.next_n - 1,
            }
            other = f"the next {s.next_n} {_MARKETS[metric]} (#{first}–#{first + s.next_n - 1})"
        else:
            right, other = self._sum_expr(metric, s.others, str(year)), self._names(s.others)
        mine, theirs = self._evaluate(left), self._evaluate(right)
        verdict, tolerance = _greater(mine.value, theirs.value)
        description = f"{_FLOW[metric]} {self._names(s.partners)} against {other}, {year}{how}"
        reading = Reading(
            description,
            verdict,
            mine.value,
            "USD",
            tolerance,
            _ids(mine, theirs),
            compared_to=theirs.value,
        )
        return [(reading, left)]

    def _count(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if s.unit in ("kg", "lb"):
            return self._seizures(s)
        if s.unit != "encounters" or not s.when:
            raise _CannotCheck(f"A count of {s.unit} the store does not hold for that period.")
        series = s.series or "nationwide"
        words = SERIES_WORDS[series]
        when = s.when
        if when.kind == "month":
            y, m = when.start
            spans = [(f"{y}-{m:02d}", f"{y}-{m:02d}", f"{MONTHS[m - 1]} {y}")]
        elif when.kind == "fiscal_year":
            y = when.start[0]
            spans = [_fiscal(y)]
        elif when.kind == "year":
            y = when.start[0]
            spans = [(f"{y}-01", f"{y}-12", f"calendar year {y}"), _fiscal(y)]
        elif when.kind == "months" and when.end:
            a, b = when.start, when.end
            spans = [(f"{a[0]}-{a[1]:02d}", f"{b[0]}-{b[1]:02d}", "that range of months")]
        else:
            raise _CannotCheck("A count of encounters for a period the text does not pin down.")
        out: list[tuple[Reading, dict[str, Any] | None]] = []
        for start, end, words_period in spans:
            try:
                value = self._evaluate(_encounters(series, start, end))
            except ClaimDataMissing:
                continue
            reading = self._compare(
                s, f"{words}, {words_period}", value.value, "encounters", value.sources
            )
            out.append((reading, None))
        if not out:
            raise ClaimDataMissing(f"{words} for every month of that period")
        return out

    def _seizures(self, s: Statement) -> list[tuple[Reading, dict[str, Any] | None]]:
        if not s.when:
            raise _CannotCheck("A seizure total without a period.")
        last = self.store.coverage.seizure_months[1]
        when = s.when
        if when.kind == "since":
            start, end = when.start, last
        elif when.kind == "month":
            start = end = when.start
        elif when.kind == "fiscal_year":
            start, end = (when.start[0] - 1, 10), (when.start[0], 9)
        elif when.kind == "year":
            start, end = (when.start[0], 1), (when.start[0], 12)
        elif when.end:
            start, end = when.start, when.end
        else:
            raise _CannotCheck("A seizure total for a period the text does not pin down.")
        expr = {
            "op": "series_sum",
            "drug": s.drug,
            "from": f"{start[0]}-{start[1]:02d}",
            "to": f"{end[0]}-{end[1]:02d}",
            "unit": s.unit,
        }
        value = self._evaluate(expr)
        description = (
            f"CBP seizures of {s.drug or 'all drugs'}, {MONTHS[start[1] - 1]} {start[0]} –"
            f" {MONTHS[end[1] - 1]} {end[0]} (the latest month in the data)"
            if when.kind == "since"
            else f"CBP seizures of {s.drug or 'all drugs'}, {MONTHS[start[1] - 1]} {start[0]} –"
            f" {MONTHS[end[1] - 1]} {end[0]}"
        )
        return [(self._compare(s, description, value.value, s.unit, value.sources), None)]

    # --- helpers ------------------------------------------------------------------------

    def _trade_year(self, s: Statement, population: bool = False) -> tuple[int, str]:
        """The calendar year a trade statement is about, and how it was chosen (in words)."""
        if s.when and s.when.kind in ("year", "fiscal_year", "month", "since", "months"):
            year = s.when.start[0]
            how = {
                "text": "",
                "before": " (the year of the sentence before)",
                "after": " (the year of the sentence after)",
                "earlier": " (the year named earlier in the text)",
            }[s.when_from]
            return year, how
        last = self.store.coverage.trade_latest_month
        year = last[0] if last[1] == 12 else last[0] - 1
        if population:
            year = min(year, self.store.coverage.population_years[1])
        return year, " (the text names no year: the latest full year in the data)"

    def _trade_expr(self, metric: str, partner: str, period: str) -> dict[str, Any]:
        return {"op": "lookup", "metric": metric, "partner": partner, "period": period}

    def _sum_expr(self, metric: str, partners: tuple[str, ...], period: str) -> dict[str, Any]:
        if len(partners) == 1:
            return self._trade_expr(metric, partners[0], period)
        return {"op": "sum", "metric": metric, "partners": list(partners), "period": period}

    def _evaluate(self, expr: dict[str, Any]) -> Any:
        if expr.get("partner") == "WORLD":
            fact = self.store.trade_world(expr["metric"], int(expr["period"][:4]))
            if fact is None or "-" in str(expr["period"]):
                raise ClaimDataMissing(f"{expr['metric']} with all partners in {expr['period']}")
            return _Value(fact.value, frozenset({fact.source_id}))
        value = evaluate(self.store, expr)
        return _Value(value.value, value.sources)

    def _high_rank(self, series: str, since: tuple[int, int], month: tuple[int, int]) -> Any:
        facts = self.store.encounters(series, since, month)
        if not facts or facts[-1].period != f"{month[0]}-{month[1]:02d}":
            raise ClaimDataMissing(f"{series} encounters up to {month[0]}-{month[1]:02d}")
        higher = sum(1 for f in facts[:-1] if f.value >= facts[-1].value)
        return _Value(Decimal(higher + 1), frozenset(f.source_id for f in facts))

    def _names(self, codes: tuple[str, ...]) -> str:
        names = [self.store.label(c) for c in codes]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def _compare(
        self, s: Statement, description: str, computed: Decimal, unit: str, sources: frozenset[str]
    ) -> Reading:
        verdict, tolerance = compare(s.stated, s.hedge, s.step, computed, unit)
        return Reading(description, verdict, computed, unit, tolerance, tuple(sorted(sources)))


@dataclass(frozen=True)
class _Value:
    value: Decimal
    sources: frozenset[str]


class _CannotCheck(Exception):
    """The statement is understood, but the store cannot test it (the message says why)."""


_READINGS: dict[str, Callable[[Checker, Statement], list[tuple[Reading, dict[str, Any] | None]]]]
_READINGS = {
    "amount": Checker._amount,
    "per_capita": Checker._per_capita,
    "ratio": Checker._ratio,
    "change": Checker._change,
    "share": Checker._share,
    "rank": Checker._rank,
    "record": Checker._record,
    "comparison": Checker._comparison,
    "count": Checker._count,
}
_TRADE = ("exports", "imports", "balance", "total")
_FLOW = {
    "exports": "U.S. goods exports to",
    "imports": "U.S. goods imports from",
    "balance": "U.S. goods trade balance with",
    "total": "U.S. goods trade (exports + imports) with",
}
_MARKETS = {"exports": "export markets", "imports": "import suppliers", "total": "trading partners"}


def compare(
    stated: Decimal | None, hedge: str, step: Decimal | None, computed: Decimal, unit: str
) -> tuple[Verdict, str]:
    """Compare a computed figure with a stated one at the precision the text gives.

    The tolerance is one unit of the last digit stated ("$335 billion": $1 billion), at most 5%
    of the figure (5 points for a percentage). "over X" holds above X; "nearly X" between X
    less the tolerance and X; "under X" below X. Roughly right: within 5% (or two tolerances),
    or short of an "over" by 2% or less.
    """
    if stated is None:
        return "unverifiable", ""
    size = abs(stated)
    # At most 5% of the figure, or 5 points for a percentage ("nearly 90%": 85% to 90%).
    cap = CLOSE_PCT if unit == "%" else size * CLOSE_PCT / HUNDRED
    tol = min(step, cap) if step else cap
    close = max(2 * tol, size * CLOSE_PCT / HUNDRED)
    value = -computed if stated < 0 else computed
    target = size
    shown = plain_figure(tol, unit)
    figure = plain_figure(target, unit)
    if hedge in ("over", "under"):
        words = f"{'more' if hedge == 'over' else 'less'} than {figure}"
        beyond = value - target if hedge == "over" else target - value
        if beyond > 0:
            return "supported", words
        short = -beyond / target * HUNDRED if target else HUNDRED
        return ("roughly" if short <= SHORT_PCT else "not_supported"), words
    if hedge == "nearly":
        words = f"{plain_figure(target - tol, unit)} to {figure} (nearly {figure})"
        if target - tol <= value <= target:
            return "supported", words
        return ("roughly" if abs(value - target) <= close else "not_supported"), words
    off = abs(value - target)
    words = f"within ±{shown} (the precision of the text)"
    if off <= tol:
        return "supported", words
    return ("roughly" if off <= close else "not_supported"), words


def plain_figure(value: Decimal, unit: str) -> str:
    """A figure as a text would write it: $335 billion, $4,000 per person, 2.3×, 90%."""
    value = Decimal(value)
    if unit == "USD":
        for scale, word in (
            (Decimal("1e12"), "trillion"),
            (Decimal("1e9"), "billion"),
            (Decimal("1e6"), "million"),
        ):
            if abs(value) >= scale:
                return f"${_trim(value / scale)} {word}"
        return f"${_trim(value)}"
    if unit == "USD per person":
        return f"${_trim(value)} per person"
    if unit == "%":
        return f"{_trim(value)}%"
    if unit == "x":
        return f"{_trim(value)}×"
    return f"{_trim(value)} {unit}"


def _trim(value: Decimal) -> str:
    rounded = round(value, 2)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return text


def _greater(mine: Decimal, theirs: Decimal) -> tuple[Verdict, str]:
    words = "greater than the other side; roughly if short by 2% or less"
    if mine > theirs:
        return "supported", words
    short = (theirs - mine) / theirs * HUNDRED if theirs else HUNDRED
    return ("roughly" if short <= SHORT_PCT else "not_supported"), words


def _claim_tolerance(check: dict[str, Any], unit: str) -> str:
    op = check["op"]
    if op == "equal":
        return "exactly equal"
    if op == "greater":
        roughly = check.get("roughly_pct", 0)
        return f"greater than the stated side; roughly if short by {roughly}% or less"
    return (
        f"within {check.get('tolerance_pct', 0)}% of the stated figure; roughly within"
        f" {check.get('roughly_pct', 0)}%"
    )


def _rank_metric(clause: str, metric: str) -> str:
    if re.search(r"\b(supplier|source|proveedor)", clause):
        return "imports"
    if re.search(r"\b(trading partner|socio comercial|partner)\b", clause) and metric != "exports":
        return "total"
    return metric if metric in ("exports", "imports", "total") else "exports"


def _from_to(s: Statement) -> Statement:
    """'fell 93% from June 2024 to June 2025': the change of the last month over the first."""
    when = s.when
    if (
        when
        and when.kind == "months"
        and when.end
        and when.start[0] != when.end[0]
        and when.start[1] == when.end[1]
    ):
        return replace(s, when=When("month", when.end), baseline=When("month", when.start))
    return s


def _months_of(when: When) -> tuple[tuple[int, int], tuple[int, int]]:
    if when.kind == "month":
        return when.start, when.start
    if when.kind == "months" and when.end:
        return when.start, when.end
    return (when.start[0], 1), (when.start[0], 12)


def _span_words(first: tuple[int, int], last: tuple[int, int]) -> str:
    if first == last:
        return f"{MONTHS[first[1] - 1]} {first[0]}"
    if first[1] == 1 and last[1] == 12:
        return str(first[0])
    return f"{MONTHS[first[1] - 1]}–{MONTHS[last[1] - 1]} {first[0]}"


def _fiscal(year: int) -> tuple[str, str, str]:
    words = f"fiscal year {year} (October {year - 1} – September {year})"
    return f"{year - 1}-10", f"{year}-09", words


def _encounters(series: str, start: str, end: str) -> dict[str, Any]:
    return {"op": "series_sum", "series": series, "from": start, "to": end}


def _ids(*values: _Value) -> tuple[str, ...]:
    return tuple(sorted(frozenset().union(*(v.sources for v in values))))


def _keyword_score(index: ClaimIndex, claim_id: str, sentence: str) -> int:
    words = set(sentence.split())
    return sum(
        weight
        for term, weight in index.terms.get(claim_id, [])
        if (term in words if isinstance(term, str) else term.search(sentence))
    )


def _decided(statement: Statement, readings: list[Reading], claim_id: str) -> StatementCheck:
    """The verdict: the first reading's; "roughly" if only another reading holds."""
    first = readings[0]
    why = ""
    verdict = first.verdict
    if verdict == "roughly" and "Census basis" in first.description:
        why = (
            "Close, not exact: the store holds Census's revised figures; a text written before"
            " the annual revision may quote the first release."
        )
    if verdict == "not_supported":
        holds = next((r for r in readings[1:] if r.verdict == "supported"), None)
        if holds is not None:
            verdict, why = "roughly", f"True on another reading: {holds.description}."
    return StatementCheck(statement, verdict, tuple(readings), why, claim_id)
