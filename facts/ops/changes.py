"""CHANGES: what the latest Census API release changed (months added, figures revised)."""

from __future__ import annotations

from facts.context import Context
from facts.model import Answer, Fact, NoData, Query
from facts.ops.common import sources
from facts.words import figure_period_words

SHOWN = 10  # revisions listed; the count says how many there are


def changes(query: Query, ctx: Context) -> Answer:
    """The newest release: its newest month, all partners; its largest revisions, old and new."""
    store = ctx.store
    releases = store.releases()
    if not releases:
        year, month = store.coverage.trade_latest_month
        raise NoData(
            "The store holds no Census API release yet: its trade figures come from the Census"
            f" workbook, through {figure_period_words(f'{year}-{month:02d}')}. Each refresh"
            " adds the new release and keeps the values it revises.",
            ("mexico exports latest", "top 10 export markets 2025", "claims"),
        )
    latest = releases[-1]
    revisions = store.revisions_in(latest.source_id)
    added: tuple[Fact, ...] = ()
    if (newest := latest.last_new) is not None:  # the newest month it added, all partners
        world = [store.trade_range(m, "WORLD", newest, newest) for m in ("exports", "imports")]
        added = tuple(f for f in world if f is not None)
    revised = tuple(
        Fact(
            r.flow,
            r.partner,
            r.period,
            r.new_value,
            "USD",
            r.source_id,
            r.label,
            f"was ${r.old_value:,} ({store.sources[r.old_source].title})",
        )
        for r in revisions[:SHOWN]
    )
    months = (
        "no new month"
        if latest.first_new is None or latest.last_new is None
        else _months(latest.first_new, latest.last_new)
    )
    more = f" (the {SHOWN} largest shown)" if len(revisions) > SHOWN else ""
    return Answer(
        kind="changes",
        understood="what the latest Census release changed",
        headline=f"Census release of {latest.published}: {months};"
        f" {len(revisions)} figure{'s' if len(revisions) != 1 else ''} revised{more}",
        facts=added + revised,
        sources=sources(ctx, [latest.source_id, *(r.old_source for r in revisions[:SHOWN])]),
    )


def _months(first: tuple[int, int], last: tuple[int, int]) -> str:
    start = figure_period_words(f"{first[0]}-{first[1]:02d}")
    if first == last:
        return f"{start} added"
    return f"{start} to {figure_period_words(f'{last[0]}-{last[1]:02d}')} added"
