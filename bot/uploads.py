"""Charts into Slack: draw an answer's chart and upload it with files_upload_v2.

Drawing takes 0.1-0.4 s (and up to a second more the first time, to import matplotlib); the
upload is three Web API calls. Neither may delay the acknowledgement or the text answer: the
runner (bot.worker, bot.deliver) uploads a chart after it has posted the text answer.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.chart import chart_png
from facts.model import Answer

FILENAME = "tradefact-chart.png"
NO_CHART_HERE = (
    "I can't post the chart in this channel. Invite me with `/invite @TradeFact`, or ask me in"
    " a direct message."
)


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
