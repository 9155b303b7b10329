"""CLAIM and CLAIMS: the op-ed's claims with their computed verdicts."""

from __future__ import annotations

from facts.claims import as_asked
from facts.context import Context
from facts.model import Answer, NoData, Query
from facts.ops.common import sources


def claims(query: Query, ctx: Context) -> Answer:
    """Every claim, each with its verdict."""
    checks = tuple(ctx.checks.values())
    return Answer(
        kind="claims",
        understood="the op-ed's claims, each checked against the data",
        claims=checks,
        sources=sources(ctx, sorted({s for c in checks for s in c.source_ids})),
        headline=f"The op-ed's {len(checks)} claims, checked against the data",
    )


def claim(query: Query, ctx: Context) -> Answer:
    """The claims a question names by number, topic or restatement."""
    if not query.claim_ids or not all(c in ctx.checks for c in query.claim_ids):
        count = len(ctx.checks)
        raise NoData(
            f"There are {count} claims, numbered 1 to {count}.",
            ("claims", "claim 1", "is it true Mexico buys 2.3 times more than China?"),
        )
    # The question's own words may ask for one reading of a claim ("the next 10 markets").
    checks = tuple(as_asked(ctx.checks[c], " ".join(query.words)) for c in query.claim_ids)
    first = checks[0]
    if len(checks) == 1:
        verdict = {
            "supported": "✅ Supported",
            "roughly": "🟡 Roughly right",
            "not_supported": "❌ Not supported",
            "unverifiable": "❔ Can't be checked with this data",
        }[first.verdict]
        title = f"Claim {first.number}: {verdict}"
    else:
        title = f"{len(checks)} claims about {first.topic}"
    return Answer(
        kind="claim",
        understood=f"the op-ed's claim{'s' if len(checks) > 1 else ''} about {first.topic}",
        claims=checks,
        sources=sources(ctx, sorted({s for c in checks for s in c.source_ids})),
        headline=title,
    )
