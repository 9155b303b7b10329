"""Answer a question: parse it once, then the one function of its operation (facts.ops)."""

from __future__ import annotations

from dataclasses import replace

from facts.border_text import refused_words
from facts.context import Context
from facts.lang import detect
from facts.model import Answer, Fact, Lang, NoData, Op, Query
from facts.ops import ANSWER
from facts.ops.border import BORDER_ANSWER
from facts.ops.common import understood
from facts.ops.refuse import EJEMPLOS, EXAMPLES
from facts.parse import MAX_QUESTION, parse_question
from facts.restate import as_claim

__all__ = ["EXAMPLES", "answer", "cache_key"]


def answer(ctx: Context, text: str, lang: Lang | None = None) -> Answer:
    """One Answer for a question, in its language (or `lang`); never raises for any input."""
    lang = lang or detect(text)
    query = parse_question(text, ctx.names, ctx.claim_index, ctx.border)
    if query is None:
        return replace(_not_understood(text, lang), question=text)
    query = replace(as_claim(ctx, query, text), lang=lang)
    try:
        # A question about a border dimension (U.S. state, port, mode, ...) has its own table.
        table = BORDER_ANSWER if query.dimension else ANSWER
        result = table[query.op](query, ctx)
    except NoData as missing:
        es = lang == "es"
        said = refused_words(ctx, query) if query.dimension else _refused_words(ctx, query)
        result = Answer(
            kind="no_data",
            understood=said,
            reason=missing.reason,
            suggestions=missing.suggestions or (EJEMPLOS if es else EXAMPLES)[:3],
            headline="No hay una cifra para eso en los datos"
            if es
            else "No figure for that in the data",
            related=_context_figures(ctx, query),
            lang=lang,
        )
    return replace(result, question=text, not_used=query.not_used)


def _refused_words(ctx: Context, query: Query) -> str:
    if query.op == Op.REFUSE and query.refusal == "third_country":
        return "trade between two partners other than the U.S."
    if query.op == Op.REFUSE and not query.metric:
        return "a question with words I can't use: " + ", ".join(f"“{w}”" for w in query.not_used)
    said = understood(ctx, query, "")
    if query.period is None:
        said = said.rsplit(", the latest period in the data", 1)[0]
    words = ", ".join(f"“{w}”" for w in query.not_used)
    if query.not_used and query.lang == "es":
        said = said.rsplit(", el periodo más reciente de los datos", 1)[0]
        said += f" — con {words}, que no puedo usar"
    elif query.not_used:
        said += f" — with {words}, which I can't use"
    return said


def _context_figures(ctx: Context, query: Query) -> tuple[Fact, ...]:
    """For a refused qualifier, the broader figure — shown as context, never as the answer."""
    if query.op != Op.REFUSE or query.refusal in ("third_country", "unknown_partner"):
        return ()
    if query.dimension:  # the border refusals say what the store has; no broader figure
        return ()
    if not query.metric or query.refusal == "unknown_word":
        return ()
    broader = replace(query, op=Op.LOOKUP, not_used=(), refusal="")
    try:
        return ANSWER[Op.LOOKUP](broader, ctx).facts[:1]
    except (NoData, IndexError, KeyError):
        return ()


def _not_understood(text: str, lang: Lang) -> Answer:
    if lang == "es":
        return Answer(
            kind="not_understood",
            understood="nada que pueda buscar",
            reason="No supe qué cifra busca. Pregunte por un flujo comercial, un socio y un"
            " periodo, una cifra de la frontera o de incautaciones, o una afirmación del artículo.",
            suggestions=EJEMPLOS[:3],
            headline="Perdón, no entendí la pregunta",
            lang="es",
        )
    return _not_understood_en(text)


def _not_understood_en(text: str) -> Answer:
    too_long = len(text) > MAX_QUESTION
    reason = (
        f"That is longer than a question I can read ({MAX_QUESTION} characters at most)."
        if too_long
        else "I could not tell which figure you are asking for."
    )
    return Answer(
        kind="not_understood",
        understood="nothing I can look up",
        reason=reason + " Ask for a trade flow, a partner and a period, a border or seizure"
        " figure, or a claim.",
        suggestions=EXAMPLES[:3],
        headline="Sorry, I didn't understand that question",
    )


def cache_key(text: str) -> str:
    """What replies are cached by: the question with case and spacing folded (up to 500 chars)."""
    return text if len(text) > MAX_QUESTION else " ".join(text.split()).lower()
