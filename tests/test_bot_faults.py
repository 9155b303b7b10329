"""Slack faults, end to end: the real `tradefact serve` against a fake Web API that misbehaves.

Policy under test: a 429 is retried after Retry-After (Slack did nothing). An answer Slack
refused with an error code was not posted, so Slack's retry of the event may answer it. A 5xx,
a timeout or a reset after Slack had the request may have posted it, so nothing posts it again,
neither the client nor Slack's retry of the event. Every failure is logged with the method.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import RemoteDisconnected
from pathlib import Path
from typing import Any
from urllib.error import URLError

import pytest
from fakeslack import RESPONSE_URL, FakeSlackWithHistory
from slack_helpers import (
    BOT_TOKEN,
    BOT_USER_ID,
    SECRET,
    BotServer,
    HttpResult,
    block_action,
    event_callback,
    free_port,
    healthy_server,
    request,
    slash_command,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.app import NoAnswerLog, web_client
from bot.config import Settings
from bot.handlers import reply_may_have_arrived

POST = "chat.postMessage"
TIMEOUT = 1  # SLACK_API_TIMEOUT for this module's server, so that a slow Slack is quick to test
MEXICO_2024 = "$334.5 billion"


@pytest.fixture(scope="module")
def fault_server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotServer]:
    """`tradefact serve` with a 1-second Web API timeout, talking to its own fake Slack."""
    # This fake stays quiet about a client that hung up on a slow answer, as ours will.
    log = tmp_path_factory.mktemp("faults") / "serve.log"
    with (
        FakeSlackWithHistory() as fake,
        healthy_server(fake, store_path, log, SLACK_API_TIMEOUT=str(TIMEOUT)) as server,
    ):
        yield server


@pytest.fixture
def served(fault_server: BotServer) -> Iterator[BotServer]:
    """The module's server with the fake cleared; afterwards it must still answer normally."""
    fault_server.fake.clear()
    yield fault_server
    _assert_still_serving(fault_server)
    log = fault_server.log()
    assert BOT_TOKEN not in log and SECRET not in log


def _assert_still_serving(served: BotServer) -> None:
    assert request(f"{served.url}/healthz").status == 200
    reply = served.post(slash_command("mexico exports 2024", served.fake.response_url())).json()
    assert MEXICO_2024 in reply["text"]


def _event(kind: str = "message_im") -> str:
    text = (
        "mexico exports 2024" if kind == "message_im" else f"<@{BOT_USER_ID}> mexico exports 2024"
    )
    return event_callback(kind, text)


