"""The operation table: one function per kind of question (see STYLE.md, section 11)."""

from __future__ import annotations

from collections.abc import Callable

from facts.context import Context
from facts.model import Answer, Op, Query
from facts.ops.check import check
from facts.ops.claim import claim, claims
from facts.ops.compare import compare, compare_periods, total
from facts.ops.extreme import extreme
from facts.ops.lookup import lookup
from facts.ops.rank import rank, rank_of
from facts.ops.refuse import help_answer, refuse
from facts.ops.share import share
from facts.ops.trend import trend

ANSWER: dict[Op, Callable[[Query, Context], Answer]] = {
    Op.HELP: help_answer,
    Op.CLAIMS: claims,
    Op.CLAIM: claim,
    Op.LOOKUP: lookup,
    Op.COMPARE: compare,
    Op.COMPARE_PERIODS: compare_periods,
    Op.SUM: total,
    Op.SHARE: share,
    Op.RANK: rank,
    Op.RANK_OF: rank_of,
    Op.TREND: trend,
    Op.EXTREME: extreme,
    Op.REFUSE: refuse,
    Op.CHECK: check,
}
