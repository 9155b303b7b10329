"""create_app(): the Bolt app, built from Settings and a FactStore."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import DEFAULT_TZ, Settings
from bot.conversation import Conversations
from bot.handlers import answered, register
from bot.home import Home
from bot.manage import Manager
from bot.manage_handlers import register_manage
from bot.replies import LiveReplies
from bot.server import REFUSED
from bot.state import StateDB
from bot.worker import Inbox, Runner
from bot.workspaces import BOT_SCOPES, Clients, Installations, StoredAuthorize
from facts.live import LiveStore
from facts.store import FactStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bot:
    """The Bolt app and the runner that does its Web API work (start the runner to serve)."""

    app: App
    runner: Runner


def create_app(
    settings: Settings,
    store: FactStore | LiveStore,
    state: StateDB,
    installations: Installations | None = None,
    default_timezone: str = DEFAULT_TZ,
) -> Bot:
    """A Bolt app answering from `store`, its jobs in `state`; it makes no network call.

    In OAuth mode (settings.oauth) `installations` holds each workspace's token. Answers come
    from the store file's newest build (facts.live): a refreshed store is picked up between
    requests, with a Context (names, claim verdicts) and a reply cache per store.
    """
    replies = LiveReplies(store, answered)
    context = replies.context()  # the Home tab's and follow-ups': the store's at start
    clients = Clients(lambda token: job_client(settings, token), settings.bot_token, installations)
    manager = Manager(state, Home(context), settings.subscribers, default_timezone, installations)
    runner = Runner(state, job_client(settings), replies.get, clients=clients, kinds=manager.jobs())
    app = App(
        name="tradefact",
        client=web_client(settings),
        signing_secret=settings.signing_secret,
        # Run listeners before answering the HTTP request: the slash-command answer goes back
        # in the HTTP response itself, and an event is acknowledged once its job is committed.
        process_before_response=True,
        # Bolt's assistant helpers read a DM thread's context with conversations.replies before
        # any listener runs, on the ack path; TradeFact uses none of them.
        attaching_conversation_kwargs_enabled=False,
        logger=_bolt_logger(),
        **_authorization(settings, installations),
    )
    inbox = Inbox(state, runner.wake)
    register_manage(app, manager, inbox)  # first: `/tradefact digest …` before any question
    register(app, replies, inbox, Conversations(state, context))
    return Bot(app, runner)


def _authorization(settings: Settings, installations: Installations | None) -> dict[str, Any]:
    if not settings.oauth:
        # The bot token is all there is to authorize: no auth.test on the first request (a slow
        # Slack would delay that request's ack). Events name the bot's user ID themselves.
        def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            return AuthorizeResult(
                enterprise_id=enterprise_id, team_id=team_id, bot_token=settings.bot_token
            )

        return {"authorize": authorize}
    if installations is None:
        raise ValueError("OAuth mode needs the installation store")
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.redirect_uri or None,
        installation_store=installations.store,
        state_store=installations.states,
        logger=logging.getLogger("bot.oauth"),
    )
    return {"authorize": StoredAuthorize(installations), "oauth_settings": oauth}


def _bolt_logger() -> logging.Logger:
    bolt_logger = logging.getLogger("bot.slack")
    bolt_logger.addFilter(_same_token_notice)  # adding the same filter twice is a no-op
    logging.getLogger(f"slack_bolt.{RequestVerification.__name__}").addFilter(_refusal_notice)
    return bolt_logger


def _same_token_notice(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from os.environ by itself, then warns that the client's token
    # (or the authorize function) wins over it. It is the same token, read once by Settings.
    return record.getMessage() not in _SAME_TOKEN


_SAME_TOKEN = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})


def _refusal_notice(record: logging.LogRecord) -> bool:
    # Bolt logs every request it refuses with its signature header and its whole body: up to
    # 1 MiB per request, chosen by whoever sent it. Keep the event, drop their text.
    record.msg, record.args = REFUSED, ()
    return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with timestamps; tokens and secrets are never part of a log line."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client for settings.api_url that waits out 429s and leaves other errors alone."""
    # Only a 429 is safe to retry: Slack did nothing. A 5xx or a reset may follow a posted
    # message, and retrying it could post twice.
    return WebClient(
        token=token or settings.bot_token or None,
        base_url=settings.api_url,
        # Slack wants an answer to a request within 3 s; a Web API call that hangs far past that
        # only ties up a worker thread (settings.api_timeout: 10 s unless SLACK_API_TIMEOUT).
        timeout=settings.api_timeout,
        retry_handlers=[RateLimitRetry(max_retry_count=2)],
    )


def job_client(settings: Settings, token: str | None = None) -> WebClient:
    """The runner's Web API client: no retries of its own (the runner re-queues a 429)."""
    return WebClient(
        token=token or settings.bot_token or None,
        base_url=settings.api_url,
        timeout=settings.api_timeout,
        retry_handlers=[],
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
