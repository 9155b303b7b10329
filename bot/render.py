"""Render an Answer as plain text, Slack mrkdwn or Block Kit, through Jinja2 templates."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, Template

from facts import lang as language
from facts.digest import Digest
from facts.model import Answer, Fact, Lang
from facts.numbers import money, pct2
from facts.ops.common import value_words

SECTION_LIMIT = 3000  # characters in one section's text (Slack)
BLOCK_LIMIT = 50  # blocks in one message (Slack)
HEADER_LIMIT = 150  # characters in a header block (Slack)
CONTEXT_ELEMENTS = 10  # elements in one context block (Slack)
VERDICTS = {
    "supported": ("✅", "Supported"),
    "roughly": ("🟡", "Roughly right"),
    "not_supported": ("❌", "Not supported"),
    "unverifiable": ("❔", "Can't be checked with this data"),
}


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as markup: &, < and >."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


VERDICTS_ES = {
    "supported": "Se sostiene",
    "roughly": "Aproximadamente cierto",
    "not_supported": "No se sostiene",
    "unverifiable": "No se puede comprobar con estos datos",
}
LABELS_ES = {  # the renderer's own words, in Spanish (the op writes the headline and takeaway)
    "Understood": "Entendido",
    "Exactly": "Exactamente",
    "Basis": "Base",
    "Source": "Fuente",
    "Try:": "Pruebe:",
    "Examples:": "Ejemplos:",
    "figures shown": "cifras a la vista",
    "Not the answer — for context only:": "No es la respuesta — solo como contexto:",
    "The op-ed's claims about this:": "Lo que dice el artículo de opinión sobre esto:",
    "Claim": "Afirmación",
    "Why": "Por qué",
    "Op-ed": "Artículo",
    "Data": "Datos",
    "off": "de diferencia",
    "Related": "Relacionado",
    "Tolerance": "Tolerancia",
    "January–August only": "solo enero–agosto",
    "Show all": "Ver las",
    "Share in channel": "Compartir en el canal",
    "Chart": "Gráfica",
}


def translate(text: str, lang: Lang = "en") -> str:
    """One of the renderer's labels in the answer's language."""
    return LABELS_ES.get(text, text) if lang == "es" else text


_FACT_NAMES_ES = {
    "exports": "Exportaciones a {}",
    "imports": "Importaciones desde {}",
    "balance": "Balanza comercial con {}",
    "total": "Comercio total con {}",
    "population": "Población de {}",
}
_FACT_NAMES = {
    "exports": "Exports to {}",
    "imports": "Imports from {}",
    "balance": "Trade balance with {}",
    "total": "Total trade with {}",
    "population": "Population of {}",
}


def fact_name(metric: str, label: str, lang: Lang = "en") -> str:
    """What a figure measures, for a list line: "Exports to Mexico"; series keep their label."""
    names = _FACT_NAMES_ES if lang == "es" else _FACT_NAMES
    return names.get(metric, "{}").format(label)


def exact_line(facts: tuple[Fact, ...], lang: Lang = "en") -> str:
    """The exact values of dollar and pound figures, each named by what differs between them."""
    exact_ones = [f for f in facts if f.unit in ("USD", "lb")]
    one_period = len({f.period for f in exact_ones}) == 1
    one_series = len({(f.metric, f.partner) for f in exact_ones}) == 1
    one_metric = len({f.metric for f in exact_ones}) == 1
    parts = []
    for f in exact_ones:
        if one_period and not one_series:
            name = f.label if one_metric else fact_name(f.metric, f.label, lang)
        elif one_series and not one_period:
            name = language.period(f.period, lang)
        else:
            name = f"{fact_name(f.metric, f.label, lang)}, {language.period(f.period, lang)}"
        value = language.exact(f.value, f.unit, lang)
        parts.append(value if len(exact_ones) == 1 else f"{name} {value}")
    return "; ".join(parts)


def verdict_icon(verdict: str) -> str:
    """✅ 🟡 ❌ ❔."""
    return VERDICTS[verdict][0]


def verdict_label(verdict: str, lang: Lang = "en") -> str:
    """Supported, Roughly right, Not supported, Can't be checked with this data."""
    return VERDICTS_ES[verdict] if lang == "es" else VERDICTS[verdict][1]


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # Compiling answer.j2 takes ~80 ms, loading it compiled ~1 ms: keep the compiled
        # templates in Jinja2's private per-user cache directory (keyed by the source's hash).
        bytecode_cache=FileSystemBytecodeCache(),
    )
    env.filters.update(
        mrkdwn=escape_mrkdwn,
        money=money,
        amount=language.amount,
        exact=language.exact,
        signed_pct=language.signed_pct,
        period=language.period,
        tr=translate,
        month_name=language.month,
        pct2=pct2,
        icon=verdict_icon,
        verdict=verdict_label,
        fact_name=fact_name,
        exact_line=exact_line,
        reading=value_words,
    )
    return env


