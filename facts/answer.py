"""Answer a question from the fact store: parse, look up, compute extras, attach claim verdicts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from facts.claims import KG_PER_LB, check_claim
from facts.model import Answer, AnswerKind, ClaimCheck, Derived, Fact, Period, Query
from facts.parse import CountryIndex, normalise, parse_question
from facts.store import FactStore

HUNDRED = Decimal(100)
EXAMPLES = (
    "mexico exports 2024",
    "mexico vs china exports 2024",
    "top 10 export markets 2024",
    "where does mexico rank 2025",
    "trade balance with mexico march 2026",
    "canada exports 2015-2024",
    "exports per person mexico and canada 2024",
    "nationwide encounters june 2025",
    "fentanyl seizures since february 2025",
    "claims",
)
METRIC_WORDS = {
    "exports": "U.S. goods exports to",
    "imports": "U.S. goods imports from",
    "balance": "U.S. goods trade balance with",
    "total": "U.S. goods trade (exports + imports) with",
}
SERIES_WORDS = {
    "nationwide": "CBP encounters nationwide",
    "southwest": "CBP encounters at the Southwest land border",
    "northern": "CBP encounters at the Northern land border",
    "other-air-sea-interior": "CBP encounters away from land borders (air, sea, interior)",
    "usbp-southwest": "U.S. Border Patrol encounters at the Southwest border",
    "ofo-southwest": "Field Operations (ports of entry) encounters at the Southwest border",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


class NoData(Exception):
    """The question was understood but the store has no figure for it."""

    def __init__(self, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason, self.suggestions = reason, suggestions


class Answerer:
    """Answers questions over one store; holds the reference data and claim verdicts in memory."""

    CACHE_SIZE = 2048

    def __init__(self, store: FactStore) -> None:
        self.store = store
        countries = store.countries
        self.index = CountryIndex(
            (c.code, c.kind, (c.name, c.name_es, c.census_name, *c.aliases))
            for c in countries.values()
        )
        self.checks = {c.id: check_claim(store, c) for c in store.claims}
        self._claim_rows = {c.id: c for c in store.claims}
        self._keywords = {c.id: list(c.keywords) for c in store.claims}
        self._topics: dict[str, list[str]] = {}
        for claim in store.claims:
            self._topics.setdefault(normalise(claim.topic), []).append(claim.id)
        self._numbers = {c.number: c.id for c in store.claims}
        # Facts change only when the store is rebuilt (a new store means a new Answerer), so an
        # answer can be cached by its normalised question.
        self._cache: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def ask(self, text: str) -> Answer:
        """One Answer for a question; never raises for any input."""
        key = text if len(text) > 500 else " ".join(text.split()).lower()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            return cached if cached.question == text else _with_question(cached, text)
        answer = self._answer(text)
        with self._lock:
            self._cache[key] = answer
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def _answer(self, text: str) -> Answer:
        query = parse_question(text, self.index, self._keywords, self._topics, self._numbers)
        if query is None:
            return self._not_understood(text)
        try:
            return self._dispatch(query, text)
        except NoData as missing:
            return Answer(
                kind="no_data",
                understood=self._understood(query),
                question=text,
                reason=missing.reason,
                suggestions=missing.suggestions or EXAMPLES[:3],
            )

    def _dispatch(self, query: Query, text: str) -> Answer:
        if query.op == "help":
            return Answer(
                kind="help", understood="a request for help", question=text, suggestions=EXAMPLES
            )
        if query.op in ("claims", "claim"):
            return self._claims(query, text)
        if query.metric == "encounters":
            return self._encounters(query, text)
        if query.metric == "seizures":
            return self._seizures(query, text)
        if query.metric == "population":
            return self._population(query, text)
        if query.op == "rank":
            return self._rank(query, text)
        if not query.partners:
            if query.unknown:
                raise NoData(
                    self._unknown_partner(query.unknown[0]),
                    (f"{query.metric} mexico 2024", "top 10 export markets 2024", "help"),
                )
            return self._world(query, text)
        return self._trade(query, text)

    # --- claims -------------------------------------------------------------------------

    def _claims(self, query: Query, text: str) -> Answer:
        if query.op == "claims":
            checks = tuple(self.checks.values())
            understood = "the op-ed's claims, each checked against the data"
        else:
            if not query.claim_ids or not all(c in self.checks for c in query.claim_ids):
                raise NoData(
                    f"There are {len(self.checks)} claims, numbered 1 to {len(self.checks)}.",
                    ("claims", "claim 1", "is it true Mexico buys 2.3 times more than China?"),
                )
            checks = tuple(self.checks[c] for c in query.claim_ids)
            understood = (
                "the op-ed's claim" + ("s" if len(checks) > 1 else "") + " about " + checks[0].topic
            )
        sources = self._sources({s for c in checks for s in c.source_ids})
        kind: AnswerKind = "claims" if query.op == "claims" else "claim"
        return Answer(
            kind=kind, understood=understood, question=text, claims=checks, sources=sources
        )

    def _related_claims(
        self, kind: str, metric: str, partners: tuple[str, ...], period: str
    ) -> tuple[ClaimCheck, ...]:
        """Claims whose check (or anchored context) measures the same thing as the answer."""
        wanted = {
            "lookup": {"lookup", "rank", "low_rank_since", "change_vs_average"},
            "rank_of": {"rank"},
            "compare": {"ratio"},
            "sum": {"sum"},
            "per_capita": {"per_capita"},
            "rank": {"rank", "ranked_sum"},
            "seizures": {"series_sum"},
        }[kind]
        related = []
        for claim_id, row in self._claim_rows.items():
            for op, e_metric, e_partners, e_period in _anchors(row.check, row.context):
                if op not in wanted or e_metric != metric:
                    continue
                if kind == "seizures":
                    hit = e_partners == set(partners) and _overlaps(e_period, period)
                elif kind == "rank":
                    hit = e_period == period
                elif kind == "per_capita":
                    hit = set(partners) <= e_partners and e_period == period
                else:
                    hit = e_partners == set(partners) and e_period == period
                if hit:
                    related.append(self.checks[claim_id])
                    break
        return tuple(related)

    # --- trade --------------------------------------------------------------------------

    def _trade(self, query: Query, text: str) -> Answer:
        partners = query.partners
        if query.per_capita:
            return self._per_capita(query, text)
        if query.op == "trend":
            return self._trend(query, text)
        if query.op == "rank_of":
            return self._rank_of(query, text)
        facts = tuple(self._trade_fact(query.metric, p, query.period) for p in partners)
        derived: list[Derived] = []
        kind = query.op
        if query.op == "compare":
            first, second = facts[0], facts[1]
            if second.value:
                derived.append(
                    Derived(
                        "ratio",
                        first.value / second.value,
                        f"{self._name(first.partner)} ÷ {self._name(second.partner)}",
                        "x",
                    )
                )
            derived.append(
                Derived(
                    "difference",
                    first.value - second.value,
                    f"{self._name(first.partner)} − {self._name(second.partner)}",
                    "USD",
                )
            )
        elif query.op == "sum":
            derived.append(
                Derived(
                    "sum",
                    sum((f.value for f in facts), Decimal(0)),
                    " + ".join(self._name(p) for p in partners),
                    "USD",
                )
            )
        elif query.op == "share":
            kind = "share"
            world = self._world_fact(query.metric, facts[0].period)
            if world.value:
                derived.append(
                    Derived(
                        "share_pct",
                        facts[0].value / world.value * HUNDRED,
                        f"{self._name(partners[0])}'s share of all partners",
                        "%",
                    )
                )
            facts = (*facts, world)
        else:
            kind = "lookup"
            derived.extend(self._change(query.metric, facts[0]))
            derived.extend(self._rank_extra(query.metric, facts[0]))
        claims = self._related_claims(
            "lookup" if kind in ("lookup", "share") else kind,
            query.metric,
            partners,
            facts[0].period,
        )
        return self._answer_of(kind, query, text, facts, tuple(derived), claims)

    def _trade_fact(self, metric: str, partner: str, period: Period | None) -> Fact:
        coverage = self.store.coverage
        first_year, last_year = coverage.trade_years
        latest_year, latest_month = coverage.trade_latest_month
        if period is None or (period.kind == "latest" and period.end == (0, 0)):
            fact = self.store.trade_year(metric, partner, self._latest_full_year())
        elif period.kind == "latest":
            fact = self.store.trade_month(metric, partner, latest_year, latest_month)
        elif period.kind == "year":
            assert period.start
            self._check_trade_year(period.start[0])
            fact = self.store.trade_year(metric, partner, period.start[0])
        elif period.kind == "month":
            assert period.start
            year, month = period.start
            if (year, month) > (latest_year, latest_month) or year < first_year:
                raise NoData(
                    f"Monthly trade data run from January {first_year} to"
                    f" {MONTHS[latest_month - 1]} {latest_year}."
                )
            fact = self.store.trade_month(metric, partner, year, month)
        elif period.kind == "ytd":
            # Year to date runs through the latest month published, in any year, so that
            # years compare like for like.
            year = period.start[0] if period.start else latest_year
            self._check_trade_year(year)
            fact = self.store.trade_ytd(metric, partner, year, latest_month)
        else:
            raise NoData("Ask for one year, a month or a range such as 2015-2024.")
        if fact is None:
            raise NoData(
                f"The Census data have no {metric} figure for {self._name(partner)} in that"
                " period (it may not have been a separate partner then)."
            )
        return Fact(
            fact.metric,
            fact.partner,
            fact.period,
            fact.value,
            fact.unit,
            fact.source_id,
            self._name(partner),
            fact.note,
        )

    def _check_trade_year(self, year: int) -> None:
        first, last = self.store.coverage.trade_years
        if not first <= year <= last:
            raise NoData(
                f"Census trade data in the store cover {first} to {last} ({last} through "
                f"{MONTHS[self.store.coverage.trade_latest_month[1] - 1]} only).",
                (f"mexico exports {last - 1}", f"mexico exports {first}-{last - 1}", "help"),
            )

    def _latest_full_year(self) -> int:
        year, month = self.store.coverage.trade_latest_month
        return year if month == 12 else year - 1

    def _world_fact(self, metric: str, period: str) -> Fact:
        fact = self.store.trade_world(metric, int(period[:4]))
        if fact is None:
            raise NoData("No world total for that year.")
        return fact

    def _world(self, query: Query, text: str) -> Answer:
        period = query.period
        year = (
            self._latest_full_year()
            if period is None or period.kind == "latest"
            else (period.start or (0, 0))[0]
        )
        if period is not None and period.kind not in ("year", "latest"):
            raise NoData(
                "Totals over all partners are available by year.",
                ("us exports 2024", "top 10 export markets 2024"),
            )
        self._check_trade_year(year)
        fact = self._world_fact(query.metric, str(year))
        return self._answer_of(
            "lookup", query, text, (fact,), tuple(self._change(query.metric, fact)), ()
        )

    def _change(self, metric: str, fact: Fact) -> list[Derived]:
        """Change against a year earlier (same months for a partial year or a month)."""
        period = fact.period
        if fact.note:
            return []
        if ".." in period:
            year, through = int(period[:4]), int(period[-2:])
            before = self.store.trade_ytd(metric, fact.partner, year - 1, through)
            if before is None or not before.value:
                return []
            label = f"vs January–{MONTHS[through - 1]} {year - 1}"
            return [
                Derived("previous", before.value, label.replace("vs ", "same months of "), "USD"),
                Derived(
                    "change_pct",
                    (fact.value - before.value) / abs(before.value) * HUNDRED,
                    label,
                    "%",
                ),
            ]
        if "-" in period:
            year, month = (int(x) for x in period.split("-"))
            before = self.store.trade_month(metric, fact.partner, year - 1, month)
            label = f"vs {MONTHS[month - 1]} {year - 1}"
        elif fact.partner == "WORLD":
            before = self.store.trade_world(metric, int(period) - 1)
            label = f"vs {int(period) - 1}"
        else:
            before = self.store.trade_year(metric, fact.partner, int(period) - 1)
            label = f"vs {int(period) - 1}"
        if before is None or not before.value or before.note:
            return []
        return [
            Derived("previous", before.value, label.replace("vs ", "a year earlier, "), "USD"),
            Derived(
                "change_pct", (fact.value - before.value) / abs(before.value) * HUNDRED, label, "%"
            ),
        ]

    def _rank_extra(self, metric: str, fact: Fact) -> list[Derived]:
        if (
            metric not in ("exports", "imports", "total")
            or "-" in fact.period
            or fact.partner == "WORLD"
        ):
            return []
        for position, other in enumerate(self.store.ranking(metric, int(fact.period)), start=1):
            if other.partner == fact.partner:
                return [
                    Derived(
                        "rank",
                        Decimal(position),
                        f"among U.S. {_market_word(metric)}, {fact.period}",
                    )
                ]
        return []

    def _rank(self, query: Query, text: str) -> Answer:
        metric = query.metric if query.metric in ("exports", "imports", "total") else "exports"
        year = self._year_of(query.period)
        ranking = self.store.ranking(metric, year)
        if not ranking:
            raise NoData(f"No ranking for {year}.")
        top = tuple(
            Fact(f.metric, f.partner, f.period, f.value, f.unit, f.source_id, self._name(f.partner))
            for f in ranking[: query.top_n]
        )
        total = sum((f.value for f in ranking), Decimal(0))
        derived = (
            Derived(
                "share_pct",
                sum((f.value for f in top), Decimal(0)) / total * HUNDRED,
                f"top {len(top)} share of all partner countries",
                "%",
            ),
        )
        claims = self._related_claims("rank", metric, (), str(year))
        query = Query("rank", metric, (), Period("year", (year, 1)), top_n=len(top))
        return self._answer_of("rank", query, text, top, derived, claims)

    def _rank_of(self, query: Query, text: str) -> Answer:
        year = self._year_of(query.period)
        metric = query.metric if query.metric in ("exports", "imports", "total") else "exports"
        ranking = self.store.ranking(metric, year)
        partner = query.partners[0]
        for position, fact in enumerate(ranking, start=1):  # noqa: B007 - used after the loop
            if fact.partner == partner:
                break
        else:
            raise NoData(f"{self._name(partner)} is not ranked among countries in {year}.")
        facts = [
            Fact(
                fact.metric,
                fact.partner,
                fact.period,
                fact.value,
                fact.unit,
                fact.source_id,
                self._name(partner),
            )
        ]
        derived = [
            Derived(
                "rank",
                Decimal(position),
                f"among {len(ranking)} U.S. {_market_word(metric)}, {year}",
            )
        ]
        if position > 1:
            above = ranking[position - 2]
            facts.append(
                Fact(
                    above.metric,
                    above.partner,
                    above.period,
                    above.value,
                    above.unit,
                    above.source_id,
                    self._name(above.partner),
                )
            )
            derived.append(
                Derived(
                    "gap",
                    above.value - fact.value,
                    f"behind {self._name(above.partner)} (#{position - 1})",
                    "USD",
                )
            )
        if position < len(ranking):
            below = ranking[position]
            facts.append(
                Fact(
                    below.metric,
                    below.partner,
                    below.period,
                    below.value,
                    below.unit,
                    below.source_id,
                    self._name(below.partner),
                )
            )
            derived.append(
                Derived(
                    "lead",
                    fact.value - below.value,
                    f"ahead of {self._name(below.partner)} (#{position + 1})",
                    "USD",
                )
            )
        claims = self._related_claims("rank_of", metric, (partner,), str(year))
        return self._answer_of("rank", query, text, tuple(facts), tuple(derived), claims)

    def _year_of(self, period: Period | None) -> int:
        if period is None or period.kind == "latest":
            return self._latest_full_year()
        if period.kind != "year" or period.start is None:
            raise NoData(
                "Rankings are by calendar year: ask e.g. 'top 10 export markets 2024'.",
                ("top 10 export markets 2024", "where does mexico rank 2025"),
            )
        self._check_trade_year(period.start[0])
        if period.start[0] > self._latest_full_year():
            raise NoData(
                f"{period.start[0]} is a partial year; rankings use full years up to"
                f" {self._latest_full_year()}."
            )
        return period.start[0]

    def _trend(self, query: Query, text: str) -> Answer:
        start, end = self._year_range(query.period, *self.store.coverage.trade_years)
        partner = query.partners[0]
        facts = []
        for year in range(start, end + 1):
            fact = self.store.trade_year(query.metric, partner, year)
            if fact is not None and not fact.note:
                facts.append(
                    Fact(
                        fact.metric,
                        partner,
                        fact.period,
                        fact.value,
                        fact.unit,
                        fact.source_id,
                        self._name(partner),
                    )
                )
        if len(facts) < 2:
            raise NoData(
                f"Fewer than two full years of data for {self._name(partner)} in {start}–{end}."
            )
        derived = list(_growth(facts[0], facts[-1]))
        return self._answer_of("trend", query, text, tuple(facts), tuple(derived), ())

    def _year_range(
        self, period: Period | None, first: int, last_available: int
    ) -> tuple[int, int]:
        last = min(last_available, self._latest_full_year())
        if period is None or period.start is None:
            return last - 9, last  # "mexico exports trend": the last ten full years
        start = period.start[0]
        end = period.end[0] if period.end else last
        if start > last or end < first:
            raise NoData(f"The data cover {first} to {last} (full years).")
        return max(start, first), min(end, last)

    def _per_capita(self, query: Query, text: str) -> Answer:
        year = (
            self._year_of(query.period)
            if query.period
            else min(self._latest_full_year(), self.store.coverage.population_years[1])
        )
        facts: list[Fact] = []
        derived: list[Derived] = []
        for partner in query.partners:
            trade = self._trade_fact(query.metric, partner, Period("year", (year, 1)))
            people = self.store.population(partner, year)
            if people is None:
                last = self.store.coverage.population_years[1]
                raise NoData(
                    f"World Bank population data in the store end in {last}; no population"
                    f" for {self._name(partner)} in {year}.",
                    (f"exports per person {query.partners[0].lower()} {last}", "per capita claim"),
                )
            facts += [
                trade,
                Fact(
                    people.metric,
                    partner,
                    people.period,
                    people.value,
                    people.unit,
                    people.source_id,
                    self._name(partner),
                ),
            ]
            derived.append(
                Derived(
                    "per_capita",
                    trade.value / people.value,
                    f"{self._name(partner)}, per person",
                    "USD per person",
                )
            )
        if len(query.partners) > 1:
            trade_sum = sum((f.value for f in facts if f.unit == "USD"), Decimal(0))
            people_sum = sum((f.value for f in facts if f.unit == "people"), Decimal(0))
            derived.append(
                Derived(
                    "per_capita",
                    trade_sum / people_sum,
                    " + ".join(self._name(p) for p in query.partners) + ", per person",
                    "USD per person",
                )
            )
        claims = self._related_claims("per_capita", query.metric, query.partners, str(year))
        return self._answer_of(
            "lookup" if len(query.partners) == 1 else "compare",
            query,
            text,
            tuple(facts),
            tuple(derived),
            claims,
        )

    # --- population, border, seizures ---------------------------------------------------

    def _population(self, query: Query, text: str) -> Answer:
        if not query.partners:
            raise NoData(
                "Name a country, e.g. 'population of mexico 2024'.",
                ("population of mexico 2024", "mexico exports per person 2024"),
            )
        first, last = self.store.coverage.population_years
        year = (
            last
            if query.period is None or query.period.kind == "latest"
            else (query.period.start or (last, 1))[0]
        )
        if not first <= year <= last:
            raise NoData(
                f"World Bank population data in the store cover {first} to {last}.",
                (f"population of mexico {last}",),
            )
        facts = []
        for partner in query.partners:
            fact = self.store.population(partner, year)
            if fact is None:
                raise NoData(f"No World Bank population for {self._name(partner)} in {year}.")
            facts.append(
                Fact(
                    fact.metric,
                    partner,
                    fact.period,
                    fact.value,
                    fact.unit,
                    fact.source_id,
                    self._name(partner),
                )
            )
        return self._answer_of(
            "lookup" if len(facts) == 1 else "compare", query, text, tuple(facts), (), ()
        )

    def _encounters(self, query: Query, text: str) -> Answer:
        series = query.partners[0]
        (first, last) = self.store.coverage.encounter_months[series]
        start, end = self._months(query.period, first, last, "Encounter data")
        facts = self.store.encounters(series, start, end)
        label = SERIES_WORDS[series]
        derived: list[Derived] = []
        if start == end:
            fact = facts[0]
            earlier = self.store.encounters(
                series, (start[0] - 1, start[1]), (start[0] - 1, start[1])
            )
            if earlier:
                derived.append(
                    Derived(
                        "previous",
                        earlier[0].value,
                        f"a year earlier, {MONTHS[start[1] - 1]} {start[0] - 1}",
                        "encounters",
                    )
                )
                derived.append(
                    Derived(
                        "change_pct",
                        (fact.value - earlier[0].value) / earlier[0].value * HUNDRED,
                        f"vs {MONTHS[start[1] - 1]} {start[0] - 1}",
                        "%",
                    )
                )
            shown: tuple[Fact, ...] = (
                Fact(
                    fact.metric,
                    fact.partner,
                    fact.period,
                    fact.value,
                    fact.unit,
                    fact.source_id,
                    label,
                ),
            )
            claims = self._related_claims("lookup", "encounters", (series,), fact.period)
            return self._answer_of("lookup", query, text, shown, tuple(derived), claims)
        total = sum((f.value for f in facts), Decimal(0))
        if query.op == "trend" or len(facts) > 12:
            by_year: dict[int, list[Fact]] = {}
            for f in facts:
                by_year.setdefault(int(f.period[:4]), []).append(f)
            shown = tuple(
                Fact(
                    "encounters",
                    series,
                    str(y),
                    sum((f.value for f in fs), Decimal(0)),
                    "encounters",
                    fs[-1].source_id,
                    label,
                    ""
                    if len(fs) == 12
                    else f"{_month_name(fs[0].period)}–{_month_name(fs[-1].period)} only",
                )
                for y, fs in sorted(by_year.items())
            )
            derived.append(
                Derived(
                    "sum",
                    total,
                    f"{start[0]}-{start[1]:02d} to {end[0]}-{end[1]:02d}",
                    "encounters",
                )
            )
            return self._answer_of("trend", query, text, shown, tuple(derived), ())
        shown = tuple(
            Fact(f.metric, f.partner, f.period, f.value, f.unit, f.source_id, label) for f in facts
        )
        derived.append(Derived("sum", total, f"{len(facts)} months", "encounters"))
        return self._answer_of("trend", query, text, shown, tuple(derived), ())

    def _seizures(self, query: Query, text: str) -> Answer:
        first, last = self.store.coverage.seizure_months
        start, end = self._months(query.period, first, last, "CBP drug seizure data")
        fact = self.store.seizures(query.drug, start, end)
        if fact is None:
            raise NoData("Seizure data are missing for part of that period.")
        label = (query.drug or "all drugs").capitalize()
        shown = Fact(
            fact.metric, fact.partner, fact.period, fact.value, fact.unit, fact.source_id, label
        )
        derived = (Derived("kg", fact.value * KG_PER_LB, "in kilograms", "kg"),)
        claims = self._related_claims("seizures", "seizures", (query.drug,), fact.period)
        return self._answer_of("lookup", query, text, (shown,), derived, claims)

    def _months(
        self, period: Period | None, first: tuple[int, int], last: tuple[int, int], what: str
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Resolve a period to an inclusive month range within the coverage of a monthly series."""
        coverage = (
            f"{what} in the store run from {MONTHS[first[1] - 1]} {first[0]}"
            f" to {MONTHS[last[1] - 1]} {last[0]}."
        )
        if period is None or period.kind == "latest":
            return last, last
        if period.kind == "ytd":
            year = period.start[0] if period.start else last[0]
            return self._months(Period("months", (year, 1), (year, last[1])), first, last, what)
        assert period.start is not None  # every other kind has a start
        if period.kind == "month":
            start = end = period.start
        elif period.kind == "year":
            start, end = (period.start[0], 1), (period.start[0], 12)
        elif period.kind == "since":
            start, end = period.start, last
        else:
            start, end = period.start, period.end or last
        if start < first or end > last or start > end:
            if period.kind in ("year", "years", "since") and start <= last and end >= first:
                return max(start, first), min(end, last)
            raise NoData(coverage)
        return start, end

    # --- shared -------------------------------------------------------------------------

    def _answer_of(
        self,
        kind: Any,
        query: Query,
        text: str,
        facts: tuple[Fact, ...],
        derived: tuple[Derived, ...],
        claims: tuple[ClaimCheck, ...],
    ) -> Answer:
        source_ids = {f.source_id for f in facts} | {s for c in claims for s in c.source_ids}
        notes = tuple(
            dict.fromkeys(f"{f.label or f.partner} {f.period}: {f.note}" for f in facts if f.note)
        )
        return Answer(
            kind=kind,
            understood=self._understood(query),
            question=text,
            facts=facts,
            derived=derived,
            sources=self._sources(source_ids),
            claims=claims,
            notes=notes,
        )

    def _sources(self, ids: set[str]) -> tuple[Any, ...]:
        return tuple(self.store.sources[i] for i in sorted(ids) if i in self.store.sources)

    def _name(self, code: str) -> str:
        country = self.store.countries.get(code)
        return country.name if country else code

    def _unknown_partner(self, word: str) -> str:
        close = ", ".join(self.index.suggest(word))
        return f"No trade partner called “{word}” in the Census data. Closest names: {close}."

    def _understood(self, query: Query) -> str:
        """What was understood, in words (never echoes the user's text)."""
        names = " and ".join(self._name(p) for p in query.partners) or (
            "a partner I don't know" if query.unknown else "all partners"
        )
        when = _period_words(query.period)
        if query.op == "help":
            return "a request for help"
        if query.metric in METRIC_WORDS:
            what = f"{METRIC_WORDS[query.metric]} {names}"
            if query.per_capita:
                what += ", per person"
            if query.op == "rank":
                what = f"the top {query.top_n} U.S. {_market_word(query.metric)}"
            elif query.op == "rank_of":
                what = f"where {names} ranks among U.S. {_market_word(query.metric)}"
            elif query.op == "compare":
                what += ", compared"
            elif query.op == "share":
                what += ", as a share of all partners"
            return f"{what}, {when}"
        if query.metric == "encounters":
            return f"{SERIES_WORDS[query.partners[0]]}, {when}"
        if query.metric == "seizures":
            return f"CBP seizures of {query.drug or 'all drugs'}, {when}"
        if query.metric == "population":
            return f"population of {names}, {when}"
        return "your question"

    def _not_understood(self, text: str) -> Answer:
        too_long = len(text) > 500
        reason = (
            "That is longer than a question I can read (500 characters at most)."
            if too_long
            else "I could not tell which figure you are asking for."
        )
        return Answer(
            kind="not_understood",
            understood="nothing I can look up",
            question=text,
            reason=reason
            + " Ask for a trade flow, a partner and a period, a border or seizure figure,"
            " or a claim.",
            suggestions=EXAMPLES[:3],
        )


