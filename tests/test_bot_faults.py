"""Slack faults, end to end: the real `tradefact serve` against a fake Web API that misbehaves.

Policy under test: every event is acknowledged at once and its reply posted by the runner,
exactly once. A 429 is tried again after its Retry-After (Slack did nothing). An error code
means nothing was posted and retrying won't help: logged, given up. A 5xx, a timeout or a reset
after Slack had the request may have posted it: the runner looks for the job's metadata in the
thread or DM before it posts again. Every failure is logged with the method.
"""

from __future__ import annotations

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
    healthy_server,
    request,
    slash_command,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.deliver import Done, Failed, Retry, _failure
from bot.state import Job

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


# --- 429: tried again after Retry-After, by the runner -------------------------------------


def test_a_post_rate_limited_three_times_is_posted_once_after_each_wait(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(POST, retry_after=1, times=3)
    body = _event()
    assert served.post(body, form=False).status == 200
    calls = served.fake.wait_for(POST, 4, timeout=15)
    assert [c.status for c in calls] == [429, 429, 429, 200]
    assert all(b.at - a.at >= 1.0 for a, b in zip(calls, calls[1:], strict=False))
    served.wait_idle()
    log = _new_log(served, before)
    assert log.count("Slack API chat.postMessage rate limited (HTTP 429); job ") == 3
    assert [_retry(served, body, n).status for n in (1, 2)] == [200, 200]
    assert len(served.fake.calls(POST, ok=True)) == 1


# --- refused with an error code: nothing posted, nothing retried -----------------------------


@pytest.mark.parametrize("error", ["invalid_auth", "not_in_channel", "channel_not_found"])
def test_a_refused_post_is_logged_with_method_and_code_and_not_sent_again(
    served: BotServer, error: str
) -> None:
    before = len(served.log())
    served.fake.fail(POST, error=error)
    body = _event("app_mention")
    assert served.post(body, form=False).status == 200
    served.wait_idle()
    assert f"Slack API chat.postMessage failed: {error} (HTTP 200)" in _new_log(served, before)
    assert [_retry(served, body, n).status for n in (1, 2, 3)] == [200, 200, 200]
    served.wait_idle()
    assert [c.ok for c in served.fake.calls(POST)] == [False]


# --- may have posted: a 5xx, a timeout, a reset: look, then post once -------------------------


def test_a_server_error_is_checked_in_the_thread_then_posted_once(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(POST, status=500)
    body = _event("app_mention")
    assert served.post(body, form=False).status == 200
    served.fake.wait_for(POST, 2, timeout=10)
    served.wait_idle()
    [look] = served.fake.calls("conversations.replies")
    assert look.params["include_all_metadata"] in ("1", "true", True)
    assert [c.status for c in served.fake.calls(POST)] == [500, 200]
    assert "Slack API chat.postMessage failed: no error code (HTTP 500); job" in _new_log(
        served, before
    )


def test_a_post_slower_than_the_timeout_that_reached_slack_is_found_not_posted_twice(
    served: BotServer,
) -> None:
    before = len(served.log())
    served.fake.fail(POST, delay=TIMEOUT + 1.5)  # Slack posts it, then answers too late
    body = _event("app_mention")
    assert served.post(body, form=False).status == 200
    served.fake.wait_for("conversations.replies", timeout=10)
    served.wait_idle()
    [post] = served.fake.calls(POST)
    assert post.ok  # the fake did post it: a second post would have been a duplicate
    served.wait_for_log("was already posted (ts ")  # logged as the job ends, maybe just after
    log = _new_log(served, before)
    assert "Slack API chat.postMessage failed: TimeoutError; job" in log
    assert "was already posted (ts " in log


def test_a_connection_reset_and_slacks_three_retries_post_once(served: BotServer) -> None:
    served.fake.fail(POST, reset=True)
    body = _event()
    assert served.post(body, form=False).status == 200
    assert [_retry(served, body, n).status for n in (1, 2, 3)] == [200, 200, 200]
    served.fake.wait_for(POST, 2, timeout=10)
    served.wait_idle()
    assert [c.status for c in served.fake.calls(POST)] == [0, 200]  # 0: the connection was reset
    [look] = served.fake.calls("conversations.history")
    assert look.params["channel"] == "D0DIRECT01"


def test_a_look_that_fails_posts_nothing_and_is_tried_again(served: BotServer) -> None:
    served.fake.fail(POST, status=503)
    served.fake.fail("conversations.history", status=500)
    assert served.post(_event(), form=False).status == 200
    served.fake.wait_for(POST, 2, timeout=15)
    served.wait_idle(timeout=15)
    looks = served.fake.calls("conversations.history")
    assert [c.status for c in looks] == [500, 200]
    assert [c.status for c in served.fake.calls(POST)] == [503, 200]


def test_slow_slack_does_not_hold_up_acks_slash_commands_or_health_checks(
    served: BotServer,
) -> None:
    served.fake.fail(POST, delay=TIMEOUT + 1.5, times=3)
    started = time.monotonic()
    assert [served.post(_event(), form=False).status for _ in range(3)] == [200] * 3
    served.fake.wait_for(POST, 3)
    reply = served.post(slash_command("canada exports 2024", served.fake.response_url()))
    assert request(f"{served.url}/healthz").status == 200
    assert time.monotonic() - started < 1.0  # while all three posts still hang
    assert "$350.6 billion" in reply.json()["text"]
    served.wait_idle(timeout=20)


# --- the share button's response_url: at most once --------------------------------------------


def test_a_failed_share_is_logged_and_the_ephemeral_copy_is_kept(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(RESPONSE_URL, status=500)
    response = served.post(block_action("mexico exports 2024", served.fake.response_url("s")))
    assert response.status == 200
    served.wait_idle()
    [share] = served.fake.calls(RESPONSE_URL)  # not retried, and the original not deleted
    assert share.status == 500
    assert "Slack API response_url failed: HTTP 500" in _new_log(served, before)


def test_a_reset_share_is_not_sent_again(served: BotServer) -> None:
    before = len(served.log())
    served.fake.fail(RESPONSE_URL, reset=True)
    response = served.post(block_action("mexico exports 2024", served.fake.response_url("s")))
    assert response.status == 200
    served.wait_idle(timeout=10)
    assert len(served.fake.calls(RESPONSE_URL)) == 1
    log = _new_log(served, before)
    assert "may have shared it; not sent again" in log
    assert "Traceback" not in log


# --- which failures may have posted -----------------------------------------------------------


def _api_error(status: int, data: dict[str, Any] | str, retry_after: str = "") -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="http://127.0.0.1/api/chat.postMessage",
        req_args={},
        data=data,  # type: ignore[arg-type]
        headers={"Retry-After": retry_after} if retry_after else {},
        status_code=status,
    )
    return SlackApiError("failed", response)


_JOB = Job("j1", "reply", {}, attempts=1, unsure=False, created_at=0.0)


@pytest.mark.parametrize(
    ("error", "result"),
    [
        (_api_error(200, {"ok": False, "error": "not_in_channel"}), Failed),
        (_api_error(429, {"ok": False, "error": "ratelimited"}, "25"), Retry(25.0, False, "")),
        (_api_error(500, "Internal Server Error"), Retry(2.0, True, "")),
        (_api_error(503, {"ok": False, "error": "service_unavailable"}), Retry(2.0, True, "")),
        (TimeoutError("timed out"), Retry(2.0, True, "")),  # waiting for the answer
        (ConnectionResetError(104, "Connection reset by peer"), Retry(2.0, True, "")),
        (RemoteDisconnected("Remote end closed connection without response"), Retry(2.0, True, "")),
        (URLError(ConnectionRefusedError(111, "Connection refused")), Retry(2.0, False, "")),
        (URLError(TimeoutError("timed out")), Retry(2.0, False, "")),  # connecting: never sent
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_only_failures_after_slack_had_the_request_make_the_next_attempt_look_first(
    error: Exception, result: Retry | type[Failed]
) -> None:
    found = _failure(_JOB, "chat.postMessage", error)
    if isinstance(result, Retry):
        assert isinstance(found, Retry)
        assert (found.after, found.unsure) == (result.after, result.unsure)
    else:
        assert isinstance(found, Failed)


def test_a_job_gives_up_after_its_last_attempt() -> None:
    from bot.deliver import MAX_ATTEMPTS

    last = Job("j1", "reply", {}, attempts=MAX_ATTEMPTS, unsure=True, created_at=0.0)
    found = _failure(last, "chat.postMessage", TimeoutError("timed out"))
    assert found == Failed(
        f"chat.postMessage: TimeoutError (gave up after {MAX_ATTEMPTS} attempts)"
    )
    assert not isinstance(found, Done)


def test_the_server_recovers_after_every_runner_thread_waited_on_a_slow_slack(
    served: BotServer,
) -> None:
    # Twenty slow posts for sixteen runner threads: all acknowledged at once, all found in the
    # DM afterwards (the fake posted each), none posted twice.
    served.fake.fail(POST, delay=TIMEOUT + 0.5, times=20)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda body: served.post(body, form=False), [_event() for _ in range(20)])
        )
    assert [r.status for r in results] == [200] * 20
    served.wait_idle(timeout=30)
    assert len(served.fake.calls(POST)) == 20
