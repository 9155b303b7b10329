"""The Bolt app in-process: one error handler; events acknowledged first, their jobs done after."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from slack_bolt import App, BoltRequest
from slack_helpers import BOT_USER_ID, SECRET, event_callback, signature_headers, slash_command

import bot.handlers
from bot import handlers
from bot.app import Bot, create_app
from bot.config import Settings
from bot.handlers import SORRY
from bot.state import open_state
from facts.model import Answer
from facts.store import FactStore


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def made_bot(fake: FakeSlack, store: FactStore, tmp_path: Path) -> Iterator[Bot]:
    settings = Settings(bot_token="xoxb-app-test", signing_secret=SECRET, api_url=fake.url)
    made = create_app(settings, store, open_state(tmp_path / "state.sqlite3"))
    yield made
    made.runner.stop()


@pytest.fixture
def app(made_bot: Bot) -> App:
    return made_bot.app


def _signed(body: str, content_type: str) -> BoltRequest:
    headers = {"content-type": content_type, **signature_headers(body)}
    return BoltRequest(body=body, headers=headers)


def _broken_ask(context: object, text: str, lang: object = None) -> Answer:
    raise RuntimeError("the answerer broke")


def test_creating_the_app_calls_no_slack_api(fake: FakeSlack, app: App) -> None:
    assert fake.calls() == []


def test_a_failing_slash_command_answers_sorry_ephemerally_and_logs_the_traceback(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(bot.handlers, "answer_question", _broken_ask)
    body = slash_command("mexico exports 2024", "http://127.0.0.1:9/unused")
    with caplog.at_level(logging.ERROR):
        response = app.dispatch(_signed(body, "application/x-www-form-urlencoded"))
    assert response.status == 200
    assert response.body == f'{{"response_type": "ephemeral", "text": "{SORRY}"}}'
    [record] = [r for r in caplog.records if r.exc_info]
    assert "the answerer broke" in str(record.exc_info[1] if record.exc_info else "")


def test_an_event_is_acknowledged_with_its_job_queued_and_no_slack_call(
    made_bot: Bot, fake: FakeSlack
) -> None:
    bot = made_bot
    body = event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024")
    assert bot.app.dispatch(_signed(body, "application/json")).status == 200
    assert fake.calls() == []  # not even auth.test: the ack path never waits on Slack
    assert bot.runner.jobs.counts() == {"queued": 1}
    bot.runner.start()
    [post] = fake.wait_for("chat.postMessage")
    assert "$334.5 billion" in post.params["text"]
    assert post.params["metadata"]["event_type"] == "tradefact_reply"


def test_a_job_that_hits_a_bug_fails_once_with_its_traceback_logged(
    made_bot: Bot,
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = made_bot
    monkeypatch.setattr(handlers, "answer_question", _broken_ask)
    body = event_callback("message_im", "the answerer will break on this")
    with caplog.at_level(logging.ERROR, logger="bot.worker"):
        assert bot.app.dispatch(_signed(body, "application/json")).status == 200
        bot.runner.start()
        deadline = time.monotonic() + 5
        while bot.runner.jobs.counts() != {"failed": 1} and time.monotonic() < deadline:
            time.sleep(0.02)
    assert bot.runner.jobs.counts() == {"failed": 1}
    [record] = [r for r in caplog.records if r.exc_info]
    assert "the answerer broke" in str(record.exc_info[1] if record.exc_info else "")
    assert fake.calls("chat.postMessage") == []


def test_a_rate_limit_longer_than_the_cap_is_not_waited_out() -> None:
    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState

    from bot.app import MAX_RETRY_AFTER, RateLimitRetry

    handler = RateLimitRetry(max_retry_count=2)
    request = HttpRequest(method="POST", url="http://127.0.0.1/api/chat.postMessage", headers={})

    def can_retry(seconds: int) -> bool:
        response = HttpResponse(status_code=429, headers={"Retry-After": [str(seconds)]})
        return handler.can_retry(state=RetryState(), request=request, response=response)

    assert can_retry(MAX_RETRY_AFTER) is True
    assert can_retry(MAX_RETRY_AFTER + 1) is False
