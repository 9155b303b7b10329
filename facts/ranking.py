"""Ranking and trend answers: top partners, where a partner ranks, a series over years."""

from __future__ import annotations

from decimal import Decimal

from facts.base import AnswerBase, NoData
from facts.model import Answer, Derived, Fact, Period, Query
from facts.words import HUNDRED, market_word


class RankingAnswers(AnswerBase):
    """Answers that order partners or follow one over time."""

    def _rank(self, query: Query, text: str) -> Answer:
        metric = query.metric if query.metric in ("exports", "imports", "total") else "exports"
        year = self._year_of(query.period)
        ranking = self.store.ranking(metric, year)
        if not ranking:
            raise NoData(f"No ranking for {year}.")
        top = tuple(f for f in ranking[: query.top_n])
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
        facts = [fact]
        derived = [
            Derived(
                "rank",
                Decimal(position),
                f"among {len(ranking)} U.S. {market_word(metric)}, {year}",
            )
        ]
        if position > 1:
            above = ranking[position - 2]
            facts.append(above)
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
            facts.append(below)
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

    def _trend(self, query: Query, text: str) -> Answer:
        start, end = self._year_range(query.period, *self.store.coverage.trade_years)
        partner = query.partners[0]
        facts = []
        for year in range(start, end + 1):
            fact = self.store.trade_year(query.metric, partner, year)
            if fact is not None and not fact.note:
                facts.append(fact)
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
