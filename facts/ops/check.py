"""CHECK: every statistical statement of a text, checked against the store (facts.check)."""

from __future__ import annotations

from facts.check import Checker
from facts.context import Context
from facts.model import Answer, Query


def check(query: Query, ctx: Context) -> Answer:
    """The verdict on each figure of the text, with a one-line summary as the headline."""
    result = Checker.of(ctx).check(query.text)
    if result.refused:
        headline = "Nothing checked"
    else:
        count = len(result.checks)
        headline = f"Checked {count} statement{'s' if count != 1 else ''} against the data"
    return Answer(
        kind="check",
        understood="the figures of a text, each checked against the data",
        sources=result.sources,
        headline=headline,
        check=result,
    )