def _with_question(answer: Answer, text: str) -> Answer:
    return Answer(
        answer.kind,
        answer.understood,
        text,
        answer.facts,
        answer.derived,
        answer.sources,
        answer.claims,
        answer.reason,
        answer.suggestions,
        answer.notes,
    )


def _growth(first: Fact, last: Fact) -> list[Derived]:
    years = int(last.period) - int(first.period)
    out = (
        [
            Derived(
                "change_pct",
                (last.value - first.value) / abs(first.value) * HUNDRED,
                f"{first.period} to {last.period}",
                "%",
            )
        ]
        if first.value
        else []
    )
    if first.value > 0 and last.value > 0 and years > 0:
        cagr = (float(last.value) / float(first.value)) ** (1 / years) - 1
        out.append(
            Derived(
                "cagr_pct",
                Decimal(repr(cagr * 100)),
                f"a year on average, {first.period}–{last.period}",
                "%",
            )
        )
    return out


def _month_name(period: str) -> str:
    return MONTHS[int(period[5:7]) - 1]


def _market_word(metric: str) -> str:
    return {
        "exports": "export markets",
        "imports": "import suppliers",
        "total": "trading partners",
    }.get(metric, "partners")


def _period_words(period: Period | None) -> str:
    if period is None:
        return "latest available"
    if period.kind == "latest":
        return "latest full year" if period.end == (0, 0) else "latest month available"
    assert period.start is not None or period.kind == "ytd"
    if period.kind == "year" and period.start:
        return str(period.start[0])
    if period.kind == "month" and period.start:
        return f"{MONTHS[period.start[1] - 1]} {period.start[0]}"
    if period.kind == "years" and period.start and period.end:
        return f"{period.start[0]}–{period.end[0]}"
    if period.kind == "since" and period.start:
        month = f"{MONTHS[period.start[1] - 1]} " if period.start[1] != 1 else ""
        return f"since {month}{period.start[0]}"
    if period.kind == "ytd":
        return f"year to date{' ' + str(period.start[0]) if period.start else ''}"
    return "that period"


