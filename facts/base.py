"""AnswerBase: the state and helpers every kind of answer shares (store, names, claims)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from facts.claims import check_claim
from facts.model import Answer, ClaimCheck, Derived, Fact, Period, Query, Source
from facts.parse import ClaimIndex, CountryIndex
from facts.related import measures, related_claims
from facts.store import FactStore
from facts.words import (
    METRIC_WORDS,
    MONTHS,
    SERIES_WORDS,
    figure_period_words,
    market_word,
    period_words,
)


class NoData(Exception):
    """The question was understood but the store has no figure for it."""

    def __init__(self, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason, self.suggestions = reason, suggestions


class AnswerBase:
    """The store, its reference data and claim verdicts, and helpers the answer mixins share."""

    def __init__(self, store: FactStore) -> None:
        self.store = store
        countries = store.countries
        self.index = CountryIndex(
            (c.code, c.kind, (c.name, c.name_es, c.census_name, *c.aliases))
            for c in countries.values()
        )
        self.checks = {c.id: check_claim(store, c) for c in store.claims}
        self.claim_measures = measures(store.claims)
        self.claim_index = ClaimIndex((c.id, c.number, c.topic, c.keywords) for c in store.claims)

    def _related_claims(
        self, kind: str, metric: str, partners: tuple[str, ...], period: str
    ) -> tuple[ClaimCheck, ...]:
        """Claims whose check (or anchored context) measures the same thing as the answer."""
        ids = related_claims(self.claim_measures, metric, partners, period, kind)
        return tuple(self.checks[i] for i in ids)

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

    def _answer_of(
        self,
        kind: Any,
        query: Query,
        text: str,
        facts: tuple[Fact, ...],
        derived: tuple[Derived, ...],
        claims: tuple[ClaimCheck, ...],
    ) -> Answer:
        # The data's sources first, in the order of the figures; then those of the claims.
        source_ids = [f.source_id for f in facts] + [s for c in claims for s in c.source_ids]
        return Answer(
            kind=kind,
            understood=self._understood(query, facts[0].period if facts else ""),
            question=text,
            facts=facts,
            derived=derived,
            sources=self._sources(source_ids),
            claims=claims,
        )

    def _sources(self, ids: Iterable[str]) -> tuple[Source, ...]:
        """The sources of these ids, each once, in order; the op-ed last."""
        unique = sorted(dict.fromkeys(ids), key=lambda i: self.store.sources[i].url is None)
        return tuple(self.store.sources[i] for i in unique if i in self.store.sources)

    def _name(self, code: str) -> str:
        country = self.store.countries.get(code)
        return country.name if country else code

    def _understood(self, query: Query, resolved: str = "") -> str:
        """What was understood, in words (never echoes the user's text).

        `resolved` is the period the answer settled on when the question named none.
        """
        names = " and ".join(self._name(p) for p in query.partners) or (
            "a partner I don't know" if query.unknown else "all partners"
        )
        when = period_words(query.period)
        if query.period is None and resolved:
            when = f"{figure_period_words(resolved)} (the latest in the data)"
        if query.op == "help":
            return "a request for help"
        if query.op == "claim":
            return "a claim the op-ed does not make (there is no such number)"
        if query.op == "unsupported":
            return f"{query.metric}, which the store does not hold"
        if query.op == "third_country":
            return f"trade between {names}, not with the U.S."
        if query.metric in METRIC_WORDS:
            what = f"{METRIC_WORDS[query.metric]} {names}"
            if query.per_capita:
                what += ", per person"
            if query.op == "rank":
                what = f"the top {query.top_n} U.S. {market_word(query.metric)}"
            elif query.op == "rank_of":
                what = f"where {names} ranks among U.S. {market_word(query.metric)}"
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
