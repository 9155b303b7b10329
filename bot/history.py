"""find_posted(): look in a channel or thread for the bot's message carrying given metadata.

This is how a post whose outcome is unknown (a crash, a timeout, a 5xx after Slack had the
request) is checked before it is sent again: every message the bot posts from a job or the
digest ledger carries its key in Slack's message metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

CLOCK_SKEW_S = 300.0  # our clock and Slack's may disagree this much
HISTORY_PAGES = 20  # pages of 200 messages; more than that since the post: we cannot be sure


class TooMuchHistory(Exception):
    """More messages since the post than we page through: an earlier post can't be ruled out."""


def find_posted(
    client: WebClient,
    channel: str,
    since: float,
    matches: Callable[[dict[str, Any]], bool],
    thread_ts: str | None = None,
) -> str | None:
    """The ts of the first message since `since` whose metadata `matches`, or None.

    In a thread (thread_ts) it reads conversations.replies, else conversations.history. Slack's
    errors propagate: the caller must not post when it could not look.
    """
    oldest = f"{since - CLOCK_SKEW_S:.6f}"
    cursor = None
    for _ in range(HISTORY_PAGES):
        if thread_ts:
            page = client.conversations_replies(
                channel=channel, ts=thread_ts, oldest=oldest, include_all_metadata=True,
                limit=200, cursor=cursor,
            )  # fmt: skip
        else:
            page = client.conversations_history(
                channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
            )
        for message in page.get("messages") or []:
            if matches(message.get("metadata") or {}):
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None
    raise TooMuchHistory(f"more than {HISTORY_PAGES * 200} messages to look through")