def _retry(served: BotServer, body: str, number: int) -> HttpResult:
    headers = {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"}
    return served.post(body, form=False, headers=headers)


def _new_log(served: BotServer, before: int) -> str:
    return served.log()[before:]


# --- 429: retried after Retry-After ----------------------------------------------------------


def test_a_post_rate_limited_past_the_retries_is_logged_and_answered_once_by_slacks_retry(
    served: BotServer,
) -> None:
    before = len(served.log())
    served.fake.fail(POST, retry_after=0, times=3)  # the first try and both retries
    body = _event()
    assert served.post(body, form=False).status == 500
    assert [c.status for c in served.fake.calls(POST)] == [429, 429, 429]
    log = _new_log(served, before)
    assert log.count("Slack API chat.postMessage rate limited (HTTP 429): retrying in 0 s") == 2
    assert "Slack API chat.postMessage failed: ratelimited (HTTP 429)" in log
    # Slack never posted it, so Slack's retry of the event answers, once.
    assert _retry(served, body, 1).status == 200
    assert _retry(served, body, 2).status == 200
    assert [c.status for c in served.fake.calls(POST, ok=True)] == [200]


# --- refused with an error code: nothing posted, Slack's retry may answer ---------------------


@pytest.mark.parametrize("error", ["invalid_auth", "not_in_channel", "channel_not_found"])
def test_a_refused_post_is_logged_with_method_and_code_and_posted_once_on_slacks_retry(
    served: BotServer, error: str
) -> None:
    before = len(served.log())
    served.fake.fail(POST, error=error)
    body = _event("app_mention")
    assert served.post(body, form=False).status == 500  # so that Slack retries the event
    assert f"Slack API chat.postMessage failed: {error} (HTTP 200)" in _new_log(served, before)
    assert [_retry(served, body, n).status for n in (1, 2, 3)] == [200, 200, 200]
    assert [c.ok for c in served.fake.calls(POST)] == [False, True]


def test_a_refusal_that_lasts_is_logged_each_time_and_never_posts(served: BotServer) -> None:
    served.fake.fail(POST, error="invalid_auth", times=4)
    body = _event()
    statuses = [served.post(body, form=False).status] + [
        _retry(served, body, n).status for n in (1, 2, 3)
    ]
    assert statuses == [500, 500, 500, 500]
    assert served.log().count("Slack API chat.postMessage failed: invalid_auth (HTTP 200)") >= 4
    assert served.fake.calls(POST, ok=True) == []


# --- may have posted: a 5xx, a timeout, a reset -----------------------------------------------


def test_a_server_error_is_not_retried_by_the_client_nor_by_slacks_retries(
    served: BotServer,
) -> None:
    before = len(served.log())
    served.fake.fail(POST, status=500)
    body = _event()
    assert served.post(body, form=False).status == 500
    assert [_retry(served, body, n).status for n in (1, 2, 3)] == [200, 200, 200]
    assert len(served.fake.calls(POST)) == 1
    log = _new_log(served, before)
    assert "Slack API chat.postMessage failed: no error code (HTTP 500)" in log
    assert "is not answered again: Slack may have the reply" in log


def test_a_post_slower_than_the_timeout_is_logged_and_never_posted_twice(
    served: BotServer,
) -> None:
    before = len(served.log())
    served.fake.fail(POST, delay=TIMEOUT + 1.5)  # Slack posts it, then answers too late
    body = _event("app_mention")
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(served.post, body, form=False)
        served.fake.wait_for(POST)  # the first attempt is now waiting for Slack's answer
        # Slack gives up on us after 3 s and retries while the first attempt still runs.
        retries = [pool.submit(_retry, served, body, n) for n in (1, 2, 3)]
        assert [r.result().status for r in retries] == [200, 200, 200]
        assert not first.done()
        assert first.result().status == 500
    assert _retry(served, body, 3).status == 200  # and once more after it failed
    [post] = served.fake.calls(POST)
    assert post.ok  # the fake did post it: a second post would have been a duplicate
    log = _new_log(served, before)
    assert "Slack API chat.postMessage failed: TimeoutError (timed out)" in log


def test_a_connection_reset_and_slacks_three_retries_post_at_most_once(served: BotServer) -> None:
    served.fake.fail(POST, reset=True)
    body = _event()
    assert served.post(body, form=False).status == 500
    assert [_retry(served, body, n).status for n in (1, 2, 3)] == [200, 200, 200]
    assert [c.status for c in served.fake.calls(POST)] == [0]  # 0: the connection was reset


def test_slow_slack_does_not_hold_up_slash_commands_or_health_checks(served: BotServer) -> None:
    served.fake.fail(POST, delay=TIMEOUT + 1.5, times=3)
    with ThreadPoolExecutor(max_workers=3) as pool:
        slow = [pool.submit(served.post, _event(), form=False) for _ in range(3)]
        served.fake.wait_for(POST, 3)
        started = time.monotonic()
        reply = served.post(slash_command("canada exports 2024", served.fake.response_url()))
        assert request(f"{served.url}/healthz").status == 200
        assert time.monotonic() - started < 1.0  # while all three posts still hang
        assert [s.result().status for s in slow] == [500, 500, 500]
    assert "$350.6 billion" in reply.json()["text"]


def test_retries_of_a_slow_event_that_succeeds_are_acknowledged_and_answered_once(
    served: BotServer,
) -> None:
    served.fake.fail(POST, delay=TIMEOUT - 0.5)  # slow, but within the client's timeout
    body = _event("app_mention")
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(served.post, body, form=False)
        served.fake.wait_for(POST)
        retries = [pool.submit(_retry, served, body, n) for n in (1, 2, 3)]
        assert [r.result().status for r in retries] == [200, 200, 200]
        assert first.result().status == 200
    assert [c.ok for c in served.fake.calls(POST)] == [True]


# --- the share button's response_url --------------------------------------------------------


def test_a_failed_share_is_logged_and_the_ephemeral_copy_is_kept(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(RESPONSE_URL, status=500)
    response = served.post(block_action("mexico exports 2024", served.fake.response_url("s")))
    assert response.status == 200
    [share] = served.fake.calls(RESPONSE_URL)  # not retried, and the original not deleted
    assert share.status == 500
    assert "Sharing failed: response_url answered HTTP 500" in _new_log(served, before)


def test_a_reset_share_is_logged_once_and_not_retried(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(RESPONSE_URL, reset=True)
    response = served.post(block_action("mexico exports 2024", served.fake.response_url("s")))
    assert response.status == 500
    assert len(served.fake.calls(RESPONSE_URL)) == 1
    log = _new_log(served, before)
    assert "Failed to answer a Slack request (block_actions): ConnectionResetError" in log
    assert "Traceback" not in log


# --- which failures may have posted ----------------------------------------------------------


def _api_error(status: int, data: dict[str, Any] | str) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="http://127.0.0.1/api/chat.postMessage",
        req_args={},
        data=data,  # type: ignore[arg-type]
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


@pytest.mark.parametrize(
    ("error", "may_have_posted"),
    [
        (_api_error(200, {"ok": False, "error": "not_in_channel"}), False),
        (_api_error(429, {"ok": False, "error": "ratelimited"}), False),
        (_api_error(500, "Internal Server Error"), True),
        (_api_error(503, {"ok": False, "error": "service_unavailable"}), True),
        (TimeoutError("timed out"), True),  # waiting for the answer
        (ConnectionResetError(104, "Connection reset by peer"), True),
        (RemoteDisconnected("Remote end closed connection without response"), True),
        (URLError(ConnectionRefusedError(111, "Connection refused")), False),  # never sent
        (URLError(TimeoutError("timed out")), False),  # connecting
        (RuntimeError("a bug before any call"), False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_only_failures_after_slack_had_the_request_count_as_maybe_posted(
    error: Exception, may_have_posted: bool
) -> None:
    assert reply_may_have_arrived(error) is may_have_posted


def test_a_call_that_gets_no_answer_is_logged_with_its_method_and_not_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    client = web_client(Settings(bot_token=BOT_TOKEN, api_url=closed, api_timeout=TIMEOUT))
    client.retry_handlers.append(NoAnswerLog())
    with caplog.at_level(logging.ERROR, logger="bot.app"), pytest.raises(URLError):
        client.chat_postMessage(channel="C1", text="hi")
    [record] = [r for r in caplog.records if r.name == "bot.app"]
    assert record.getMessage().startswith("Slack API chat.postMessage failed: URLError (")
    assert BOT_TOKEN not in caplog.text


def test_the_server_recovers_after_every_thread_waited_on_a_slow_slack(served: BotServer) -> None:
    # Twelve slow posts for eight threads: the last four wait their turn, then all fail alike;
    # the fixture then checks that the server answers normally again.
    served.fake.fail(POST, delay=TIMEOUT + 0.5, times=12)
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(
            pool.map(lambda body: served.post(body, form=False), [_event() for _ in range(12)])
        )
    assert [r.status for r in results] == [500] * 12
    assert len(served.fake.calls(POST)) == 12
