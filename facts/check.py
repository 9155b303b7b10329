"""Check the statistical statements of any text against the store.

Each statement found by facts.extract is turned into one or more readings (what it could be
measuring: flow, period, calendar or fiscal year), each computed from the store and compared with
the stated figure at the precision the text uses. A statement that restates one of the op-ed's
stored claims (same computation, same figure) gets that claim's stored check, so both agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from facts import readings_border, readings_trade
from facts.context import Context
from facts.expressions import ClaimDataMissing
from facts.extract import MAX_TEXT, Statement, extract
from facts.model import ClaimCheck, Source, Verdict
from facts.model import Reading as ClaimReading
from facts.readings import CannotCheck, Figures, Reading, Readings
from facts.related import same_measure
from facts.store import ClaimRow, FactStore
from facts.vocabulary import ClaimIndex, CountryIndex

VERDICT_ORDER: tuple[Verdict, ...] = ("supported", "roughly", "not_supported", "unverifiable")
_REASONS = {
    "small business": "The store has no exports by size of exporting firm (Census totals cover"
    " all firms).",
    "value added": "It needs trade in value added (domestic and foreign content of exports, e.g."
    " OECD TiVA); the store holds gross goods trade only.",
    "jobs": "The store has no employment data.",
    "Mexican data": "The store has no Mexican government data; its border and seizure figures"
    " are U.S. CBP's.",
    "services": "The store holds goods trade only (Census basis); no services.",
    "company": "The store has no figures for single companies or their investment.",
    "doses": "The store has no dose figures; they depend on an assumed lethal dose.",
    "product": "The store holds goods trade by partner, not by product.",
    "place": "The store has no figures by state, port or route.",
    "forecast": "A forecast or estimate: the store holds published figures only.",
    "trucks": "The store has no truck or vehicle crossing counts.",
    "gotaways": "The store has no estimates of gotaways (people who crossed without being caught).",
    "tons": "The store has no trade volumes in tons.",
}
_SCOPE_TOPICS = {
    "small business": {"small business"},
    "value added": {"value added"},
    "jobs": {"jobs"},
    "Mexican data": {"border", "fentanyl"},
    "doses": {"fentanyl"},
    "company": {"border"},
    "place": {"border"},
}


@dataclass(frozen=True)
class StatementCheck:
    """A statement of the text and what the store says about it."""

    statement: Statement
    verdict: Verdict
    readings: tuple[Reading, ...]  # the first is the one the verdict rests on; may be empty
    why: str = ""  # why it can't be checked, or which other reading holds
    claim_id: str = ""  # the stored op-ed claim it restates, if any

    @property
    def reading(self) -> Reading | None:
        """The reading the verdict rests on."""
        return self.readings[0] if self.readings else None


@dataclass(frozen=True)
class TextCheck:
    """Every statement of a text, checked (or why the text was not checked)."""

    checks: tuple[StatementCheck, ...]
    sources: tuple[Source, ...]
    length: int
    refused: str = ""  # why nothing was checked: too long, no figure

    def summary(self) -> dict[str, int]:
        """How many statements got each verdict."""
        counts = Counter(c.verdict for c in self.checks)
        return {v: counts.get(v, 0) for v in VERDICT_ORDER}


class Checker:
    """Checks texts against one store, with its partner names and stored claim checks."""

    def __init__(
        self,
        store: FactStore,
        countries: CountryIndex,
        claims: ClaimIndex,
        claim_checks: dict[str, ClaimCheck],
    ) -> None:
        self.store = store
        self.countries = countries
        self.claim_index = claims
        self.claim_checks = claim_checks
        self._claims = {c.id: c for c in store.claims}
        self.figures = Figures(store)

    @classmethod
    def of(cls, ctx: Context) -> Checker:
        """A Checker over the answering context's store, names and claim verdicts."""
        return cls(ctx.store, ctx.names, ctx.claim_index, ctx.checks)

    def check(self, text: str) -> TextCheck:
        """Find and check every statement of `text` (refused past MAX_TEXT characters)."""
        if len(text) > MAX_TEXT:
            refused = (
                f"The text is {len(text):,} characters long; the limit is {MAX_TEXT:,}."
                " Check it in parts."
            )
            return TextCheck((), (), len(text), refused)
        checks = tuple(self.check_statement(s) for s in extract(text, self.countries))
        ids = [i for c in checks for r in c.readings for i in r.source_ids]
        sources = tuple(self.store.sources[i] for i in dict.fromkeys(ids))
        refused = "" if checks else "No figure, ratio, rank or record to check was found."
        return TextCheck(checks, sources, len(text), refused)

    def check_statement(self, statement: Statement) -> StatementCheck:
        """The verdict on one statement: computed readings, or the reason there are none."""
        claim = self._stored_claim(statement)
        why = ""
        if statement.scope:
            why = (
                _REASONS.get(statement.scope) or f"The store has no {statement.scope_word} figures."
            )
        else:
            try:
                computed = _READINGS[statement.kind](self.figures, statement)
            except CannotCheck as cannot:
                why = str(cannot)
            except ClaimDataMissing as missing:
                why, claim = f"The store lacks a figure it needs: {missing}.", None
        if why:
            if claim is not None and claim.check is None:  # the op-ed's claim says why
                return StatementCheck(
                    statement, "unverifiable", (), " ".join((claim.unverifiable or why).split()),
                    claim.id,
                )  # fmt: skip
            return StatementCheck(statement, "unverifiable", (), why)
        readings, claim_id = self._with_stored_claim(statement, computed)
        return _decided(statement, readings, claim_id)

    # --- the stored op-ed claims ----------------------------------------------------------

    def _stored_claim(self, statement: Statement) -> ClaimRow | None:
        """An unverifiable stored claim this out-of-scope statement restates."""
        topics = _SCOPE_TOPICS.get(statement.scope) if statement.scope else None
        if statement.scope and not topics:
            return None
        best, best_score = None, 0
        for claim in self._claims.values():
            if claim.check is not None or (topics and claim.topic not in topics):
                continue
            if not topics and claim.stated_unit != statement.unit:
                continue
            if claim.stated_value is not None and claim.stated_value != statement.stated:
                continue
            if claim.stated_value is None and statement.stated is not None:
                continue
            score = _keyword_score(self.claim_index, claim.id, statement.sentence)
            if score > best_score:
                best, best_score = claim, score
        return best if best_score >= 2 else None

    def _with_stored_claim(
        self, statement: Statement, readings: list[tuple[Reading, dict[str, Any] | None]]
    ) -> tuple[list[Reading], str]:
        """Readings, the first replaced by a stored claim's check when it computes the same."""
        out = [r for r, _ in readings]
        if not readings or readings[0][1] is None:
            return out, ""
        expr = readings[0][1]
        for claim in self._claims.values():
            # A claim read more than one way is the same computation if one reading is; the text's
            # own figures say which ("the next 10 export markets": that reading's sum).
            specs = (claim.check.get("readings") or [claim.check]) if claim.check else []
            ids = {s.get("id") for s in specs if same_measure(s["left"], expr)}
            if not ids:
                continue
            if claim.stated_value is not None and claim.stated_value != statement.stated:
                continue
            stored = self.claim_checks[claim.id]
            readings_of: list[ClaimReading | ClaimCheck] = [
                r for r in stored.readings if r.id in ids
            ] or [stored]
            mine = (out[0].computed, out[0].compared_to)
            chosen = next((r for r in readings_of if (r.computed, r.compared_to) == mine), None)
            chosen = chosen or next(
                (r for r in readings_of if r.id == stored.headline), readings_of[0]
            )
            out[0] = replace(
                out[0],
                verdict=chosen.verdict,
                computed=chosen.computed,
                compared_to=chosen.compared_to,
                tolerance=chosen.tolerance,
                source_ids=tuple(i for i in stored.source_ids if i != claim.source_id),
            )
            return out, claim.id
        return out, ""

    # --- readings of each kind of statement -----------------------------------------------


