"""The Bolt app in-process: one error handler, and a failed event left for Slack to retry."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fakeslack import FakeSlack
from slack_bolt import App, BoltRequest
from slack_helpers import BOT_USER_ID, SECRET, event_callback, signature_headers, slash_command

import bot.handlers
from bot.app import create_app
from bot.config import Settings
from bot.handlers import SORRY
from facts.model import Answer
from facts.store import FactStore


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def app(fake: FakeSlack, store: FactStore) -> App:
    settings = Settings(bot_token="xoxb-app-test", signing_secret=SECRET, api_url=fake.url)
    return create_app(settings, store)


def _signed(body: str, content_type: str) -> BoltRequest:
    headers = {"content-type": content_type, **signature_headers(body)}
    return BoltRequest(body=body, headers=headers)


def _broken_ask(context: object, text: str) -> Answer:
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


def test_a_failed_event_is_answered_when_slack_retries_it(
    app: App, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = event_callback("app_mention", f"<@{BOT_USER_ID}> mexico exports 2024")
    monkeypatch.setattr(bot.handlers, "answer_question", _broken_ask)
    assert app.dispatch(_signed(body, "application/json")).status == 500
    monkeypatch.undo()
    retry = _signed(body, "application/json")
    retry.headers["x-slack-retry-num"] = ["1"]
    assert app.dispatch(retry).status == 200
    assert app.dispatch(retry).status == 200
    [post] = fake.calls("chat.postMessage")
    assert "$334.5 billion" in post.params["text"]


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
