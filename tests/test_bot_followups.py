"""End to end: follow-ups in a thread the bot answered and in a DM, read against the last question.

The thread's last question is in the state store (SQLite here), not in a process's memory.
"""

from __future__ import annotations

import json

from slack_helpers import BotServer, event_callback, payload

MENTION = payload("app_mention")["event"]
CHANNEL, THREAD = MENTION["channel"], MENTION["ts"]


def _in_thread(text: str, ts: str) -> str:
    """A person's reply in the mention's thread, without a mention (a message.channels event)."""
    return event_callback(
        "message_im", text, channel=CHANNEL, channel_type="channel", thread_ts=THREAD, ts=ts
    )


def _posts(served: BotServer, count: int) -> list[str]:
    return [c.params["text"] for c in served.fake.wait_for("chat.postMessage", count)]


def test_a_follow_up_in_the_thread_is_answered_against_the_previous_question(
    served: BotServer,
) -> None:
    served.post(event_callback("app_mention", "<@UBOT> mexico exports 2024"), form=False)
    _posts(served, 1)
    served.post(_in_thread("and in 2023?", "1715000010.000100"), form=False)
    served.post(_in_thread("what about Canada?", "1715000020.000100"), form=False)
    served.post(_in_thread("imports?", "1715000030.000100"), form=False)
    first, in_2023, canada, imports = _posts(served, 4)
    assert first.startswith("*U.S. exports to Mexico, 2024: $334.5 billion*")
    assert in_2023.startswith("*U.S. exports to Mexico, 2023: $324.4 billion*")
    assert "Understood: U.S. goods exports to Mexico, 2023" in in_2023
    assert canada.startswith("*U.S. exports to Canada, 2023: ")
    assert imports.startswith("*U.S. imports from Canada, 2023: ")
    threads = {c.params["thread_ts"] for c in served.fake.calls("chat.postMessage")}
    assert threads == {THREAD}


def test_small_talk_in_the_thread_is_left_alone(served: BotServer) -> None:
    served.post(event_callback("app_mention", "<@UBOT> mexico exports 2024"), form=False)
    _posts(served, 1)
    assert (
        served.post(_in_thread("thanks, that helps!", "1715000040.000100"), form=False).status
        == 200
    )
    served.post(_in_thread("2022", "1715000050.000100"), form=False)
    _, in_2022 = _posts(served, 2)
    assert in_2022.startswith("*U.S. exports to Mexico, 2022:")


def test_a_reply_in_a_thread_the_bot_never_answered_is_ignored(served: BotServer) -> None:
    body = event_callback(
        "message_im", "and in 2023?", channel="C0OTHER01", channel_type="channel",
        thread_ts="1715009999.000100", ts="1715010000.000100",
    )  # fmt: skip
    assert served.post(body, form=False).status == 200
    assert served.fake.calls("chat.postMessage") == []


def test_a_follow_up_in_a_dm_and_in_spanish(served: BotServer) -> None:
    im = payload("message_im")["event"]
    served.post(event_callback("message_im", "exportaciones a méxico 2024"), form=False)
    _posts(served, 1)
    later = event_callback("message_im", "y en 2023?", ts="1715000500.000100")
    served.post(later, form=False)
    _, answer = _posts(served, 2)
    assert answer.startswith("*Exportaciones de EE. UU. a México, 2023: US$324.4 mil millones*")
    assert json.dumps(im["channel"]) in json.dumps(
        [c.params["channel"] for c in served.fake.calls("chat.postMessage")]
    )


def test_as_a_chart_in_a_dm_posts_the_previous_answer_with_its_chart(served: BotServer) -> None:
    served.post(event_callback("message_im", "mexico exports 2024 vs 2020"), form=False)
    _posts(served, 1)
    served.post(event_callback("message_im", "mexico exports 2015-2024"), form=False)
    served.fake.wait_for("files.completeUploadExternal", timeout=15)
    served.post(event_callback("message_im", "as a chart", ts="1715000600.000100"), form=False)
    served.fake.wait_for("files.completeUploadExternal", 2, timeout=15)
    *_, again = _posts(served, 3)
    assert again.startswith("*U.S. exports to Mexico, 2015–2024:")