_READINGS: dict[str, Callable[[Figures, Statement], Readings]] = {
    "amount": readings_trade.amount,
    "per_capita": readings_trade.per_capita,
    "ratio": readings_trade.ratio,
    "change": readings_trade.change,
    "share": readings_trade.share,
    "rank": readings_trade.rank,
    "comparison": readings_trade.comparison,
    "record": readings_border.record,
    "count": readings_border.count,
}


def _keyword_score(index: ClaimIndex, claim_id: str, sentence: str) -> int:
    words = set(sentence.split())
    return sum(
        weight
        for term, weight in index.terms.get(claim_id, [])
        if (term in words if isinstance(term, str) else term.search(sentence))
    )


def _decided(statement: Statement, readings: list[Reading], claim_id: str) -> StatementCheck:
    """The verdict: the first reading's; "roughly" if only another reading holds."""
    first = readings[0]
    why = ""
    verdict = first.verdict
    if verdict == "roughly" and "Census basis" in first.description:
        why = (
            "Close, not exact: the store holds Census's revised figures; a text written before"
            " the annual revision may quote the first release."
        )
    if verdict == "not_supported":
        holds = next((r for r in readings[1:] if r.verdict == "supported"), None)
        if holds is not None:
            verdict, why = "roughly", f"True on another reading: {holds.description}."
    return StatementCheck(statement, verdict, tuple(readings), why, claim_id)
