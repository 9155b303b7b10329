"""Comparing a computed figure with a stated one at the precision the text uses."""

from __future__ import annotations

from decimal import Decimal

from facts.model import Verdict

HUNDRED = Decimal(100)
CLOSE_PCT = Decimal(5)  # "roughly": within 5% of the stated figure (or two tolerances)
SHORT_PCT = Decimal(2)  # "over X": roughly right when short of X by at most 2%


def compare(
    stated: Decimal | None, hedge: str, step: Decimal | None, computed: Decimal, unit: str
) -> tuple[Verdict, str]:
    """Compare a computed figure with a stated one at the precision the text gives.

    The tolerance is one unit of the last digit stated ("$335 billion": $1 billion), at most 5%
    of the figure (5 points for a percentage). "over X" holds above X; "nearly X" between X
    less the tolerance and X; "under X" below X. Roughly right: within 5% (or two tolerances),
    or short of an "over" by 2% or less.
    """
    if stated is None:
        return "unverifiable", ""
    size = abs(stated)
    # At most 5% of the figure, or 5 points for a percentage ("nearly 90%": 85% to 90%).
    cap = CLOSE_PCT if unit == "%" else size * CLOSE_PCT / HUNDRED
    tol = min(step, cap) if step else cap
    close = max(2 * tol, size * CLOSE_PCT / HUNDRED)
    value = -computed if stated < 0 else computed
    target = size
    shown = plain_figure(tol, unit)
    figure = plain_figure(target, unit)
    if hedge in ("over", "under"):
        words = f"{'more' if hedge == 'over' else 'less'} than {figure}"
        beyond = value - target if hedge == "over" else target - value
        if beyond > 0:
            return "supported", words
        short = -beyond / target * HUNDRED if target else HUNDRED
        return ("roughly" if short <= SHORT_PCT else "not_supported"), words
    if hedge == "nearly":
        words = f"{plain_figure(target - tol, unit)} to {figure} (nearly {figure})"
        if target - tol <= value <= target:
            return "supported", words
        return ("roughly" if abs(value - target) <= close else "not_supported"), words
    off = abs(value - target)
    words = f"within ±{shown} (the precision of the text)"
    if off <= tol:
        return "supported", words
    return ("roughly" if off <= close else "not_supported"), words


def plain_figure(value: Decimal, unit: str) -> str:
    """A figure as a text would write it: $335 billion, $4,000 per person, 2.3×, 90%."""
    value = Decimal(value)
    if unit == "USD":
        for scale, word in (
            (Decimal("1e12"), "trillion"),
            (Decimal("1e9"), "billion"),
            (Decimal("1e6"), "million"),
        ):
            if abs(value) >= scale:
                return f"${trim(value / scale)} {word}"
        return f"${trim(value)}"
    if unit == "USD per person":
        return f"${trim(value)} per person"
    if unit == "%":
        return f"{trim(value)}%"
    if unit == "x":
        return f"{trim(value)}×"
    return f"{trim(value)} {unit}"


def trim(value: Decimal) -> str:
    """At most two decimals, trailing zeros dropped, thousands grouped."""
    rounded = round(value, 2)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return text


def greater(mine: Decimal, theirs: Decimal) -> tuple[Verdict, str]:
    """One side more than the other: roughly right when short by 2% or less."""
    words = "greater than the other side; roughly if short by 2% or less"
    if mine > theirs:
        return "supported", words
    short = (theirs - mine) / theirs * HUNDRED if theirs else HUNDRED
    return ("roughly" if short <= SHORT_PCT else "not_supported"), words
