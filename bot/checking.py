"""A check of the numbers in a text (facts.check.TextCheck) as plain text, Slack mrkdwn, Block
Kit and JSON; and the words of the "Check the numbers" message shortcut. No Slack objects here."""

from __future__ import annotations

import re
from typing import Any

from bot.render import (
    BLOCK_LIMIT,
    HEADER_LIMIT,
    SECTION_LIMIT,
    _chunks,
    _clip,
    _environment,
    _number,
)
from facts.check import TextCheck
from facts.extract import MAX_TEXT, Statement
from facts.tolerance import plain_figure

CHECK_SHORTCUT = "check_numbers"  # the message shortcut's callback_id (manifest.yml)
MAX_MESSAGE = 39_000  # characters of a message's text (Slack truncates past 40,000)
MAX_LISTED = 40  # statements listed in one Slack message (50 blocks, 3,000 characters each)
_VERDICT_WORDS = (
    ("supported", "supported"),
    ("roughly", "roughly"),
    ("not_supported", "not supported"),
    ("unverifiable", "can't check"),
)

Reply = dict[str, Any]


def message_text(message: dict[str, Any]) -> str:
    """A Slack message's text as people read it: links and mentions as words, &amp; decoded."""
    text = str(message.get("text") or "")
    text = re.sub(r"<(?:https?|mailto):[^|>]*\|([^>]*)>", r"\1", text)  # <url|label> -> label
    text = re.sub(r"<((?:https?|mailto):[^>]*)>", r"\1", text)
    text = re.sub(r"<[@#!][^>|]*\|([^>]*)>", r"\1", text)  # <@U1|name>, <#C1|general>
    text = re.sub(r"<[@#!][^>]*>", " ", text)  # <@U1>, <!here>
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def shortcut_fallback(reply: Reply) -> Reply:
    """The shortcut's reply when the bot can't post in the channel: shown to the user only."""
    note = (
        "I can't post in this conversation (invite me with `/invite @TradeFact` to reply in"
        " the thread), so only you see this check."
    )
    blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}]
    return {**reply, "blocks": [*blocks, *reply["blocks"]], "text": note + "\n" + reply["text"]}


def summary_words(result: TextCheck) -> str:
    """'5 supported, 1 roughly, 2 not supported, 12 can't check'."""
    counts = result.summary()
    return ", ".join(f"{counts[v]} {words}" for v, words in _VERDICT_WORDS)


def stated_words(statement: Statement) -> str:
    """The stated figure as the reply shows it: '$335 billion', 'more than $4,000 per person'."""
    if statement.stated is None:
        return "no figure (a comparison)"
    value = abs(statement.stated) if statement.unit == "USD" else statement.stated
    shown = f"#{value}" if statement.unit == "rank" else plain_figure(value, statement.unit)
    if statement.unit == "USD" and statement.stated < 0:
        shown += " deficit"
    lead = {"over": "more than ", "under": "less than ", "nearly": "nearly ", "about": "about "}
    return lead.get(statement.hedge, "") + shown


def _macro(name: str, result: TextCheck, md: bool, *args: Any) -> str:
    env = _environment()
    env.filters.setdefault("summary_words", summary_words)
    env.filters.setdefault("stated", stated_words)
    env.filters.setdefault("clip", lambda text, n: _clip(str(text), n))
    macro = getattr(env.get_template("check.j2").module, name)
    text = str(macro(result, md, *args))
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def render_check(result: TextCheck, md: bool = False, limit: int = 10_000) -> str:
    """The whole check as plain text (md=False) or escaped Slack mrkdwn (md=True)."""
    parts = [
        _macro("headline", result, md),
        _macro("summary", result, md),
        _macro("statements", result, md, limit),
        _macro("sources", result, md),
    ]
    return "\n".join(p for p in parts if p).strip() + ("" if md else "\n")


def check_blocks(result: TextCheck) -> list[dict[str, Any]]:
    """The check as Block Kit: header, summary, the statements, citations (at most 50 blocks)."""
    title = _macro("headline", result, False)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title, HEADER_LIMIT)}},
        _section(_macro("summary", result, True)),
    ]
    listed = _macro("statements", result, True, MAX_LISTED)
    blocks += [_section(chunk) for chunk in _chunks(listed, SECTION_LIMIT)]
    links = _macro("sources", result, True).splitlines()
    if links:
        elements = [{"type": "mrkdwn", "text": _clip(link, SECTION_LIMIT)} for link in links[:10]]
        blocks.append({"type": "context", "elements": elements})
    return blocks[: BLOCK_LIMIT - 1]  # room for the share button


def check_mrkdwn(result: TextCheck) -> str:
    """The message text of a check (its fallback when blocks can't be shown)."""
    return _clip(render_check(result, md=True, limit=MAX_LISTED), MAX_MESSAGE)


def check_json(result: TextCheck) -> dict[str, Any]:
    """The check as one JSON-ready object (`tradefact check --format json`)."""
    return {
        "kind": "check",
        "refused": result.refused,
        "statements": [
            {
                "fragment": c.statement.fragment,
                "kind": c.statement.kind,
                "stated": _number(c.statement.stated),
                "unit": c.statement.unit,
                "hedge": c.statement.hedge,
                "reading": c.reading.description if c.reading else None,
                "verdict": c.verdict,
                "computed": _number(c.reading.computed) if c.reading else None,
                "compared_to": _number(c.reading.compared_to) if c.reading else None,
                "tolerance": c.reading.tolerance if c.reading else None,
                "why": c.why,
                "claim": c.claim_id or None,
                "other_readings": [
                    {
                        "reading": r.description,
                        "verdict": r.verdict,
                        "computed": _number(r.computed),
                        "tolerance": r.tolerance,
                    }
                    for r in c.readings[1:]
                ],
                "sources": list(c.reading.source_ids) if c.reading else [],
            }
            for c in result.checks
        ],
        "summary": result.summary(),
        "sources": [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url}
            for s in result.sources
        ],
        "limit": MAX_TEXT,
    }


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text or " "}}