def _template() -> Template:
    return _environment().get_template("answer.j2")


def _part(name: str, answer: Answer, md: bool) -> str:
    macro = getattr(_template().module, name)
    return "\n".join(line.rstrip() for line in str(macro(answer, md)).strip("\n").splitlines())


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The answer as one JSON-ready object (`tradefact ask --format json`)."""
    if answer.check is not None:
        from bot.checking import check_json  # a check has its own shape (and module)

        return check_json(answer.check)
    return {
        "kind": answer.kind,
        "understood": answer.understood,
        "text": render_text(answer),
        "facts": [_fact_json(f, answer) for f in answer.facts],
        "derived": {d.name: _number(d.value) for d in reversed(answer.derived)},
        "derived_all": [
            {"name": d.name, "value": _number(d.value), "label": d.label, "unit": d.unit}
            for d in answer.derived
        ],
        "claims": [
            {
                "id": c.id,
                "number": c.number,
                "verdict": c.verdict,
                "stated": _number(c.stated),
                "computed": _number(c.computed),
                "unit": c.unit,
                "paraphrase": c.paraphrase,
                "compared_to": _number(c.compared_to),
                "tolerance": c.tolerance,
                "note": c.note,
                "headline_reading": c.headline or None,
                "headline_why": c.headline_why,
                "readings": [
                    {
                        "id": r.id,
                        "label": r.label,
                        "verdict": r.verdict,
                        "computed": _number(r.computed),
                        "compared_to": _number(r.compared_to),
                        "unit": r.unit,
                        "tolerance": r.tolerance,
                        "note": r.note,
                    }
                    for r in c.readings
                ],
            }
            for c in answer.claims
        ],
        "sources": [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url}
            for s in answer.sources
        ],
        "related": [_fact_json(f, answer) for f in answer.related],
        "not_used": list(answer.not_used),
        "reason": answer.reason,
        "suggestions": list(answer.suggestions),
    }


def _fact_json(f: Fact, answer: Answer) -> dict[str, Any]:
    return {
        "metric": f.metric,
        "partner": f.partner,
        "period": f.period,
        "value": _number(f.value),
        "unit": f.unit,
        "source_id": f.source_id,
        "label": f.label,
        "note": f.note,
        # A fact's basis: its own, or its source's (one basis per source otherwise).
        "basis": f.basis or next((s.basis for s in answer.sources if s.id == f.source_id), ""),
        "dimension": f.dimension,
    }


_TEXT_PARTS = ("headline", "takeaway", "body", "claims", "suggestions", "context", "sources")


def render_text(answer: Answer) -> str:
    """The plain-text answer (command line, logs, JSON `text`)."""
    if answer.check is not None:
        from bot.checking import render_check

        return render_check(answer.check)
    parts = [_part(n, answer, False) for n in _TEXT_PARTS]
    return "\n".join(p for p in parts if p).strip() + "\n"


def render_mrkdwn(answer: Answer) -> str:
    """The answer as Slack mrkdwn; every string is escaped, so nothing in it can ping anyone."""
    if answer.check is not None:
        from bot.checking import check_mrkdwn

        return check_mrkdwn(answer.check)
    parts = [_part(n, answer, True) for n in _TEXT_PARTS]
    return "\n".join(p for p in parts if p).strip()


def render_blocks(answer: Answer) -> list[dict[str, Any]]:
    """The answer as Block Kit: header, the takeaway and figures, context, buttons, citations."""
    if answer.check is not None:
        from bot.checking import check_blocks

        return check_blocks(answer.check)
    blocks: list[dict[str, Any]] = []
    headline = _part("headline", answer, False).replace("*", "")
    blocks.append(
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(headline, HEADER_LIMIT), "emoji": True},
        }
    )
    lead = "\n".join(p for p in (_part(n, answer, True) for n in ("takeaway", "body")) if p)
    for text in (lead, _part("claims", answer, True)):
        for chunk in _chunks(text, SECTION_LIMIT):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    context = _part("context", answer, True).splitlines()
    if context:
        elements = [{"type": "mrkdwn", "text": _clip(line, SECTION_LIMIT)} for line in context]
        blocks.append({"type": "context", "elements": elements})
    buttons = answer_buttons(answer)
    if buttons:
        blocks.append({"type": "actions", "block_id": "next", "elements": buttons})
    links = _part("citations", answer, True).splitlines()
    for start in range(0, len(links), CONTEXT_ELEMENTS):
        elements = [
            {"type": "mrkdwn", "text": _clip(link, SECTION_LIMIT)}
            for link in links[start : start + CONTEXT_ELEMENTS]
        ]
        blocks.append({"type": "context", "elements": elements})
    if len(blocks) > BLOCK_LIMIT:
        more = {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "(shortened to fit in Slack)"}],
        }
        blocks = [*blocks[: BLOCK_LIMIT - 2], blocks[-1], more]
    return blocks


ASK_ACTION = "ask"  # a button that asks its value as a question (action_id ask-0, ask-1, ...)
SHOW_ALL_ACTION = "show_all"  # a button that shows every figure of a long list
BUTTON_TEXT = 75  # characters of a button's label (Slack)
MAX_BUTTONS = 5


def answer_buttons(answer: Answer) -> list[dict[str, Any]]:
    """Buttons under an answer: "Show all" for a cut list, and each suggestion as a question."""
    buttons = []
    if answer.glance and answer.question:
        label = f"{translate('Show all', answer.lang)} {len(answer.facts)}"
        buttons.append(_button(SHOW_ALL_ACTION, label, answer.question))
    for n, suggestion in enumerate(answer.suggestions[: MAX_BUTTONS - len(buttons)]):
        buttons.append(_button(f"{ASK_ACTION}-{n}", suggestion, suggestion))
    return buttons


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": _clip(label, BUTTON_TEXT)},
        "value": value,
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """Split on line boundaries into pieces of at most `limit` characters (no empty pieces)."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        line = _clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current.strip():
        chunks.append(current)
    return chunks


