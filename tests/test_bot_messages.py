"""End to end: every shape of a person's message Slack really sends gets one right answer.

Payload files in tests/payloads/ follow the shapes in Slack's Events API reference and its SDKs'
test fixtures: an edited mention (same ts, an `edited` field), a DM "also send to channel"
(subtype thread_broadcast), a DM with a file (subtype file_share), a reply in a DM thread.
"""

from __future__ import annotations

import json

from slack_helpers import BotServer, event_callback, payload


def test_an_edited_mention_updates_the_earlier_reply_instead_of_posting_again(
    served: BotServer,
) -> None:
    mention = payload("app_mention")["event"]
    served.post(event_callback("app_mention"), form=False)
    [first] = served.fake.wait_for("chat.postMessage")
    edited = event_callback("app_mention_edited")  # a fresh event_id each time
    assert served.post(edited, form=False).status == 200
    [update] = served.fake.wait_for("chat.update")
    assert served.fake.calls("chat.postMessage") == [first]  # no second post
    [posted] = served.fake.posted(mention["channel"])  # the one reply, now updated
    assert update.params["ts"] == posted["ts"]
    assert update.params["channel"] == mention["channel"]
    assert update.params["text"].startswith("*U.S. exports to Mexico, 2023: $324.4 billion*")
    assert posted["text"] == update.params["text"]


def test_an_edited_mention_without_an_earlier_reply_is_answered(served: BotServer) -> None:
    edited = event_callback("app_mention_edited")  # a fresh event_id each time
    assert served.post(edited, form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["text"].startswith("*U.S. exports to Mexico, 2023: $324.4 billion*")
    assert post.params["thread_ts"] == payload("app_mention")["event"]["ts"]


def test_a_dm_also_sent_to_the_conversation_is_answered(served: BotServer) -> None:
    body = json.loads(event_callback("message_im_thread_broadcast"))  # a fresh event_id
    assert served.post(json.dumps(body), form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["text"].startswith("*U.S. exports to Canada, 2024: $350.6 billion*")
    assert post.params["thread_ts"] == body["event"]["thread_ts"]


def test_a_dm_with_a_file_attached_is_answered(served: BotServer) -> None:
    body = json.loads(event_callback("message_im_file_share"))  # a fresh event_id
    assert served.post(json.dumps(body), form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["text"].startswith("*Top 10 U.S. export markets, 2024: Canada first")


def test_a_reply_in_a_dm_thread_is_answered_in_that_thread(served: BotServer) -> None:
    thread = "1715000100.000300"
    body = event_callback(
        "message_im", "mexico imports 2024", thread_ts=thread, ts="1715000400.000900"
    )
    assert served.post(body, form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == thread
    assert post.params["text"].startswith("*U.S. imports from Mexico, 2024:")
    # Bolt's assistant helpers would read the thread first (conversations.replies) on the ack
    # path; they are off, so the only Web API calls are the bot's own.
    assert served.fake.calls("conversations.replies") == []
