"""Charts into Slack: draw an answer's chart and upload it with files_upload_v2, off the ack path.

Drawing takes about 0.1 s (and 0.6 s more the first time, to import matplotlib); the upload is
three Web API calls. Neither may delay the acknowledgement or the text answer, so listeners hand
the work to `ChartUploads`, whose threads do it after the text answer has gone out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chart import chart_png
from facts.model import Answer

logger = logging.getLogger(__name__)
FILENAME = "tradefact-chart.png"
THREADS = 2  # drawing is CPU work: two cores


def upload_chart(
    client: WebClient, answer: Answer, channel: str, thread_ts: str | None, comment: str = ""
) -> str | None:
    """Upload the answer's chart into the channel (or thread); its file id, or None if no chart."""
    png = chart_png(answer)
    if png is None:
        return None
    response = client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        content=png,
        filename=FILENAME,
        title=answer.headline,
        alt_txt=f"Chart: {answer.headline}",
        initial_comment=comment or None,
    )
    file = response.get("file") or {}
    return str(file.get("id", "")) or None


class ChartUploads:
    """A small pool of threads that upload charts; failures are logged, never raised."""

    def __init__(self, threads: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tradefact-chart")

    def submit(
        self,
        client: WebClient,
        answer: Answer,
        channel: str,
        thread_ts: str | None,
        comment: str = "",
        on_error: Callable[[str], None] | None = None,
    ) -> Future[str | None] | None:
        """Queue the upload of an answer's chart (nothing for an answer without one)."""
        if not answer.chart:
            return None
        return self._pool.submit(
            self._upload, client, answer, channel, thread_ts, comment, on_error
        )

    @staticmethod
    def _upload(
        client: WebClient,
        answer: Answer,
        channel: str,
        thread_ts: str | None,
        comment: str,
        on_error: Callable[[str], None] | None,
    ) -> str | None:
        try:
            return upload_chart(client, answer, channel, thread_ts, comment)
        except SlackApiError as error:
            code = str((error.response.data or {}).get("error", "")) if error.response else ""
            logger.error("Chart upload failed: %s", code or "no error code")
            if on_error is not None:
                on_error(code)
        except Exception:  # a bug or a network error: logged, the text answer stands
            logger.exception("Chart upload failed")
        return None
