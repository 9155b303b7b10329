"""Answer a question from the fact store: parse, look up, compute extras, attach claim verdicts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from facts.base import NoData
from facts.border import BorderAnswers
from facts.claims import as_asked
from facts.model import Answer, AnswerKind, Query
from facts.parse import parse_question
from facts.ranking import RankingAnswers
from facts.restate import restated
from facts.store import FactStore
from facts.trade import TradeAnswers

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


class Answerer(TradeAnswers, RankingAnswers, BorderAnswers):
    """Answers questions over one store; holds the reference data and claim verdicts in memory."""

    CACHE_SIZE = 2048

    def __init__(self, store: FactStore) -> None:
        super().__init__(store)
        # Facts change only when the store is rebuilt (a new store means a new Answerer), so an
        # answer can be cached by its normalised question.
        self._cache: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def ask(self, text: str) -> Answer:
        """One Answer for a question; never raises for any input."""
        key = cache_key(text)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            return cached if cached.question == text else replace(cached, question=text)
        answer = self._answer(text)
        with self._lock:
            self._cache[key] = answer
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def _answer(self, text: str) -> Answer:
        query = parse_question(text, self.index, self.claim_index)
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
        if claim_id := restated(self.claim_measures, query, text):
            return self._claims(Query("claim", claim_ids=(claim_id,)), text)
        if query.op == "unsupported":
            raise NoData(
                f"The store has no {query.metric} figures. It holds U.S. goods trade by partner"
                " (exports, imports, balance, total, per person), population, CBP encounters and"
                " CBP drug seizures.",
                (
                    "mexico exports 2024",
                    "population of mexico 2024",
                    "nationwide encounters latest",
                ),
            )
        if query.op == "third_country":
            raise NoData(
                "The Census data are U.S. trade with each partner; trade between two other"
                " countries is not in the store.",
                tuple(f"{self._name(p).lower()} exports 2024" for p in query.partners[:2]),
            )
        if query.metric == "encounters":
            return self._encounters(query, text)
        if query.metric == "seizures":
            return self._seizures(query, text)
        if query.metric == "population":
            return self._population(query, text)
        if query.op == "rank":
            return self._rank(query, text)
        if query.op == "compare_years" and not query.partners:
            return self._compare_years(query, text)
        if not query.partners:
            if query.unknown:
                raise NoData(
                    self._unknown_partner(query.unknown[0]),
                    (f"{query.metric} mexico 2024", "top 10 export markets 2024", "help"),
                )
            return self._world(query, text)
        if query.op == "trend" and not query.per_capita:
            return self._trend(query, text)
        if query.op == "rank_of" and not query.per_capita:
            return self._rank_of(query, text)
        return self._trade(query, text)

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
            checks = tuple(as_asked(self.checks[c], text) for c in query.claim_ids)
            understood = (
                "the op-ed's claim" + ("s" if len(checks) > 1 else "") + " about " + checks[0].topic
            )
        sources = self._sources(sorted({s for c in checks for s in c.source_ids}))
        kind: AnswerKind = "claims" if query.op == "claims" else "claim"
        return Answer(
            kind=kind, understood=understood, question=text, claims=checks, sources=sources
        )

    def _unknown_partner(self, word: str) -> str:
        close = ", ".join(self.index.suggest(word))
        return f"No trade partner called “{word}” in the Census data. Closest names: {close}."

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


def cache_key(text: str) -> str:
    """What answers are cached by: the question with case and spacing folded (up to 500 chars)."""
    return text if len(text) > 500 else " ".join(text.split()).lower()


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
