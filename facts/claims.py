"""Evaluate the op-ed's claims against the store: each verdict is computed, never stored."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from facts.expressions import HUNDRED, ClaimDataMissing, Value, evaluate
from facts.model import ClaimCheck, Derived, Reading, Verdict
from facts.store import ClaimRow, FactStore
from facts.vocabulary import normalise


def check_claim(store: FactStore, claim: ClaimRow) -> ClaimCheck:
    """Compute the verdict of one claim from the store, with the numbers behind it.

    A check with `readings` is read each way; the verdict shown first is that of the reading
    named by `headline`, and every reading is kept with its own verdict.
    """
    sources = {claim.source_id}
    context = []
    for item in claim.context:
        derived, used = _context(store, item)
        context.append(derived)
        sources |= used
    base: dict[str, Any] = {
        "id": claim.id,
        "number": claim.number,
        "topic": claim.topic,
        "paraphrase": claim.paraphrase,
        "stated": claim.stated_value,
        "stated_text": claim.stated_text,
        "unit": claim.stated_unit,
        "context": tuple(context),
    }
    if claim.check is None:
        return ClaimCheck(
            verdict="unverifiable",
            computed=None,
            why=claim.unverifiable or "",
            source_ids=tuple(sorted(sources)),
            **base,
        )
    check = claim.check
    specs = check.get("readings") or [check]
    readings, missing = [], []
    for spec in specs:
        try:
            reading, used = _read(store, spec, check.get("made"))
        except ClaimDataMissing as error:
            missing.append(str(error))
            continue
        readings.append(reading)
        sources |= used
    headline_id = str(check.get("headline") or specs[0].get("id", ""))
    headline = next((r for r in readings if r.id == headline_id), None)
    if headline is None:
        return ClaimCheck(
            verdict="unverifiable",
            computed=None,
            why=f"The store lacks a figure it needs: {missing[0]}.",
            source_ids=tuple(sorted(sources)),
            **base,
        )
    base["unit"] = headline.unit
    return ClaimCheck(
        verdict=headline.verdict,
        computed=headline.computed,
        compared_to=headline.compared_to,
        difference_pct=headline.difference_pct,
        source_ids=tuple(sorted(sources)),
        tolerance=headline.tolerance,
        note=headline.note,
        readings=tuple(readings) if len(specs) > 1 else (),
        headline=headline.id if len(specs) > 1 else "",
        headline_why=" ".join(str(check.get("why", "")).split()) if len(specs) > 1 else "",
        **base,
    )


def _read(
    store: FactStore, spec: dict[str, Any], made: str | None
) -> tuple[Reading, frozenset[str]]:
    """One reading: its figures, verdict, tolerance in words and the sources it used."""
    left = evaluate(store, spec["left"], made)
    right_spec = spec["right"]
    right = (
        evaluate(store, right_spec, made)
        if isinstance(right_spec, dict)
        else Value(Decimal(str(right_spec)), left.unit, frozenset())
    )
    verdict, difference = _verdict(spec, left.value, right.value)
    reading = Reading(
        id=str(spec.get("id", "")),
        label=" ".join(str(spec.get("label", "")).split()),
        verdict=verdict,
        computed=left.value,
        unit=left.unit,
        compared_to=right.value if isinstance(right_spec, dict) else None,
        difference_pct=difference,
        tolerance=tolerance_words(spec, left.unit),
        note=" ".join(n for n in (left.note, right.note) if n),
        words=tuple(str(w) for w in spec.get("words", ())),
    )
    return reading, left.sources | right.sources


def as_asked(check: ClaimCheck, question: str) -> ClaimCheck:
    """The check with the reading a question's own words ask for as its headline.

    "... more than the next 10 markets combined?" asks about export markets, whatever reading
    the op-ed's own words favour; a question that picks no reading (or several) keeps the
    claim's headline.
    """
    text = normalise(question)
    asked = [
        (r, w)
        for r in check.readings
        for w in r.words
        if re.search(rf"(?<!\w){re.escape(normalise(w))}(?!\w)", text)
    ]
    chosen = {r.id for r, _ in asked}
    if len(chosen) != 1 or check.headline in chosen:
        return check
    reading, word = asked[0]
    return replace(
        check,
        verdict=reading.verdict,
        computed=reading.computed,
        unit=reading.unit,
        compared_to=reading.compared_to,
        difference_pct=reading.difference_pct,
        tolerance=reading.tolerance,
        note=reading.note,
        headline=reading.id,
        headline_why=f"Your question says “{word}”, so the verdict uses that reading.",
    )


def tolerance_words(spec: dict[str, Any], unit: str = "") -> str:
    """The rule a check's verdict follows, in words."""
    op = spec["op"]
    roughly = _pct(spec.get("roughly_pct", 0))
    if op == "equal":
        right = spec["right"]
        target = f"#{right}" if unit == "rank" else str(right)
        return f"supported only if exactly {target}"
    if op == "greater":
        if roughly == "0":
            return "supported only if larger"
        return f"supported if larger; short by no more than {roughly}% counts as roughly right"
    tolerance = _pct(spec.get("tolerance_pct", 0))
    return f"within ±{tolerance}% counts as supported; within ±{roughly}% roughly right"


def _pct(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _verdict(
    check: dict[str, Any], left: Decimal, right: Decimal
) -> tuple[Verdict, Decimal | None]:
    op = check["op"]
    difference = (left - right) / abs(right) * HUNDRED if right else None
    roughly = Decimal(str(check.get("roughly_pct", 0)))
    if op == "equal":
        return ("supported" if left == right else "not_supported"), difference
    if op == "greater":
        if left > right:
            return "supported", difference
        short = (right - left) / abs(right) * HUNDRED if right else HUNDRED
        return ("roughly" if short <= roughly else "not_supported"), difference
    # approx
    tolerance = Decimal(str(check.get("tolerance_pct", 0)))
    off = abs(difference) if difference is not None else HUNDRED
    if off <= tolerance:
        return "supported", difference
    return ("roughly" if off <= roughly else "not_supported"), difference


def _context(store: FactStore, item: dict[str, Any]) -> tuple[Derived, frozenset[str]]:
    label = " ".join(str(item["label"]).split())
    try:
        value = evaluate(store, item["expr"])
    except ClaimDataMissing:
        return Derived("context", Decimal(0), label + " (not in the store)"), frozenset()
    if value.note:
        label = f"{label} ({value.note})"
    return Derived("context", value.value, label, value.unit), value.sources
