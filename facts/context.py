"""The answering context: one store and what is computed from it once (names, claim verdicts)."""

from __future__ import annotations

from dataclasses import dataclass

from facts.claims import check_claim
from facts.model import ClaimCheck
from facts.parse_border import BorderIndex
from facts.related import Measure, measures
from facts.store import ClaimRow, FactStore
from facts.vocabulary import ClaimIndex, CountryIndex


@dataclass(frozen=True)
class Context:
    """Built once per store and passed to every operation; never changed."""

    store: FactStore
    names: CountryIndex
    claim_index: ClaimIndex
    claims: tuple[ClaimRow, ...]
    checks: dict[str, ClaimCheck]  # claim id -> verdict, computed once
    border: BorderIndex  # U.S. states, Texas ports and Mexican states the store holds
    measures: tuple[Measure, ...]  # what each claim's check measures (facts.related)

    @classmethod
    def build(cls, store: FactStore) -> Context:
        """Index the partner names and compute every claim's verdict (about 70 ms)."""
        names = CountryIndex(
            (c.code, c.kind, (c.name, c.name_es, c.census_name, *c.aliases))
            for c in store.countries.values()
        )
        claims = store.claims
        return cls(
            store=store,
            names=names,
            claim_index=ClaimIndex((c.id, c.number, c.topic, c.keywords) for c in claims),
            claims=claims,
            checks={c.id: check_claim(store, c) for c in claims},
            border=BorderIndex(
                store.border.names["state"],
                store.border.names["port"],
                store.border.names["mexstate"],
            ),  # fmt: skip
            measures=measures(claims),
        )
