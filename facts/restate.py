"""Find the op-ed claim a yes/no question restates in its own words.

A question the parser read as a data question ("is it true Mexico purchases 2.3x what China
does?") may restate an op-ed claim in new words. It does when it states a claim's figure, or asks
plainly whether something is true, and facts.related.restated_claims finds a claim with the same
metric, partners and period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from facts.context import Context
from facts.model import Op, Period, Query
from facts.parse import parse_question
from facts.patterns import CLAIM_NUMBER, VERIFY
from facts.related import Measure, overlaps, restated_claims
from facts.vocabulary import ClaimIndex, normalise

_DATA_OPS = frozenset({Op.LOOKUP, Op.COMPARE, Op.SUM, Op.SHARE, Op.RANK_OF, Op.TREND, Op.EXTREME})
# Asking whether something is true, in so many words (not a bare "does ...?", which asks data).
_TRUE = re.compile(
    r"\b(is it true|true that|really|fact[- ]?check|verify|es (cierto|verdad)|de verdad)\b"
)
# The words a refused yes/no question may have left unused: "true", "really", "2.3x", "90%".
_CHECKING = re.compile(
    r"true|really|truly|fact|check|verify|cierto|verdad|times|veces|\d[\d,]*(\.\d+)?(x|%)?"
)
# Refusals for a qualifier no claim measures (a claim about jobs or GDP is refused "unsupported"
# as data, but the claim itself says why it cannot be checked).
_QUALIFIERS = frozenset(
    {"product", "us_state", "port", "removals", "services", "currency", "nationality",
     "third_country", "unknown_partner"}
)  # fmt: skip
_NO_CLAIMS = ClaimIndex(())
_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s*(trillion|billion|bn|million|thousand"
    r"|mil millones|millones))?(?=x\b|[^\w.]|\.(?!\d)|$)"
)
_SCALE = {
    "trillion": Decimal("1e12"),
    "billion": Decimal("1e9"),
    "bn": Decimal("1e9"),
    "mil millones": Decimal("1e9"),
    "million": Decimal("1e6"),
    "millones": Decimal("1e6"),
    "thousand": Decimal("1e3"),
}


def as_claim(ctx: Context, query: Query, text: str) -> Query:
    """The query the question asks, checked against the op-ed's claims.

    A data question that restates a claim becomes that claim's CLAIM query. A claim recognised by
    its keywords stays one only if the question, read as a data question, asks nothing the claim
    does not measure: "… 2.3 times more corn than China?" is about corn, and "… 335 billion in
    2025?" about 2025, not the 2024 claim. A CLAIM query carries the question's words: they may
    ask for one reading of the claim.
    """
    words = tuple(normalise(text).split())
    if query.op == Op.CLAIM:
        if not CLAIM_NUMBER.search(" ".join(words)):
            data = parse_question(text, ctx.names, _NO_CLAIMS)
            if data is not None and (
                _asks_more(ctx.measures, data, query.claim_ids) or _asks_data(data, words)
            ):
                return _as_data(data)
        return replace(query, words=query.words or words)
    if claim_id := restated(ctx.measures, query, text):
        return Query(Op.CLAIM, claim_ids=(claim_id,), words=words)
    return query


def _asks_more(known: Sequence[Measure], data: Query, claim_ids: tuple[str, ...]) -> bool:
    """Whether a question, read as data, names a qualifier or a period its claims don't measure."""
    if not data.metric:
        return False
    if data.op == Op.REFUSE and data.refusal in _QUALIFIERS:
        return True
    if data.op == Op.REFUSE and not _only_checking(data):
        return False  # the data reading missed words the claim understood ("below average")
    period = _period(data.period)
    periods = [m.period for m in known if m.claim_id in claim_ids]
    return bool(period and periods) and not any(overlaps(p, period) for p in periods)


def _asks_data(data: Query, words: tuple[str, ...]) -> bool:
    """A plain data question ("does mexico buy more than china 2024?"): no figure, no "is it
    true"; the claims measuring the same thing are shown beside its answer."""
    norm = " ".join(words)
    plain = data.op in (Op.LOOKUP, Op.COMPARE, Op.SUM) and bool(data.partners)
    return plain and stated_number(norm) is None and not _TRUE.search(norm)


def _as_data(data: Query) -> Query:
    """A data question refused only for its "is it true …" words, asked plainly."""
    if data.op != Op.REFUSE or not _only_checking(data):
        return data
    op = Op.COMPARE if len(data.partners) >= 2 else Op.LOOKUP
    return replace(data, op=op, refusal="", not_used=())


def restated(known: Sequence[Measure], query: Query, text: str) -> str | None:
    """The id of the claim a data question restates, or None if it asks for data."""
    if not query.metric or not query.partners:
        return None
    if query.op not in _DATA_OPS and not _only_checking(query):
        return None
    if query.not_used and not _only_checking(query):
        return None
    norm = normalise(text)
    number = stated_number(norm)
    # A stated figure in a yes/no question, or a plain "is it true ...?".
    if not (_TRUE.search(norm) or (number is not None and VERIFY.search(norm))):
        return None
    op = "per_capita" if query.per_capita else str(query.op)
    if query.op == Op.EXTREME:
        op = "highest" if query.extreme == "max" else "lowest"
    period = _period(query.period)
    found = restated_claims(known, query.metric, query.partners, period, number, op=op)
    if not found:
        return None
    stated = next(m.stated for m in known if m.claim_id == found[0])
    if number is not None and stated is None and not _TRUE.search(norm):
        return None  # a figure, but not one the claim states
    return found[0]


def _only_checking(query: Query) -> bool:
    """A question refused only for the words that ask whether a figure is true, or the figure."""
    return (
        query.op == Op.REFUSE
        and query.refusal == "unknown_word"
        and all(_CHECKING.fullmatch(w) for w in query.not_used)
    )


def stated_number(norm: str) -> Decimal | None:
    """The first figure a normalised question states, in base units; years are not figures."""
    for match in _NUMBER.finditer(norm):
        digits, scale = match.group(1).replace(",", ""), match.group(2)
        if not scale and re.fullmatch(r"(19|20)\d\d", digits):
            continue
        return Decimal(digits) * _SCALE.get(scale or "", Decimal(1))
    return None


def _period(period: Period | None) -> str:
    """A Query's period as a figure's period string ("" when it names none)."""
    if period is None or period.start is None or period.kind in ("latest", "ytd", "pair"):
        return ""
    first = (
        f"{period.start[0]}"
        if period.kind == "year"
        else f"{period.start[0]}-{period.start[1]:02d}"
    )
    if period.kind in ("year", "month"):
        return first
    if period.kind == "since" or period.end is None:
        return f"{period.start[0]}-{period.start[1]:02d}..9999-12"
    return f"{period.start[0]}-{period.start[1]:02d}..{period.end[0]}-{period.end[1]:02d}"
