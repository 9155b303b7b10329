"""End to end: charts uploaded into threads, the buttons under answers, and odd deliveries.

The real `tradefact serve`, signed requests, and a fake Web API that takes files the way
files_upload_v2 sends them (tests/fakeslack.py).
"""

from __future__ import annotations

import itertools
import json
import struct
import time
from typing import Any
from urllib.parse import urlencode

from fakeslack import RESPONSE_URL, UPLOAD
from slack_helpers import BotServer, event_callback, payload, slash_command

from bot.handlers import CHART_ACTION
from bot.uploads import NO_CHART_HERE

TREND = "mexico exports 2015-2024"
_CLICKS = itertools.count(1)
TREND_HEADLINE = "U.S. exports to Mexico, 2015–2024: $236.5 billion to $334.5 billion"


def _click(action_id: str, value: str, response_url: str, **action: Any) -> str:
    """A click, on a message of its own (a second click on one message is the same click)."""
    body = payload("block_actions")
    fresh = f"1715{next(_CLICKS):06d}.000400"
    body["container"]["message_ts"] = fresh
    body["actions"][0].update(action_id=action_id, value=value, action_ts=fresh, **action)
    body["response_url"] = response_url
    return urlencode({"payload": json.dumps(body)})


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_a_trend_in_a_mention_gets_its_chart_uploaded_into_the_thread(served: BotServer) -> None:
    mention = payload("app_mention")["event"]
    response = served.post(event_callback("app_mention", f"<@UBOT> {TREND}"), form=False)
    assert response.status == 200
    [complete] = served.fake.wait_for("files.completeUploadExternal", timeout=15)
    [post] = served.fake.calls("chat.postMessage")
    [start] = served.fake.calls("files.getUploadURLExternal")
    assert post.at < start.at  # the text answer first; the chart follows
    assert post.params["thread_ts"] == mention["ts"]
    assert (complete.params["channel_id"], complete.params["thread_ts"]) == (
        mention["channel"],
        mention["ts"],
    )
    [file] = json.loads(complete.params["files"])
    upload = served.fake.uploaded(file["id"])
    assert upload["title"] == TREND_HEADLINE
    assert upload["filename"] == "tradefact-chart.png"
    assert _png_size(upload["data"]) == (960, 576)
    assert complete.ok


def test_a_lookup_gets_no_chart(served: BotServer) -> None:
    served.post(event_callback("app_mention", "<@UBOT> mexico exports 2024"), form=False)
    served.fake.wait_for("chat.postMessage")
    served.post(event_callback("app_mention", f"<@UBOT> {TREND}"), form=False)
    served.fake.wait_for("files.completeUploadExternal", timeout=15)
    assert len(served.fake.calls("files.getUploadURLExternal")) == 1  # the trend's only


def test_a_trend_in_a_dm_gets_its_chart_in_the_dm(served: BotServer) -> None:
    im = payload("message_im")["event"]
    served.post(event_callback("message_im", TREND), form=False)
    [complete] = served.fake.wait_for("files.completeUploadExternal", timeout=15)
    assert complete.params["channel_id"] == im["channel"]


def test_a_slash_trend_has_a_chart_button_that_posts_the_chart_in_the_channel(
    served: BotServer,
) -> None:
    reply = served.post(slash_command(TREND, served.fake.response_url())).json()
    share = next(b for b in reply["blocks"] if b.get("block_id") == "share")
    assert [(e["action_id"], e["value"]) for e in share["elements"]] == [
        ("share_answer", TREND),
        (CHART_ACTION, TREND),
    ]
    assert served.fake.calls(UPLOAD) == []  # nothing drawn until asked
    response = served.post(_click(CHART_ACTION, TREND, served.fake.response_url()))
    assert response.status == 200
    [complete] = served.fake.wait_for("files.completeUploadExternal", timeout=15)
    assert complete.params["channel_id"] == payload("block_actions")["channel"]["id"]
    assert complete.params["initial_comment"] == f"Chart for <@U2147483697>: {TREND}"


def test_the_chart_button_says_so_when_the_bot_cannot_post_in_the_channel(
    served: BotServer,
) -> None:
    served.fake.fail("files.completeUploadExternal", error="not_in_channel")
    served.post(_click(CHART_ACTION, TREND, served.fake.response_url()))
    [said] = served.fake.wait_for(RESPONSE_URL, timeout=15)
    assert said.params == {
        "text": NO_CHART_HERE,
        "response_type": "ephemeral",
        "replace_original": False,
    }


def test_show_all_answers_with_every_figure_privately(served: BotServer) -> None:
    question = "mexico exports 1991-2025"
    reply = served.post(slash_command(question, served.fake.response_url())).json()
    assert reply["text"].count("• Exports to Mexico") < 35
    served.post(_click("show_all", question, served.fake.response_url()))
    [shown] = served.fake.wait_for(RESPONSE_URL)
    assert shown.params["text"].count("• Exports to Mexico") == 35
    assert (shown.params["response_type"], shown.params["replace_original"]) == ("ephemeral", False)


def test_a_suggestion_button_asks_its_question(served: BotServer) -> None:
    reply = served.post(slash_command("what is the meaning of life", "x")).json()
    [first, *_] = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    served.post(_click(first["action_id"], first["value"], served.fake.response_url()))
    [answered] = served.fake.wait_for(RESPONSE_URL)
    assert answered.params["text"].startswith("*U.S. exports to Mexico, 2024: $334.5 billion*")
    assert first["value"] == "mexico exports 2024"


def test_an_unknown_action_gets_200_and_a_log_line(served: BotServer) -> None:
    response = served.post(_click("retired_button", "x", served.fake.response_url()))
    assert response.status == 200
    served.wait_for_log("Unknown action 'retired_button'")
    assert served.fake.calls() == []


def test_app_rate_limited_gets_200_and_a_log_line(served: BotServer) -> None:
    body = json.dumps(payload("app_rate_limited"))
    response = served.post(body, form=False)
    assert response.status == 200
    served.wait_for_log("Slack rate-limited this app's events (minute 1518467820)")
    assert served.fake.calls() == []


def test_the_ack_never_waits_for_a_slow_web_api_text_or_chart(served: BotServer) -> None:
    # Every Web API call of the answer answers after 3.5 s, longer than Slack waits for an ack.
    for method in (
        "chat.postMessage",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ):
        served.fake.fail(method, delay=3.5)
    started = time.monotonic()
    response = served.post(event_callback("app_mention", f"<@UBOT> {TREND}"), form=False)
    acked = time.monotonic() - started
    assert response.status == 200 and acked < 1.0
    [post] = served.fake.wait_for("chat.postMessage", timeout=15)
    [done] = served.fake.wait_for("files.completeUploadExternal", timeout=30)
    assert post.at < done.at and done.ok


def test_a_second_click_on_the_same_chart_button_posts_nothing_more(served: BotServer) -> None:
    body = payload("block_actions")
    body["actions"][0].update(action_id=CHART_ACTION, value=TREND, action_ts="1715999999.000001")
    body["container"]["message_ts"] = "1715999999.000001"
    body["response_url"] = served.fake.response_url()
    click = urlencode({"payload": json.dumps(body)})
    assert served.post(click).status == 200
    assert served.post(click).status == 200
    served.fake.wait_for("files.completeUploadExternal", timeout=15)
    time.sleep(0.5)
    assert len(served.fake.calls("files.getUploadURLExternal")) == 1
