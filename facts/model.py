"""The small frozen values that flow from the store to the renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Verdict = Literal["supported", "roughly", "not_supported", "unverifiable"]
AnswerKind = Literal[
    "lookup",
    "compare",
    "sum",
    "rank",
    "trend",
    "share",
    "claim",
    "claims",
    "help",
    "not_understood",
    "no_data",
]


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: one entry of data/sources.yaml."""

    id: str
    title: str
    publisher: str
    url: str | None
    coverage: str
    units: str
    basis: str
    license: str
    obtained: str
    caveats: str = ""
    url_note: str = ""


@dataclass(frozen=True)
class Fact:
    """One figure from the store, in base units (USD, people, encounters, lb)."""

    metric: str  # "exports" = what the partner buys from the U.S.
    partner: str  # ISO3 "MEX", an aggregate id "EU", or a series id "nationwide"
    period: str  # "2024", "2025-03", "2026-01..2026-08"
    value: Decimal
    unit: str  # "USD", "people", "encounters", "lb", "USD per person"
    source_id: str
    label: str = ""  # human name of the partner or series: "Mexico"
    note: str = ""  # e.g. "January–August only"


@dataclass(frozen=True)
class Derived:
    """A number computed from facts: a ratio, a change, a rank, a share."""

    name: str  # "ratio", "change_pct", "cagr_pct", "rank", "share_pct", "gap"
    value: Decimal
    label: str  # "Mexico ÷ China"
    unit: str = ""  # "x", "%", "USD", ""


@dataclass(frozen=True)
class ClaimCheck:
    """One op-ed claim and what the store says about it."""

    id: str
    number: int
    topic: str
    paraphrase: str
    verdict: Verdict
    stated: Decimal | None
    stated_text: str
    computed: Decimal | None
    computed_text: str
    explanation: str
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """Everything a renderer needs to show one reply."""

    kind: AnswerKind
    understood: str
    question: str = ""
    facts: tuple[Fact, ...] = ()
    derived: tuple[Derived, ...] = ()
    sources: tuple[Source, ...] = ()
    claims: tuple[ClaimCheck, ...] = ()
    reason: str = ""  # why there is no answer (no_data, not_understood)
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