def _anchors(
    check: dict[str, Any] | None, context: tuple[dict[str, Any], ...]
) -> list[tuple[str, str, set[str], str]]:
    """(op, metric, partners, period) of the expressions a claim measures."""
    exprs: list[dict[str, Any]] = []
    if check:
        exprs.append(check["left"])
        if isinstance(check.get("right"), dict):
            exprs.append(check["right"])
    exprs += [c["expr"] for c in context if c.get("anchor")]
    out = []
    for expr in exprs:
        op = expr["op"]
        if op == "ratio":
            parts = (expr["numerator"], expr["denominator"])
            out.append(
                (
                    "ratio",
                    parts[0]["metric"],
                    {p["partner"] for p in parts},
                    str(parts[0]["period"]),
                )
            )
        elif op in ("lookup", "rank"):
            out.append((op, expr["metric"], {expr["partner"]}, str(expr["period"])))
        elif op in ("sum", "per_capita"):
            out.append((op, expr["metric"], set(expr["partners"]), str(expr["period"])))
        elif op == "ranked_sum":
            out.append((op, expr["metric"], set(), str(expr["period"])))
        elif op in ("change_vs_average", "low_rank_since"):
            out.append((op, "encounters", {expr["series"]}, str(expr["period"])))
        elif op == "series_sum" and "drug" in expr:
            out.append((op, "seizures", {expr["drug"]}, f"{expr['from']}..{expr['to']}"))
        elif op == "series_sum":
            out.append((op, "encounters", {expr["series"]}, f"{expr['from']}..{expr['to']}"))
    return out


def _overlaps(a: str, b: str) -> bool:
    a0, a1 = (a.split("..") + [a])[:2]
    b0, b1 = (b.split("..") + [b])[:2]
    return a0 <= b1 and b0 <= a1


_ANSWERERS: dict[int, Answerer] = {}
_ANSWERERS_LOCK = threading.Lock()


def answerer_for(store: FactStore) -> Answerer:
    """The Answerer of a store, made once per store object."""
    with _ANSWERERS_LOCK:
        answerer = _ANSWERERS.get(id(store))
        if answerer is None or answerer.store is not store:
            answerer = _ANSWERERS[id(store)] = Answerer(store)
        return answerer


def ask(store: FactStore, text: str) -> Answer:
    """Parse text, look up the facts, compute extras and claim verdicts: one Answer."""
    return answerer_for(store).ask(text)
