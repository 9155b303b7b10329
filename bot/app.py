"""create_app(): the Bolt app, built from Settings and a FactStore."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import Settings
from bot.handlers import register
from facts.store import FactStore

logger = logging.getLogger(__name__)
REFUSED = "Refused a request without a valid signature from the last 5 minutes (HTTP 401)"


def create_app(settings: Settings, store: FactStore) -> App:
    """A Bolt app whose listeners answer from `store`; it makes no network call until needed."""
    client = web_client(settings)
    client.retry_handlers.append(NoAnswerLog())  # the digest logs such failures its own way
    app = App(
        name="tradefact",
        client=client,
        signing_secret=settings.signing_secret,
        # Run listeners before answering the HTTP request: the slash-command answer goes back
        # in the HTTP response itself, and no reply is left running after the response is sent.
        process_before_response=True,
        # Don't call auth.test at startup: the first request that needs the bot's identity does.
        token_verification_enabled=False,
        # Bolt's assistant helpers read a DM thread's context with conversations.replies before
        # any listener runs, on the ack path; TradeFact uses none of them.
        attaching_conversation_kwargs_enabled=False,
        logger=_bolt_logger(),
    )
    register(app, store)
    return app


def _bolt_logger() -> logging.Logger:
    bolt_logger = logging.getLogger("bot.slack")
    bolt_logger.addFilter(_same_token_notice)  # adding the same filter twice is a no-op
    logging.getLogger(f"slack_bolt.{RequestVerification.__name__}").addFilter(_refusal_notice)
    return bolt_logger


def _same_token_notice(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from os.environ by itself, then warns that the client's token
    # wins over it. It is the same token, read once by Settings: drop the misleading warning.
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _refusal_notice(record: logging.LogRecord) -> bool:
    # Bolt logs every request it refuses with its signature header and its whole body: up to
    # 1 MiB per request, chosen by whoever sent it. Keep the event, drop their text.
    record.msg, record.args = REFUSED, ()
    return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with timestamps; tokens and secrets are never part of a log line."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def web_client(settings: Settings) -> WebClient:
    """A Web API client for settings.api_url that waits out 429s and leaves other errors alone."""
    # Only a 429 is safe to retry: Slack did nothing. A 5xx or a reset may follow a posted
    # message, and retrying it could post twice.
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        # Slack wants an answer to a request within 3 s; a Web API call that hangs far past that
        # only ties up a worker thread (settings.api_timeout: 10 s unless SLACK_API_TIMEOUT).
        timeout=settings.api_timeout,
        retry_handlers=[RateLimitRetry(max_retry_count=2)],
    )


# A longer Retry-After is not waited out: a worker thread asleep that long can't serve anyone.
MAX_RETRY_AFTER = 30


class RateLimitRetry(RateLimitErrorRetryHandler):
    """Retry a rate-limited (429) call after the Retry-After seconds Slack asked for, and log it."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        if _retry_after(response) > MAX_RETRY_AFTER:
            logger.warning(
                "Slack API %s rate limited (HTTP 429) for %s s: not retried",
                _method(request.url),
                _retry_after(response),
            )
            return False
        return True

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Log the method and the wait, sleep Retry-After seconds, then let the client retry."""
        if response is None:  # not a 429: _can_retry only accepts responses
            raise error or RuntimeError("rate-limit retry without a response")
        wait = _retry_after(response)
        logger.warning(
            "Slack API %s rate limited (HTTP 429): retrying in %s s", _method(request.url), wait
        )
        state.next_attempt_requested = True
        time.sleep(wait)
        state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> int:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values and values[0].strip().isdigit():
            return int(values[0])
    return 1


def _method(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


class NoAnswerLog(RetryHandler):
    """Log a Web API call that got no HTTP answer (timeout, reset, refused) with its method."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        """Log the method and the error when no response came; never ask for a retry."""
        if response is None and error is not None:
            # Not retried: after a timeout or a reset, Slack may have acted on the request.
            logger.error(
                "Slack API %s failed: %s (%s)", _method(request.url), type(error).__name__, error
            )
        return False
