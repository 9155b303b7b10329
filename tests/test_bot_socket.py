"""End to end over Socket Mode: the real `tradefact socket`, a fake WebSocket end and Web API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from fakeslack import FakeSlack, FakeSocketMode
from slack_helpers import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER_ID,
    REPO,
    BotProcess,
    clean_env,
    event_callback,
    slash_command,
)


class SocketBot:
    """A running `tradefact socket` and the fakes it talks to."""

    def __init__(self, process: BotProcess, fake: FakeSlack, socket: FakeSocketMode) -> None:
        self.process = process
        self.fake = fake
        self.socket = socket


@pytest.fixture(scope="module")
def socket_bot(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketBot]:
    with FakeSlack() as fake, FakeSocketMode() as socket:
        fake.socket_url = socket.url
        env = clean_env(
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=fake.url,
            TRADEFACT_DATA_DIR=str(REPO / "data"),
            TRADEFACT_DB=str(store_path),
        )
        log = tmp_path_factory.mktemp("socket") / "socket.log"
        process = BotProcess(["socket"], env, log)
        try:
            socket.wait_connected(timeout=20)
            yield SocketBot(process, fake, socket)
        finally:
            process.stop()


def test_socket_mode_connects_with_the_app_token_from_apps_connections_open(
    socket_bot: SocketBot,
) -> None:
    # slack_sdk's connection monitor may ask for a second URL while the first is still opening.
    opened = socket_bot.fake.calls("apps.connections.open")
    assert 1 <= len(opened) <= 2
    assert {call.headers["authorization"] for call in opened} == {f"Bearer {APP_TOKEN}"}


def test_socket_mode_slash_command_is_answered_in_the_ack_envelope(socket_bot: SocketBot) -> None:
    fields = dict(parse_qsl(slash_command("mexico exports 2024", "https://hooks.invalid/r")))
    socket_bot.socket.send(
        {
            "envelope_id": "c1d2e3f4-slash",
            "type": "slash_commands",
            "payload": fields,
            "accepts_response_payload": True,
        }
    )
    ack = socket_bot.socket.wait_for_ack("c1d2e3f4-slash")
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "$334.5 billion" in ack["payload"]["text"]
    assert any(b["type"] == "actions" for b in ack["payload"]["blocks"])


def test_socket_mode_mention_is_acked_and_answered_once_in_its_thread(
    socket_bot: SocketBot,
) -> None:
    body = json.loads(event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024"))
    for attempt, envelope_id in enumerate(["a1b2-event", "a1b2-retry"]):
        socket_bot.socket.send(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "payload": body,
                "accepts_response_payload": False,
                "retry_attempt": attempt,
                "retry_reason": "timeout" if attempt else "",
            }
        )
        assert socket_bot.socket.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    [post] = socket_bot.fake.wait_for("chat.postMessage")
    assert post.params["thread_ts"] == body["event"]["ts"]
    assert "$334.5 billion" in post.params["text"]
    assert post.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert len(socket_bot.fake.calls("chat.postMessage")) == 1
