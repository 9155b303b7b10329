"""Time charts: drawing, uploading (files_upload_v2), and a mention's text answer vs its chart.

Run: python bench/chart.py   (builds the store into a temp dir; ~1 min)

draw: chart_png() in-process, warm (matplotlib imported), per chart question. first draw: a fresh
Python process importing matplotlib and drawing one chart. upload: upload_chart() against the
fake Web API on loopback (the three files_upload_v2 calls, the PNG drawn each time). mention:
`tradefact serve` with signed app_mention events; from the POST to the text answer's
chat.postMessage, and to files.completeUploadExternal (the chart in the thread), each mention a
different trend (no chart from the cache); the ack is the HTTP response's own time. Repeated
questions get their chart from chart_png's cache (about 1 ms).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402

from slack_sdk import WebClient  # noqa: E402

from bench.harness import (  # noqa: E402
    BOT_TOKEN,
    FakeSlack,
    percentile,
    running,
    server_env,
    signature_headers,
    tradefact_server,
)
from bot.chart import chart_png  # noqa: E402
from bot.uploads import upload_chart  # noqa: E402
from facts.answer import answer  # noqa: E402
from facts.context import Context  # noqa: E402
from facts.load import build  # noqa: E402
from facts.store import FactStore  # noqa: E402

CHARTED = (
    "mexico exports 1991-2025",
    "top 10 export markets 2024",
    "mexico vs china exports 2024",
    "nationwide encounters trend",
)
ROUNDS = 20
MENTIONS = 20


def _ms(samples: list[float]) -> str:
    return f"p50 {percentile(samples, 50):7.1f} ms   p99 {percentile(samples, 99):7.1f} ms"


def _first_draw() -> float:
    code = (
        "import time; t = time.perf_counter(); from pathlib import Path;"
        "from facts.store import FactStore; from facts.context import Context;"
        "from facts.answer import answer; import sys;"
        "ctx = Context.build(FactStore.open(Path(sys.argv[1])));"
        "a = answer(ctx, 'mexico exports 1991-2025'); t = time.perf_counter();"
        "from bot.chart import chart_png; chart_png(a); print((time.perf_counter() - t) * 1000)"
    )
    return float(subprocess.run([sys.executable, "-c", code, str(DB)], capture_output=True,
                                text=True, check=True, cwd=ROOT).stdout)  # fmt: skip


def _mention(port: int, text: str, n: int) -> tuple[float, str]:
    body = json.loads((ROOT / "tests" / "payloads" / "app_mention.json").read_text())
    body["event_id"] = f"EvBENCH{n:05d}{text[:6].replace(' ', '')}"
    body["event"].update(text=f"<@UBOT> {text}", ts=f"1716{n:06d}.000100")
    data = json.dumps(body)
    headers = {"Content-Type": "application/json", **signature_headers(data)}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data.encode(),
                                     headers)  # fmt: skip
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    return started, body["event"]["ts"]


def main() -> None:
    """Print draw, upload and mention-to-chart times."""
    global DB
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        DB = Path(tmp) / "facts.duckdb"
        build(ROOT / "data", DB)
        ctx = Context.build(FactStore.open(DB))
        answers = {q: answer(ctx, q) for q in CHARTED}
        print(f"first draw (import matplotlib + draw), fresh process: {_first_draw():.0f} ms")
        chart_png(answers[CHARTED[0]])  # warm
        for question, result in answers.items():
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                chart_png.__wrapped__(result)  # drawn every time, not from chart_png's cache
                times.append((time.perf_counter() - started) * 1000)
            print(f"draw    {question:32s} {_ms(times)}")
        client = WebClient(token=BOT_TOKEN, base_url=fake.url)
        uploads = []
        for n in range(ROUNDS):
            chart_png.cache_clear()
            started = time.perf_counter()
            upload_chart(client, answers[CHARTED[n % len(CHARTED)]], "C1", "1.2")
            uploads.append((time.perf_counter() - started) * 1000)
        print(f"upload  draw + files_upload_v2 (3 calls)    {_ms(uploads)}")
        fake.clear()
        env = server_env(fake, DB)
        with running(tradefact_server(env, Path(tmp) / "serve.log")) as bot:
            _mention(bot.port, "mexico exports 2024", 0)  # the first request loads what it needs
            fake.wait_for("chat.postMessage")
            fake.clear()
            _mention(bot.port, "canada exports 1991-2025", 0)  # ... and matplotlib
            fake.wait_for("files.completeUploadExternal", timeout=30)
            fake.clear()
            acks, texts, charts = [], [], []
            for n in range(1, MENTIONS + 1):
                # A different trend each time: every chart is drawn, none comes from the cache.
                started, ts = _mention(bot.port, f"mexico exports {1990 + n}-2025", n)
                acked = time.perf_counter()
                [post] = fake.wait_for("chat.postMessage", n)[-1:]
                done = fake.wait_for("files.completeUploadExternal", n, timeout=30)[-1]
                offset = time.monotonic() - time.perf_counter()  # fake's clock -> ours
                acks.append((acked - started) * 1000)
                texts.append((post.at - offset - started) * 1000)
                charts.append((done.at - offset - started) * 1000)
        print(f"mention ack (HTTP response)                 {_ms(acks)}")
        print(f"mention text answer posted                  {_ms(texts)}")
        print(f"mention chart in the thread                 {_ms(charts)}")


DB = Path()

if __name__ == "__main__":
    main()
