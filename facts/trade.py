"""Trade answers: one partner, a comparison, a sum, a share, the world total, per person."""

from __future__ import annotations

from decimal import Decimal

from facts.base import AnswerBase, NoData
from facts.model import Answer, Derived, Fact, Period, Query
from facts.words import HUNDRED, MONTHS, market_word

FLOWS = ("exports", "imports")


class TradeAnswers(AnswerBase):
    """Answers about U.S. goods trade with named partners or with the world."""

    def _months_sum(
        self, metric: str, partner: str, start: tuple[int, int], end: tuple[int, int]
    ) -> Fact | None:
        """Trade over consecutive months of one year: a quarter, a half."""
        year = start[0]
        months = [
            self.store.trade_month(metric, partner, year, m) for m in range(start[1], end[1] + 1)
        ]
        if any(m is None for m in months):
            latest = self.store.coverage.trade_latest_month
            raise NoData(
                f"Monthly trade data end in {MONTHS[latest[1] - 1]} {latest[0]}; that period is"
                " not complete."
            )
        total = sum((m.value for m in months if m), Decimal(0))
        period = f"{year}-{start[1]:02d}..{year}-{end[1]:02d}"
        source = months[0].source_id if months[0] else ""
        return Fact(metric, partner, period, total, "USD", source, self._name(partner))

    def _compare_years(self, query: Query, text: str) -> Answer:
        assert query.period and query.period.start and query.period.end
        partner = query.partners[0] if query.partners else ""
        years = (query.period.start[0], query.period.end[0])
        facts = tuple(
            self._trade_fact(query.metric, partner, Period("year", (y, 1)))
            if partner
            else self._world_fact(query.metric, str(y))
            for y in years
        )
        first, second = facts
        derived = [
            Derived("difference", second.value - first.value, f"{years[1]} − {years[0]}", "USD")
        ]
        if first.value:
            change = (second.value - first.value) / abs(first.value) * HUNDRED
            derived.append(Derived("change_pct", change, f"from {years[0]} to {years[1]}", "%"))
        return self._answer_of("compare", query, text, facts, tuple(derived), ())

    def _trade(self, query: Query, text: str) -> Answer:
        partners = query.partners
        if query.op == "compare_years":
            return self._compare_years(query, text)
        if query.per_capita:
            return self._per_capita(query, text)
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
            if query.metric in ("balance", "total"):
                # A balance or a total is read with the two flows it is made of.
                partner = partners[0]
                facts += tuple(self._trade_fact(m, partner, query.period) for m in FLOWS)
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
        elif period.kind == "months" and period.start and period.end:
            fact = self._months_sum(metric, partner, period.start, period.end)
        else:
            raise NoData("Ask for one year, a month or a range such as 2015-2024.")
        if fact is None:
            raise NoData(
                f"The Census data have no {metric} figure for {self._name(partner)} in that"
                " period (it may not have been a separate partner then)."
            )
        return fact

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
                        f"among U.S. {market_word(metric)}, {fact.period}",
                    )
                ]
        return []

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
            facts += [trade, people]
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
