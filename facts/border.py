"""Border and people answers: CBP encounters, drug seizures, population."""

from __future__ import annotations

from decimal import Decimal

from facts.base import AnswerBase, NoData
from facts.claims import KG_PER_LB
from facts.model import Answer, Derived, Fact, Period, Query
from facts.words import HUNDRED, MONTHS, SERIES_WORDS, month_name


class BorderAnswers(AnswerBase):
    """Answers from the monthly CBP series and World Bank population."""

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
            facts.append(fact)
        return self._answer_of(
            "lookup" if len(facts) == 1 else "compare", query, text, tuple(facts), (), ()
        )

    def _encounters(self, query: Query, text: str) -> Answer:
        series = query.partners[0]
        (first, last) = self.store.coverage.encounter_months[series]
        if query.op == "trend" and query.period is None:
            # "encounters trend": the last twelve months, month by month
            query = Query(
                "trend", query.metric, query.partners, Period("since", _months_before(last, 11))
            )
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
            shown: tuple[Fact, ...] = (fact,)
            claims = self._related_claims("lookup", "encounters", (series,), fact.period)
            return self._answer_of("lookup", query, text, shown, tuple(derived), claims)
        total = sum((f.value for f in facts), Decimal(0))
        if len(facts) > 12:  # more than a year: one line a year
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
                    "" if len(fs) == 12 else f"{_span(fs[0].period, fs[-1].period)} only",
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
        shown = tuple(f for f in facts)
        derived.append(Derived("sum", total, f"{len(facts)} months", "encounters"))
        return self._answer_of("trend", query, text, shown, tuple(derived), ())

    def _seizures(self, query: Query, text: str) -> Answer:
        first, last = self.store.coverage.seizure_months
        start, end = self._months(query.period, first, last, "CBP drug seizure data")
        fact = self.store.seizures(query.drug, start, end)
        if fact is None:
            raise NoData("Seizure data are missing for part of that period.")
        derived = (Derived("kg", fact.value * KG_PER_LB, "in kilograms", "kg"),)
        claims = self._related_claims("seizures", "seizures", (query.drug,), fact.period)
        return self._answer_of("lookup", query, text, (fact,), derived, claims)

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


def _span(first: str, last: str) -> str:
    return month_name(first) if first == last else f"{month_name(first)}–{month_name(last)}"


def _months_before(month: tuple[int, int], count: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 - count
    return index // 12, index % 12 + 1
