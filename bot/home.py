"""The App Home tab: the latest figures, the op-ed's claims, the user's digests, examples.

Home.view() builds the view (Block Kit) from the fact store and the subscriptions; bot.manage
publishes it with views.publish when the user opens the tab and the view they were last shown
is out of date: the data was rebuilt, a subscription of the workspace changed, the user chose a
language, or an hour passed (channel memberships, read at build time, may have changed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.render import escape_mrkdwn, render_digest_part, verdict_icon, verdict_label
from bot.subscriptions import LANGUAGES, Subscription
from facts.context import Context
from facts.digest import Digest, build_digest
from facts.model import ClaimCheck
from facts.store import FactStore

LAYOUT = "1"  # bump when the view's layout changes: every Home is rebuilt on its next open
REFRESH_S = 3600  # rebuild an opened Home at most this often when nothing else changed
MAX_SUBSCRIPTIONS = 10  # shown on the Home (each takes two blocks; a view holds 100)
ASK_ACTION = "home_ask_{}"  # example-question buttons: home_ask_0, home_ask_1, ...
PREVIEW_ACTION = "home_preview"
UNSUBSCRIBE_ACTION = "home_unsubscribe"
LANGUAGE_ACTION = "home_language"
CHECK_TEXT_ACTION = "home_check_text"
CHECK_MODAL = "check_text_modal"  # the "Check a text" modal's callback_id
MAX_INPUT = 3000  # characters in a modal's text box (Slack's limit)
EXAMPLES = (
    "mexico exports 2024",
    "mexico vs china exports 2024",
    "top 10 export markets 2024",
    "nationwide encounters june 2025",
    "claims",
)
_TEXT_LIMIT = 3000


def version(store: FactStore, subscriptions: str, language: str, now: float) -> str:
    """What a Home is built from; the same version means the same view (see the module doc)."""
    return f"{LAYOUT}:{store.fingerprint}:{subscriptions}:{language}:{int(now // REFRESH_S)}"


class Home:
    """Builds Home views from one answering context (its store and its claim verdicts)."""

    def __init__(self, context: Context) -> None:
        self.store = context.store
        self._checks = tuple(context.checks.values())
        self._digest: Digest | None = None

    def _latest(self) -> Digest:
        if self._digest is None:  # the store a process opened never changes under it
            # The figures are the newest the store holds, whatever the day (facts.digest).
            self._digest = build_digest(self.store, date.today())
        return self._digest

    def view(
        self,
        subscriptions: list[Subscription],
        language: str,
        view_version: str,
        text_check: bool = False,
    ) -> dict[str, Any]:
        """The Home tab for one user: `subscriptions` are those of channels the user is in."""
        digest, checks = self._latest(), self._checks
        blocks: list[dict[str, Any]] = [
            _header("TradeFact"),
            _section(
                "Exact, cited figures on U.S. trade and the border. Ask with `/tradefact` in any"
                " channel, by mentioning @TradeFact, or in a message to me."
            ),
            *_figures(digest),
            {"type": "divider"},
            *_claims(checks),
            {"type": "divider"},
            *_digests(subscriptions),
            {"type": "divider"},
            *_try(language, text_check),
        ]
        return {"type": "home", "private_metadata": view_version, "blocks": blocks}


def _figures(digest: Digest) -> list[dict[str, Any]]:
    blocks = [_section(render_digest_part("latest_month", digest))]
    blocks.append(_citations(render_digest_part("trade_sources", digest)))
    border = render_digest_part("border", digest)
    if border:
        blocks += [_section(border), _citations(render_digest_part("border_sources", digest))]
    return blocks


def _claims(checks: tuple[ClaimCheck, ...]) -> list[dict[str, Any]]:
    """One line per claim (the verdict and the topic): the details are a button away."""
    lines = [
        f"{verdict_icon(c.verdict)} *{verdict_label(c.verdict)}* — Claim {c.number}:"
        f" {escape_mrkdwn(c.topic)}"
        for c in checks
    ]
    text = "\n".join(lines)
    ask = _button("Show every claim with its figures", ASK_ACTION.format(len(EXAMPLES) - 1))
    ask["value"] = "claims"
    return [
        _header("The op-ed's claims, checked"),
        _section(text[:_TEXT_LIMIT]),
        {"type": "actions", "block_id": "claims", "elements": [ask]},
    ]


def _digests(subscriptions: list[Subscription]) -> list[dict[str, Any]]:
    blocks = [_header("Weekly digest")]
    if not subscriptions:
        blocks.append(
            _section(
                "No channel you're in gets the weekly digest. In a channel, type"
                " `/tradefact digest subscribe` (add a day, a time or `es`: `/tradefact digest"
                " subscribe friday 8:00 es`)."
            )
        )
        return blocks
    for s in subscriptions[:MAX_SUBSCRIPTIONS]:
        blocks.append(_section(f"<#{s.channel}>: {escape_mrkdwn(s.describe())}"))
        preview = {**_button("Preview", PREVIEW_ACTION), "value": s.channel}
        stop = {
            **_button("Unsubscribe", UNSUBSCRIBE_ACTION),
            "value": s.channel,
            "style": "danger",
            "confirm": {
                "title": _plain("Unsubscribe?"),
                "text": _plain("The channel will no longer get the weekly digest."),
                "confirm": _plain("Unsubscribe"),
                "deny": _plain("Cancel"),
            },
        }
        blocks.append(
            {"type": "actions", "block_id": f"digest_{s.channel}", "elements": [preview, stop]}
        )
    if len(subscriptions) > MAX_SUBSCRIPTIONS:
        more = len(subscriptions) - MAX_SUBSCRIPTIONS
        blocks.append(_context(f"…and {more} more: `/tradefact digest status` in each channel"))
    return blocks


def _try(language: str, text_check: bool) -> list[dict[str, Any]]:
    asks = []
    for number, question in enumerate(EXAMPLES[:-1]):
        asks.append({**_button(question, ASK_ACTION.format(number)), "value": question})
    options = [{"text": _plain(name), "value": code} for code, name in LANGUAGES.items()]
    chosen = next(o for o in options if o["value"] == language)
    choose: dict[str, Any] = {
        "type": "static_select",
        "action_id": LANGUAGE_ACTION,
        "placeholder": _plain("Language"),
        "options": options,
        "initial_option": chosen,
    }
    settings: list[dict[str, Any]] = [choose]
    if text_check:
        settings.append(_button("Check a text", CHECK_TEXT_ACTION))
    return [
        _header("Try asking"),
        _context("Each button sends you the answer in a message from TradeFact."),
        {"type": "actions", "block_id": "examples", "elements": asks},
        {"type": "actions", "block_id": "settings", "elements": settings},
        _context(f"Answers in {LANGUAGES[language]}."),
    ]


def check_modal() -> dict[str, Any]:
    """The modal of the Home's "Check a text" button: one text box."""
    box = {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "max_length": MAX_INPUT,  # Slack's limit for a text box
        "placeholder": {"type": "plain_text", "text": "In 2024 Mexico bought $335 billion…"},
    }
    return {
        "type": "modal",
        "callback_id": CHECK_MODAL,
        "title": {"type": "plain_text", "text": "Check a text"},
        "submit": {"type": "plain_text", "text": "Check"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "text",
                "label": {"type": "plain_text", "text": "A text with figures"},
                "element": box,
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Every figure is checked against the data; the result comes"
                        " in a message from TradeFact.",
                    }
                ],
            },
        ],
    }


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": _plain(text)}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:_TEXT_LIMIT]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _citations(text: str) -> dict[str, Any]:
    lines = [line for line in text.splitlines() if line][:10]
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": ln} for ln in lines]}


def _button(text: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": _plain(text[:75])}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}
