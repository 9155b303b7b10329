"""The listeners' plain helpers: what question Slack sent, who sent it, what goes back."""

from __future__ import annotations

from typing import Any

import pytest
from asking import ask

import bot.handlers
from bot.handlers import (
    MAX_BLOCKS,
    SHARE_ACTION,
    ephemeral_reply,
    is_from_a_person,
    question_from,
    shared_reply,
    strip_mention,
)
from facts.store import FactStore


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("mexico exports 2024", "mexico exports 2024"),
        ("  mexico exports 2024 \n", "mexico exports 2024"),
        ("exports &gt; 2024 &amp; imports &lt; 2023", "exports > 2024 & imports < 2023"),
        ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),  # a typed "&lt;" is decoded once, not twice
        ("<!channel> mexico", "<!channel> mexico"),  # left for the renderer to escape
        ("", "help"),
        ("   ", "help"),
    ],
)
def test_question_from_decodes_slack_entities_once_and_treats_empty_as_help(
    text: str, question: str
) -> None:
    assert question_from(text) == question


@pytest.mark.parametrize(
    ("text", "bot_user_id", "stripped"),
    [
        ("<@UBOT> mexico exports 2024", "UBOT", "  mexico exports 2024"),
        ("<@UBOT|tradefact> mexico", "UBOT", "  mexico"),
        ("mexico <@UBOT> vs <@UBOT> china", "UBOT", "mexico   vs   china"),
        ("<@UOTHER> mexico", "UBOT", "<@UOTHER> mexico"),
        ("<@UBOTX> mexico", "UBOT", "<@UBOTX> mexico"),
        ("<@UBOT> mexico", None, "<@UBOT> mexico"),
    ],
)
def test_strip_mention_removes_only_the_bots_own_mentions(
    text: str, bot_user_id: str | None, stripped: str
) -> None:
    assert strip_mention(text, bot_user_id) == stripped


@pytest.mark.parametrize(
    ("event", "from_a_person"),
    [
        ({"type": "message", "user": "U1", "text": "hi"}, True),
        ({"type": "message", "user": "U1", "text": "hi", "thread_ts": "1.2"}, True),
        ({"type": "message", "subtype": "bot_message", "bot_id": "B1", "text": "hi"}, False),
        ({"type": "message", "user": "U2", "bot_id": "B1", "text": "hi"}, False),
        ({"type": "message", "subtype": "message_changed", "message": {"user": "U1"}}, False),
        ({"type": "message", "subtype": "channel_join", "user": "U1"}, False),
        ({"type": "message", "subtype": "thread_broadcast", "user": "U1", "text": "hi"}, True),
        ({"type": "message", "subtype": "file_share", "user": "U1", "text": "hi"}, True),
        ({"type": "message", "subtype": "file_share", "bot_id": "B1", "text": "hi"}, False),
        ({"type": "message", "text": "no user"}, False),
    ],
)
def test_is_from_a_person_accepts_only_plain_messages_by_users(
    event: dict[str, Any], from_a_person: bool
) -> None:
    assert is_from_a_person(event) is from_a_person


def _share_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == SHARE_ACTION
    ]


@pytest.mark.parametrize(
    ("question", "shareable"),
    [
        ("mexico exports 2024", True),
        ("mexico vs china exports 2024", True),
        ("help", False),
        ("what is love", False),  # not understood
        ("exports to narnia 2024", False),  # no data
    ],
)
def test_ephemeral_reply_offers_a_share_button_only_for_answers_worth_sharing(
    store: FactStore, question: str, shareable: bool
) -> None:
    reply = ephemeral_reply(question, ask(store, question))
    buttons = _share_buttons(reply["blocks"])
    assert [b["value"] for b in buttons] == ([question] if shareable else [])
    assert reply["unfurl_links"] is False


def test_ephemeral_reply_has_no_share_button_for_a_question_too_long_to_carry(
    store: FactStore,
) -> None:
    question = "mexico exports 2024 " + "x" * 2000
    assert _share_buttons(ephemeral_reply(question, ask(store, question))["blocks"]) == []


def test_ephemeral_reply_has_no_share_button_when_the_answer_fills_every_block(
    store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = [{"type": "divider"}] * MAX_BLOCKS
    monkeypatch.setattr(bot.handlers, "render_blocks", lambda answer: list(full))
    reply = ephemeral_reply("mexico exports 2024", ask(store, "mexico exports 2024"))
    assert reply["blocks"] == full


def test_shared_reply_credits_the_sharer_first_and_stays_within_slacks_block_limit(
    store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = ask(store, "mexico exports 2024")
    reply = shared_reply(answer, "U0SHARER")
    assert reply["blocks"][0]["elements"][0]["text"] == "Shared by <@U0SHARER>"
    assert "$334.5 billion" in reply["text"]
    monkeypatch.setattr(bot.handlers, "render_blocks", lambda answer: [{"type": "divider"}] * 50)
    assert len(shared_reply(answer, "U0SHARER")["blocks"]) == MAX_BLOCKS


@pytest.mark.parametrize("user_id", ["<!channel>", "U1> <!here", "", "u0lower"])
def test_shared_reply_never_puts_a_malformed_user_id_into_markup(
    store: FactStore, user_id: str
) -> None:
    reply = shared_reply(ask(store, "mexico exports 2024"), user_id)
    assert reply["blocks"][0]["elements"][0]["text"] == "Shared by someone"
