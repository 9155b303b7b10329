"""End to end over HTTP: the real `tradefact serve`, signed Slack requests, a fake Web API."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fakeslack import RESPONSE_URL, Call
from slack_helpers import (
    BOT_TOKEN,
    BOT_USER_ID,
    SECRET,
    BotServer,
    HttpResult,
    assert_no_user_markup,
    block_action,
    event_callback,
    request,
    sent_text,
    slash_command,
    status_or_hangup,
)

CENSUS_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _mention(served: BotServer, text: str, **event: Any) -> tuple[HttpResult, list[Call]]:
    response = served.post(event_callback("app_mention", text, **event), form=False)
    served.wait_idle()  # acknowledged first; the runner posts right after
    return response, served.fake.calls("chat.postMessage")


# --- health and the slash command ------------------------------------------------------------


def test_healthz_answers_200_once_the_store_is_open(served: BotServer) -> None:
    response = request(f"{served.url}/healthz")
    assert (response.status, response.body) == (200, b"ok\n")
    assert served.fake.calls() == []


@pytest.mark.parametrize("path", ["/", "/slack/events", "/healthz/../slack"])
def test_other_paths_and_get_requests_are_not_found(served: BotServer, path: str) -> None:
    assert request(f"{served.url}{path}").status == 404
    assert served.fake.calls() == []


def test_slash_command_answers_in_the_http_response_as_an_ephemeral_with_a_share_button(
    served: BotServer,
) -> None:
    response = served.post(slash_command("mexico exports 2024", served.fake.response_url()))
    assert response.status == 200
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    assert "$334.5 billion" in reply["text"]
    assert CENSUS_URL in reply["text"]
    assert "$334.5 billion" in sent_text(reply["blocks"])
    assert f"<{CENSUS_URL}|" in sent_text(reply["blocks"])
    [button] = _buttons(reply["blocks"])
    assert (button["action_id"], button["value"]) == ("share_answer", "mexico exports 2024")
    assert button["text"]["text"] == "Share in channel"
    # Answered in the HTTP response: nothing was posted to a response_url or the Web API.
    assert served.fake.calls(RESPONSE_URL) == []
    assert served.fake.calls("chat.postMessage") == []


@pytest.mark.parametrize("text", ["", "help", "  HELP  "])
def test_empty_or_help_slash_command_shows_usage_with_examples_and_no_share_button(
    served: BotServer, text: str
) -> None:
    reply = served.post(slash_command(text, served.fake.response_url())).json()
    assert reply["response_type"] == "ephemeral"
    assert "What you can ask TradeFact" in reply["text"]
    assert "mexico exports 2024" in reply["text"]
    # The examples are buttons that ask them; nothing to share.
    buttons = _buttons(reply["blocks"])
    assert buttons and all(b["action_id"].startswith("ask-") for b in buttons)
    assert buttons[0]["value"] == "mexico exports 2024"


@pytest.mark.parametrize("text", ["payload", "mexico exports 2024 payload"])
def test_a_question_with_the_word_payload_is_still_a_slash_command(
    served: BotServer, text: str
) -> None:
    # Bolt alone reads any form body containing "payload" as an empty interactive payload (404).
    response = served.post(slash_command(text, served.fake.response_url()))
    assert response.status == 200
    # Every word counts: "payload" is named as a word the bot can't use, not dropped.
    expected = "“payload”, which I can't use" if "2024" in text else "didn't understand"
    assert expected in response.json()["text"]


@pytest.mark.parametrize(
    "question",
    [
        "exports to narnia 2024",  # echoed back in the "no data" answer
        "mexico exports 2024",
        "what is love",
    ],
)
def test_slash_command_never_sends_a_users_slack_markup_back_unescaped(
    served: BotServer, question: str
) -> None:
    # Slack sends a typed "<" as &lt;, and real mentions as <!channel> / <@U123>.
    text = f"<!channel> <@U123> &lt;!here&gt; <https://evil.example|click> {question}"
    reply = served.post(slash_command(text, served.fake.response_url())).json()
    assert reply["response_type"] == "ephemeral"
    assert_no_user_markup(reply)


def test_share_button_posts_the_answer_to_the_channel_attributed_to_the_sharer(
    served: BotServer,
) -> None:
    response_url = served.fake.response_url("share")
    response = served.post(block_action("mexico exports 2024", response_url, user_id="U0SHARER"))
    assert response.status == 200
    shared, deleted = served.fake.wait_for(RESPONSE_URL, 2)
    assert shared.path == deleted.path == "/response/share"
    assert shared.params["response_type"] == "in_channel"
    assert shared.params["replace_original"] is False
    assert shared.params["blocks"][0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Shared by <@U0SHARER>"}],
    }
    assert "$334.5 billion" in shared.params["text"]
    assert f"<{CENSUS_URL}|" in sent_text(shared.params["blocks"])
    assert _buttons(shared.params["blocks"]) == []
    assert deleted.params["delete_original"] is True


# --- mentions and direct messages ------------------------------------------------------------


def test_mention_is_answered_once_in_a_thread_under_it_without_the_bots_own_mention(
    served: BotServer,
) -> None:
    response, posts = _mention(served, f"<@{BOT_USER_ID}> mexico exports 2024", ts="1715.000200")
    assert response.status == 200
    [post] = posts
    assert post.params["channel"] == "C2147483705"
    assert post.params["thread_ts"] == "1715.000200"
    assert "$334.5 billion" in post.params["text"]
    assert f"<{CENSUS_URL}|" in sent_text(post.params["blocks"])
    assert post.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_mention_inside_a_thread_is_answered_in_that_thread(served: BotServer) -> None:
    _, [post] = _mention(
        served, f"<@{BOT_USER_ID}> mexico exports 2024", ts="1715.000900", thread_ts="1715.000100"
    )
    assert post.params["thread_ts"] == "1715.000100"


def test_mention_with_slack_markup_never_pings_anyone(served: BotServer) -> None:
    _, [post] = _mention(served, f"<@{BOT_USER_ID}> <!channel> <!here> <@U123> exports to narnia")
    assert_no_user_markup(post.params)


def test_direct_message_is_answered_in_the_dm(served: BotServer) -> None:
    response = served.post(event_callback("message_im", "mexico exports 2024"), form=False)
    assert response.status == 200
    served.wait_idle()
    [post] = served.fake.calls("chat.postMessage")
    assert post.params["channel"] == "D0DIRECT01"
    assert "thread_ts" not in post.params
    assert "$334.5 billion" in post.params["text"]


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("message_im", {"bot_id": "B0OTHER", "subtype": "bot_message"}),
        ("message_im", {"bot_id": "B0OTHER"}),  # newer bot messages carry no subtype
        ("message_im", {"subtype": "message_changed"}),
        ("message_im", {"subtype": "message_deleted"}),
        # (a person's file_share and thread_broadcast are questions: tests/test_bot_messages.py)
        ("message_im", {"user": BOT_USER_ID}),  # the bot's own message
        ("message_im", {"channel_type": "channel", "channel": "C2147483705"}),
        ("app_mention", {"bot_id": "B0OTHER"}),
    ],
)
def test_bot_messages_edits_other_subtypes_and_own_messages_are_ignored(
    served: BotServer, name: str, event: dict[str, Any]
) -> None:
    before = served.wait_idle()
    response = served.post(event_callback(name, "mexico exports 2024", **event), form=False)
    assert response.status == 200
    assert served.wait_idle() == before  # no job was even queued
    assert served.fake.calls("chat.postMessage") == []


# --- Slack's rules: retries, signatures, rate limits, errors ---------------------------------


def test_retried_event_is_answered_once_even_while_the_first_post_is_running(
    served: BotServer,
) -> None:
    served.fake.fail("chat.postMessage", delay=1.0)  # the first answer is slow to post
    body = event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024")
    assert served.post(body, form=False).status == 200  # acknowledged before the post
    served.fake.wait_for("chat.postMessage")  # the runner is now posting
    retries = [
        served.post(body, form=False, headers={"X-Slack-Retry-Num": n}).status for n in "123"
    ]
    assert retries == [200, 200, 200]
    served.wait_idle()
    assert len(served.fake.calls("chat.postMessage")) == 1


def test_the_same_event_delivered_twice_in_a_row_is_answered_once(served: BotServer) -> None:
    body = event_callback("message_im", "mexico exports 2024")
    for retry in ("", "1", "2", "3"):
        headers = {"X-Slack-Retry-Num": retry} if retry else {}
        assert served.post(body, form=False, headers=headers).status == 200
    served.wait_idle()
    assert len(served.fake.calls("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("secret", "age"),
    [
        ("not-the-signing-secret", 0),
        (SECRET, 5 * 60 + 30),  # a replay: older than Slack's 5-minute window
    ],
    ids=["bad_signature", "stale_timestamp"],
)
@pytest.mark.parametrize("kind", ["slash_command", "event", "action"])
def test_request_with_bad_or_stale_signature_gets_401_and_causes_nothing(
    served: BotServer, secret: str, age: int, kind: str
) -> None:
    response_url = served.fake.response_url()
    body, form = {
        "slash_command": (slash_command("mexico exports 2024", response_url), True),
        "event": (event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024"), False),
        "action": (block_action("mexico exports 2024", response_url), True),
    }[kind]
    response = served.post(body, form=form, secret=secret, timestamp=int(time.time()) - age)
    assert response.status == 401
    assert b"334.5" not in response.body
    assert served.fake.calls() == []


def test_request_without_signature_headers_gets_401(served: BotServer) -> None:
    body = slash_command("mexico exports 2024", served.fake.response_url())
    response = request(f"{served.url}/slack/events", body)
    assert response.status == 401
    assert served.fake.calls() == []


def test_url_verification_challenge_is_echoed(served: BotServer) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    response = served.post(body, form=False)
    assert response.status == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_undecodable_signed_body_gets_400_and_a_huge_one_413(served: BotServer) -> None:
    assert served.post("payload=%7Bnot-json", form=True).status == 400
    huge = "text=" + "x" * (1 << 20)
    assert status_or_hangup(lambda: served.post(huge, form=True)) in (413, None)
    assert served.fake.calls() == []


def test_rate_limited_post_is_retried_after_retry_after_and_posted_once(served: BotServer) -> None:
    served.fake.fail("chat.postMessage", retry_after=1)
    response = served.post(event_callback("message_im", "mexico exports 2024"), form=False)
    assert response.status == 200
    limited, posted = served.fake.wait_for("chat.postMessage", 2)
    assert (limited.status, posted.ok) == (429, True)
    assert posted.at - limited.at >= 1.0
    served.wait_for_log("Slack API chat.postMessage rate limited (HTTP 429); job ")


def test_web_api_error_is_logged_with_method_and_code_and_not_retried(served: BotServer) -> None:
    # An error code means Slack posted nothing, and retrying won't change its mind.
    served.fake.fail("chat.postMessage", error="not_in_channel")
    body = event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024")
    failed = served.wait_idle().get("failed", 0)
    assert served.post(body, form=False).status == 200
    served.wait_for_log("Slack API chat.postMessage failed: not_in_channel (HTTP 200)")
    assert served.wait_idle()["failed"] == failed + 1
    assert [c.ok for c in served.fake.calls("chat.postMessage")] == [False]


def test_web_api_server_error_is_checked_in_the_dm_then_posted_once(served: BotServer) -> None:
    # A 500 may come after the message was posted: the runner looks for the job's metadata in
    # the DM's history before it posts again.
    served.fake.fail("chat.postMessage", status=500)
    response = served.post(event_callback("message_im", "mexico exports 2024"), form=False)
    assert response.status == 200
    served.wait_for_log("Slack API chat.postMessage failed: no error code (HTTP 500); job ")
    failed, posted = served.fake.wait_for("chat.postMessage", 2)
    [look] = served.fake.calls("conversations.history")
    assert failed.at < look.at < posted.at
    assert (failed.status, posted.ok) == (500, True)
    served.wait_idle()
    assert len(served.fake.calls("chat.postMessage")) == 2


def test_web_api_connection_reset_is_logged_checked_and_posted_once(served: BotServer) -> None:
    served.fake.fail("chat.postMessage", reset=True)
    body = event_callback("message_im", "mexico exports 2024")
    assert served.post(body, form=False).status == 200
    served.wait_for_log("Slack API chat.postMessage failed: ConnectionResetError; job ")
    assert served.post(body, form=False, headers={"X-Slack-Retry-Num": "1"}).status == 200
    served.fake.wait_for("chat.postMessage", 2)
    served.wait_idle()
    assert [c.ok for c in served.fake.calls("chat.postMessage")] == [False, True]


def test_server_log_never_contains_the_bot_token_or_signing_secret(served: BotServer) -> None:
    served.post(slash_command("mexico exports 2024", served.fake.response_url()))
    log = served.log()
    assert "Application startup complete" in log
    assert BOT_TOKEN not in log
    assert SECRET not in log
