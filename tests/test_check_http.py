"""Checking the numbers over HTTP, end to end: `/tradefact check`, the "Check the numbers"
message shortcut and "check:" in a mention or DM, as real signed requests to `tradefact serve`,
answered through the fake Slack Web API.

The shortcut's payload (tests/payloads/message_action.json) has the shape Slack sends, as in
slack-bolt's own tests (tests/scenario_tests/test_app_using_methods_in_class.py): a form body
`payload=<JSON>` of type message_action with callback_id, channel, message and response_url.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import raw_figures
import yaml
from fakeslack import RESPONSE_URL
from slack_helpers import (
    BOT_USER_ID,
    REPO,
    BotServer,
    assert_no_user_markup,
    block_action,
    event_callback,
    payload,
    sent_text,
    slash_command,
)

from bot.checking import CHECK_SHORTCUT
from bot.render import money

TEXT = "In 2024, Mexico bought $335 billion of U.S. goods, 2.3 times more than China."
SUMMARY = "2 supported, 0 roughly, 0 not supported, 0 can't check"
EXPORTS_2024 = money(raw_figures.census("MEX", "exports", 2024))  # "$334.5 billion"


def message_action(text: str, response_url: str, **message: Any) -> str:
    """A message shortcut body for "Check the numbers" on a message with `text`."""
    body = payload("message_action")
    body["trigger_id"] = f"{uuid.uuid4().int % 10**11}.738474920.{uuid.uuid4().hex[:31]}"
    body["message"]["text"] = text
    body["message"].update(message)
    body["response_url"] = response_url
    return urlencode({"payload": json.dumps(body)})


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


# --- /tradefact check ---------------------------------------------------------------------------


def test_slash_check_answers_privately_statement_by_statement_with_a_summary_and_share_button(
    served: BotServer,
) -> None:
    response = served.post(slash_command(f"check {TEXT}", served.fake.response_url()))
    assert response.status == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    shown = sent_text(reply["blocks"])
    assert SUMMARY in reply["text"] and SUMMARY in shown
    assert "1. ✅ *Supported*: “Mexico bought $335 billion of U.S. goods”" in shown
    assert f"computed {EXPORTS_2024}" in shown
    assert "2. ✅ *Supported*: “2.3 times more than China”" in shown
    assert "<https://www.census.gov/foreign-trade/balance/country.xlsx|" in shown
    [button] = _buttons(reply["blocks"])
    assert (button["action_id"], button["value"]) == ("share_answer", f"check {TEXT}")
    assert served.fake.calls("chat.postMessage") == []


def test_slash_check_escapes_the_quoted_text_so_nobody_is_pinged(served: BotServer) -> None:
    text = "check <!channel> &lt;!here&gt; In 2024 Mexico bought $335 billion of U.S. goods."
    reply = served.post(slash_command(text, served.fake.response_url())).json()
    assert "1 supported" in reply["text"]
    assert_no_user_markup(reply)


def test_slash_check_of_a_text_without_figures_says_so_and_offers_no_share_button(
    served: BotServer,
) -> None:
    reply = served.post(slash_command("check Trade matters.", served.fake.response_url())).json()
    assert "No figure, ratio, rank or record to check was found." in reply["text"]
    assert _buttons(reply["blocks"]) == []


def test_sharing_a_check_posts_it_in_the_channel(served: BotServer) -> None:
    response_url = served.fake.response_url("share-check")
    served.post(block_action(f"check {TEXT}", response_url, user_id="U0SHARER"))
    shared, deleted = served.fake.wait_for(RESPONSE_URL, 2)
    assert shared.params["response_type"] == "in_channel"
    assert SUMMARY in shared.params["text"]
    assert "Shared by <@U0SHARER>" in sent_text(shared.params["blocks"])
    assert deleted.params["delete_original"] is True


# --- the "Check the numbers" message shortcut ---------------------------------------------------


def test_shortcut_replies_with_the_check_in_the_messages_thread(served: BotServer) -> None:
    response = served.post(message_action(TEXT, served.fake.response_url("sc")))
    assert response.status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "C2147483705"
    assert post.params["thread_ts"] == "1715000200.000300"  # the checked message's ts
    assert SUMMARY in post.params["text"]
    assert f"computed {EXPORTS_2024}" in sent_text(post.params["blocks"])
    assert _buttons(post.params["blocks"]) == []
    assert served.fake.calls(RESPONSE_URL) == []


def test_shortcut_on_a_reply_answers_in_the_same_thread(served: BotServer) -> None:
    served.post(message_action(TEXT, served.fake.response_url(), thread_ts="1715000100.000100"))
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1715000100.000100"


def test_shortcut_answers_privately_where_the_bot_cannot_post(served: BotServer) -> None:
    served.fake.fail("chat.postMessage", error="not_in_channel")
    served.post(message_action(TEXT, served.fake.response_url("private")))
    [private] = served.fake.wait_for(RESPONSE_URL)
    assert private.path == "/response/private"
    assert private.params["response_type"] == "ephemeral"
    assert "I can't post in this conversation" in private.params["text"]
    assert SUMMARY in private.params["text"]


def test_shortcut_on_a_message_without_figures_says_there_is_nothing_to_check(
    served: BotServer,
) -> None:
    served.post(message_action("Great meeting today, thanks all!", served.fake.response_url()))
    [post] = served.fake.wait_for("chat.postMessage")
    assert "Nothing checked" in post.params["text"]
    assert "No figure, ratio, rank or record to check was found." in post.params["text"]


def test_shortcut_on_a_text_over_the_limit_names_the_limit(served: BotServer) -> None:
    served.post(message_action(TEXT * 600, served.fake.response_url()))  # 46,800 characters
    [post] = served.fake.wait_for("chat.postMessage")
    assert "the limit is 40,000" in post.params["text"]


def test_shortcut_reads_links_and_mentions_as_words_and_sends_no_markup_back(
    served: BotServer,
) -> None:
    text = "<!channel> <@U061F7AUR> says: " + TEXT.replace("China", "<https://x.example|China>")
    served.post(message_action(text, served.fake.response_url()))
    [post] = served.fake.wait_for("chat.postMessage")
    assert SUMMARY in post.params["text"]
    assert_no_user_markup(post.params)


# --- mentions and DMs ---------------------------------------------------------------------------


def test_check_in_a_mention_is_answered_in_its_thread(served: BotServer) -> None:
    body = event_callback("app_mention", f"<@{BOT_USER_ID}> check: {TEXT}", ts="1715.000500")
    assert served.post(body, form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == "1715.000500"
    assert SUMMARY in post.params["text"]


def test_a_pasted_paragraph_in_a_dm_is_checked(served: BotServer) -> None:
    paragraph = "Trade is booming. " + TEXT
    served.post(event_callback("message_im", paragraph), form=False)
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "D0DIRECT01"
    assert SUMMARY in post.params["text"]


def test_manifest_offers_the_check_the_numbers_message_shortcut() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    assert manifest["features"]["shortcuts"] == [
        {
            "name": "Check the numbers",
            "type": "message",
            "callback_id": CHECK_SHORTCUT,
            "description": "Check every figure in this message against the data",
        }
    ]
    assert payload("message_action")["callback_id"] == CHECK_SHORTCUT
