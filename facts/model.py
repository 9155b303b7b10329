"""The small frozen values that flow from the store to the renderer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from facts.check import TextCheck

Verdict = Literal["supported", "roughly", "not_supported", "unverifiable"]
ChartKind = Literal["", "line", "bar"]
Lang = Literal["en", "es"]  # the language of the question, and so of the answer
AnswerKind = Literal[
    "lookup",
    "compare",
    "sum",
    "rank",
    "trend",
    "share",
    "extreme",
    "claim",
    "claims",
    "changes",
    "help",
    "not_understood",
    "no_data",
    "check",
]


class NoData(Exception):
    """The question was understood but the store has no figure for it."""

    def __init__(self, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason, self.suggestions = reason, suggestions


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
    basis: str = ""  # which basis the figure is on, when a source has more than one
    dimension: str = ""  # the cut below the partner: "state:TX", "mode:truck", "citizenship:MEX"


@dataclass(frozen=True)
class Derived:
    """A number computed from facts: a ratio, a change, a rank, a share."""

    name: str  # "ratio", "change_pct", "cagr_pct", "rank", "share_pct", "gap"
    value: Decimal
    label: str  # "Mexico ÷ China"
    unit: str = ""  # "x", "%", "USD", ""
    shown: bool = True  # False when the answer's takeaway already says it in words


@dataclass(frozen=True)
class Reading:
    """One reasonable reading of a claim's wording, checked on its own."""

    id: str  # "export-markets"
    label: str  # what the words are taken to mean, in words
    verdict: Verdict
    computed: Decimal | None  # what the store gives for the quantity, in `unit`
    unit: str
    compared_to: Decimal | None = None  # the other side, when the reading compares two figures
    difference_pct: Decimal | None = None  # (computed - compared) / compared, in %
    tolerance: str = ""  # the rule behind the verdict, in words
    note: str = ""  # what the data show beside the verdict ("July 2025 was lower since")
    words: tuple[str, ...] = ()  # words of a question that ask for this reading ("markets")


@dataclass(frozen=True)
class ClaimCheck:
    """One op-ed claim and what the store says about it (verdict computed, never stored)."""

    id: str
    number: int
    topic: str
    paraphrase: str
    verdict: Verdict
    stated: Decimal | None  # the op-ed's figure, in `unit`
    stated_text: str  # how the op-ed put it: "$335 billion"
    unit: str  # unit of stated and computed: "USD", "x", "%", "rank", "USD per person"
    computed: Decimal | None  # what the store gives for the same quantity
    compared_to: Decimal | None = None  # the other side, when the claim compares two figures
    difference_pct: Decimal | None = None  # (computed - stated) / stated, in %
    why: str = ""  # why the store cannot check it
    context: tuple[Derived, ...] = ()  # related figures shown with the verdict
    source_ids: tuple[str, ...] = ()
    tolerance: str = ""  # the rule behind the verdict, in words ("within ±2% counts as ...")
    note: str = ""  # what the data show beside the verdict (the headline reading's note)
    # Every reading, when the wording allows more than one; the verdict, figures, tolerance and
    # note above are those of the reading `headline`, chosen for the reason `headline_why`.
    readings: tuple[Reading, ...] = ()
    headline: str = ""
    headline_why: str = ""


class Op(StrEnum):
    """What a question asks for; decided once, by the parser (facts.parse)."""

    HELP = "help"
    CLAIMS = "claims"  # every op-ed claim with its verdict
    CLAIM = "claim"  # one claim, by number, topic or restatement
    LOOKUP = "lookup"  # one figure: a partner or series, one period
    COMPARE = "compare"  # two or more partners or series side by side (ratio, difference)
    COMPARE_PERIODS = "compare_periods"  # one figure in two periods ("2020 vs 2024")
    SUM = "sum"  # partners added up
    SHARE = "share"  # partners' part of all partners
    RANK = "rank"  # the top N partners
    RANK_OF = "rank_of"  # where one partner ranks
    TREND = "trend"  # a figure over a range of years or months
    EXTREME = "extreme"  # a record: the highest or lowest month or year, or partner
    REFUSE = "refuse"  # understood, but the store cannot honour every word of it
    CHANGES = "changes"  # what the latest Census release added and revised
    CHECK = "check"  # every figure of a text, checked against the store (facts.check)


@dataclass(frozen=True)
class Period:
    """A period as asked: a year, a month, a span of months, a fiscal year, a range, latest."""

    kind: Literal[
        "year", "month", "years", "months", "ytd", "latest", "since", "pair", "fiscal", "fytd"
    ]
    start: tuple[int, int] | None = None  # (year, month); month 1 for years; fiscal: (FY, 10)
    end: tuple[int, int] | None = None


@dataclass(frozen=True)
class Query:
    """A question, understood: an operation over a metric, partners and a period.

    `words` are the words of the question the parser used; `not_used` those it could not honour
    (an operation of REFUSE names them, with `refusal` saying which kind of qualifier they are).
    """

    op: Op
    metric: str = ""  # exports | imports | balance | total | population | encounters | seizures
    partners: tuple[str, ...] = ()  # country codes, or one encounter series
    period: Period | None = None
    per_capita: bool = False
    top_n: int = 10
    drug: str = ""
    claim_ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # words that looked like a place but are not a known partner
    extreme: Literal["", "max", "min"] = ""  # EXTREME: the highest or the lowest
    over: Literal["", "months", "years", "partners"] = ""  # EXTREME: what is compared
    refusal: str = ""  # REFUSE: product, us_state, port, unsupported, third_country, ...
    not_used: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    lang: Lang = "en"
    text: str = ""  # CHECK: the text whose figures are checked
    # Border dimensions (facts.parse_border, answered by facts.ops.border): "state", "port",
    # "mode", "commodity", "mexstate" (TransBorder), "duties", "citizenship"; "refuse" for what
    # the border data cannot serve (with `refusal` and `not_used`); "" = a question by partner.
    dimension: str = ""
    keys: tuple[str, ...] = ()  # U.S. state codes, port codes, modes, groups, citizenships
    mode: str = ""  # a transport mode narrowing a U.S.-state or port question


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
    headline: str = ""  # the answer in one line, plain text (escaped by the renderer)
    related: tuple[Fact, ...] = ()  # context figures that do not answer the question
    not_used: tuple[str, ...] = ()  # words of the question that could not be honoured
    takeaway: str = ""  # one line under the headline: the change, rank, record or verdict
    glance: tuple[Fact, ...] = ()  # for a long list, the figures that fit a glance (else all)
    chart: ChartKind = ""  # the chart that shows the facts: a line over time, or bars
    lang: Lang = "en"  # the language every word of the answer is in
    check: TextCheck | None = None  # CHECK: every statement of the text, checked
