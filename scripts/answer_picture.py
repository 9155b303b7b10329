"""Draw docs/answer-with-chart.png: an answer as the renderer writes it, above its chart.

Run: python scripts/answer_picture.py ["question"] [out.png]   (the store must be built)

The text is bot.render.render_text() of the answer and the chart is bot.chart.chart_png(), the
same functions the bot uses; only the framing (a white card, a monospace font) is added here.
"""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from bot.chart import chart_png  # noqa: E402
from bot.render import render_text  # noqa: E402
from facts.answer import answer  # noqa: E402
from facts.context import Context  # noqa: E402
from facts.store import FactStore  # noqa: E402

QUESTION = "mexico exports 2015-2026"
TEXT_LINES = 9  # the headline, the takeaway and the figures at a glance


def main() -> None:
    """Write the picture."""
    question = sys.argv[1] if len(sys.argv) > 1 else QUESTION
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "answer-with-chart.png"
    result = answer(Context.build(FactStore.open(ROOT / "data" / "facts.duckdb")), question)
    png = chart_png(result)
    if png is None:
        raise SystemExit(f"No chart for {question!r}")
    lines = [
        wrapped for line in render_text(result).splitlines()[:TEXT_LINES]
        for wrapped in textwrap.wrap(line, 110) or [""]
    ]  # fmt: skip
    figure = Figure(figsize=(8, 4.8 + 0.19 * len(lines)), dpi=120)
    top = 0.19 * len(lines) / (4.8 + 0.19 * len(lines))
    for n, line in enumerate(lines):
        weight = "bold" if n < 2 else "normal"
        figure.text(0.02, 1 - 0.02 - n * (top - 0.02) / len(lines), line.replace("$", r"\$"),
                    family="monospace", fontsize=8, weight=weight, va="top")  # fmt: skip
    axes = figure.add_axes((0, 0, 1, 1 - top - 0.01))
    axes.imshow(imread(io.BytesIO(png), format="png"))
    axes.set_axis_off()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=120)
    print(out)


if __name__ == "__main__":
    main()