# --- the weekly digest (facts.digest.Digest) ---------------------------------------------------

_DIGEST_PARTS = (
    ("trade", "trade_sources"),
    ("tariffs", "tariff_sources"),
    ("border", "border_sources"),
    ("claim", "claim_sources"),
)


def _digest_part(name: str, digest: Digest, md: bool) -> str:
    macro = getattr(_environment().get_template("digest.j2").module, name)
    return "\n".join(line.rstrip() for line in str(macro(digest, md)).strip("\n").splitlines())


def render_digest_part(name: str, digest: Digest) -> str:
    """One macro of digest.j2 (latest_month, border, trade_sources, ...) as escaped mrkdwn."""
    return _digest_part(name, digest, True)


def render_digest_text(digest: Digest) -> str:
    """The digest as escaped Slack mrkdwn with citation links: the message's `text` fallback."""
    names = ["title", *(name for part in _DIGEST_PARTS for name in part)]
    parts = [_digest_part(name, digest, True) for name in names]
    return "\n\n".join(p for p in parts if p)


def render_digest_blocks(digest: Digest) -> list[dict[str, Any]]:
    """The digest as Block Kit: a header, then each part's sections and its citations."""
    title = _digest_part("title", digest, False).replace("*", "")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title, HEADER_LIMIT)}}
    ]
    for body, sources in _DIGEST_PARTS:
        chunks = _chunks(_digest_part(body, digest, True), SECTION_LIMIT)
        if not chunks:
            continue
        if len(blocks) > 1:
            blocks.append({"type": "divider"})
        blocks.extend({"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks)
        links = _digest_part(sources, digest, True).splitlines()[:CONTEXT_ELEMENTS]
        if links:
            elements = [{"type": "mrkdwn", "text": _clip(link, SECTION_LIMIT)} for link in links]
            blocks.append({"type": "context", "elements": elements})
    return blocks[:BLOCK_LIMIT]
