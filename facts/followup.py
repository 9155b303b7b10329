"""Follow-ups: a partial question read against the previous one ("and in 2023?", "imports?").

`follow_up(ctx, previous, text)` returns the whole question the partial one asks, built from the
previous question with the period, the partner or the flow replaced, or None when the text is
not a follow-up (a question asked in full, or words that change nothing). "as a chart" asks the
previous question again, with its chart. The caller keeps the previous question (bot.state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.context import Context
from facts.reading import Reader, read_period
from facts.vocabulary import normalise

# How people open a follow-up, in English and Spanish (normalised: no accents, lower case).
_OPENER = re.compile(
    r"^(and|also|now|then|what about|how about|what of|same for|same but|but|y|tambien|ahora|"
    r"que tal|y que tal|lo mismo para|y para|y de|y en)\b\s*(in|for|en|para|de|el|la)?\b\s*"
)
_CHART = re.compile(
    r"^(as a |in a |on a |show (it |me )?(as )?(a )?)?(chart|graph|plot)( it| please)?$"
    r"|^(chart|graph) (it|that)$|^(como |en )?(una )?grafica( por favor)?$"
)
# Flow words, each to the question's own word for it (English and Spanish).
_FLOWS = {
    "exports": "exports",
    "export": "exports",
    "imports": "imports",
    "import": "imports",
    "balance": "balance",
    "trade balance": "balance",
    "deficit": "balance",
    "total trade": "total trade",
    "exportaciones": "exportaciones",
    "importaciones": "importaciones",
    "balanza": "balanza comercial",
    "balanza comercial": "balanza comercial",
    "deficit comercial": "balanza comercial",
    "comercio total": "comercio total",
}
_FLOW_WORDS = re.compile(
    r"\b(total trade|trade balance|balanza comercial|deficit comercial|comercio total|"
    r"exports?|imports?|balance|deficit|exportaciones|importaciones|balanza)\b"
)
MAX_FOLLOW_UP = 6  # words: anything longer is a question of its own


@dataclass(frozen=True)
class FollowUp:
    """The whole question a follow-up asks, and whether it asked for a chart."""

    question: str
    chart: bool = False


def follow_up(ctx: Context, previous: str, text: str) -> FollowUp | None:
    """The follow-up's whole question, read against `previous`; None if it is not one."""
    norm = normalise(text)
    if not previous or not norm:
        return None
    if _CHART.match(norm):
        return FollowUp(previous, chart=True)
    opened = _OPENER.match(norm)
    rest = norm[opened.end() :] if opened else norm
    if not rest or len(rest.split()) > MAX_FOLLOW_UP:
        return None
    if not opened and not _only_a_change(ctx, text, rest):
        return None
    asked = normalise(previous)
    changed = _replace_flow(asked, rest)
    changed = _replace_partner(ctx, changed, text, rest)
    changed = _replace_period(changed, rest)
    return FollowUp(changed) if changed != asked else None


def _only_a_change(ctx: Context, text: str, rest: str) -> bool:
    """True for a bare "imports?", "2023", "canada": nothing but a flow, a period or a partner."""
    reader = Reader(rest)
    read_period(reader)
    reader.take(_FLOW_WORDS)
    found = ctx.names.find(text, rest)
    leftover = [w for i, w in enumerate(rest.split()) if not reader.used[i] and i not in found.used]
    return not leftover


def _replace_flow(asked: str, rest: str) -> str:
    wanted = _FLOW_WORDS.search(rest)
    if not wanted:
        return asked
    word = _FLOWS[wanted.group(1)]
    if _FLOW_WORDS.search(asked):
        return _FLOW_WORDS.sub(word, asked, count=1)
    return f"{asked} {word}"


def _replace_partner(ctx: Context, asked: str, text: str, rest: str) -> str:
    """The first partner of the question (all its words) replaced by the one named in `rest`."""
    new = ctx.names.find(text, rest)
    if not new.partners:
        return asked
    name = " ".join(w for i, w in enumerate(rest.split()) if i in new.used)
    old = ctx.names.find(asked, asked)
    if not old.used:
        return f"{name} {asked}"
    words = asked.split()
    first = last = min(old.used)
    while last + 1 in old.used:  # a name of several words: "united kingdom"
        last += 1
    return " ".join([*words[:first], name, *words[last + 1 :]])


def _replace_period(asked: str, rest: str) -> str:
    reader = Reader(rest)
    if read_period(reader) is None:
        return asked
    period = " ".join(w for (_, _, w), used in zip(reader.tokens, reader.used, strict=True) if used)
    before = Reader(asked)
    if read_period(before) is None:
        return f"{asked} {period}"
    kept = [w for (_, _, w), used in zip(before.tokens, before.used, strict=True) if not used]
    return " ".join([*kept, period])
