"""CLAIM and CLAIMS: the op-ed's claims with their computed verdicts."""

from __future__ import annotations

from facts.claims import as_asked
from facts.context import Context
from facts.model import Answer, NoData, Query
from facts.ops.common import sources


def claims(query: Query, ctx: Context) -> Answer:
    """Every claim, each with its verdict."""
    checks = tuple(ctx.checks.values())
    es = query.lang == "es"
    return Answer(
        kind="claims",
        understood="las afirmaciones del artículo, cada una comparada con los datos"
        if es
        else "the op-ed's claims, each checked against the data",
        claims=checks,
        sources=sources(ctx, sorted({s for c in checks for s in c.source_ids})),
        headline=f"Las {len(checks)} afirmaciones del artículo, comparadas con los datos"
        if es
        else f"The op-ed's {len(checks)} claims, checked against the data",
        lang=query.lang,
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
    es = query.lang == "es"
    if len(checks) == 1:
        verdict = (_VERDICTS_ES if es else _VERDICTS)[first.verdict]
        title = f"{'Afirmación' if es else 'Claim'} {first.number}: {verdict}"
    else:
        title = f"{len(checks)} {'afirmaciones sobre' if es else 'claims about'} {first.topic}"
    plural = "s" if len(checks) > 1 else ""
    return Answer(
        kind="claim",
        understood=f"la{plural} afirmaci{'ones' if plural else 'ón'} del artículo sobre"
        f" {first.topic}"
        if es
        else f"the op-ed's claim{plural} about {first.topic}",
        claims=checks,
        sources=sources(ctx, sorted({s for c in checks for s in c.source_ids})),
        headline=title,
        lang=query.lang,
    )


_VERDICTS = {
    "supported": "✅ Supported",
    "roughly": "🟡 Roughly right",
    "not_supported": "❌ Not supported",
    "unverifiable": "❔ Can't be checked with this data",
}
_VERDICTS_ES = {
    "supported": "✅ Se sostiene",
    "roughly": "🟡 Aproximadamente cierto",
    "not_supported": "❌ No se sostiene",
    "unverifiable": "❔ No se puede comprobar con estos datos",
}
