"""Charts of an answer's figures: a PNG drawn headless with matplotlib's Agg renderer.

A line over time for a trend; bars for a ranking, a comparison or a share. The title is the
answer's headline, the axis is in the answer's units, a partial year is drawn hollow and labelled,
and the footer names the source and its release. matplotlib is imported on first use: the text
answer never waits for it (the chart is drawn by the job that uploads it).
"""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from facts import lang as language
from facts.digest import Digest
from facts.model import Answer, Fact, Lang
from facts.words import figure_period_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH, HEIGHT, DPI = 8.0, 4.8, 120  # 960 x 576 pixels: sharp in a Slack thread, ~40 KB
MAX_BARS = 20  # a ranking of more partners is charted as its top 20
INK, MUTED, PARTIAL = "#1f4e79", "#6b6b6b", "#9dbbd9"
_SCALES = (
    (Decimal("1e12"), "trillions"),
    (Decimal("1e9"), "billions"),
    (Decimal("1e6"), "millions"),
)
_WORDS_ES = {
    "trillions of U.S. dollars": "billones de dólares de EE. UU.",
    "billions of U.S. dollars": "miles de millones de dólares de EE. UU.",
    "millions of U.S. dollars": "millones de dólares de EE. UU.",
    "U.S. dollars": "dólares de EE. UU.",
    " (below 0: U.S. deficit)": " (bajo 0: déficit de EE. UU.)",
    "thousands of encounters": "miles de encuentros",
    "thousands of people": "miles de personas",
    "U.S. dollars per person": "dólares de EE. UU. por persona",
    "pounds": "libras",
    "partial year": "año parcial",
    "Source": "Fuente",
    "top {} of {}": "{} primeros de {}",
}


def _tr(text: str, lang: str) -> str:
    if lang != "es":
        return text
    for english, spanish in _WORDS_ES.items():
        text = text.replace(english, spanish)
    return text


@lru_cache(maxsize=32)  # ~60 KB each; a repeated question's chart is drawn once
def chart_png(answer: Answer) -> bytes | None:
    """The answer's chart as PNG bytes, or None when the answer has no chart."""
    figure = chart_figure(answer)
    if figure is None:
        return None
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def chart_figure(answer: Answer) -> Figure | None:
    """The answer's chart as a matplotlib Figure (not drawn yet), or None."""
    facts = _charted(answer)
    if not answer.chart or len(facts) < 2:
        return None
    from matplotlib.figure import Figure  # Figure, not pyplot: no global state, thread-safe

    # (imported here, not at the top: the text answer never waits for matplotlib's import)
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # The bottom 7% is kept for the footer (constrained layout ignores figure.text).
    layout = ConstrainedLayoutEngine(rect=(0, 0.07, 1, 0.93))
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout=layout)
    axes = figure.add_subplot()
    divisor, unit_words = axis_unit(facts)
    unit_words = _tr(unit_words, answer.lang)
    values = [float(f.value / divisor) for f in facts]
    if answer.chart == "line":
        _line(axes, facts, values, answer.lang)
    else:
        _bars(axes, facts, values, answer)
    axes.set_ylabel(unit_words) if answer.chart == "line" else axes.set_xlabel(unit_words)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y" if answer.chart == "line" else "x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    title = textwrap.fill(answer.headline, 72)
    figure.suptitle(_literal(title), fontsize=11, fontweight="bold")
    figure.text(0.01, 0.005, _literal(footer(answer)), fontsize=7, color=MUTED, ha="left",
                va="bottom")  # fmt: skip
    return figure


def digest_chart_png(digest: Digest) -> bytes:
    """The digest's chart: U.S. exports to and imports from the partner, the last 13 months."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI,
                    layout=ConstrainedLayoutEngine(rect=(0, 0.07, 1, 0.93)))  # fmt: skip
    axes = figure.add_subplot()
    months = digest.trade_months
    x = list(range(len(months)))
    es = digest.lang == "es"
    names = ("Exportaciones", "Importaciones") if es else ("Exports", "Imports")
    for column, (name, color) in enumerate(zip(names, (INK, "#c0504d"), strict=True)):
        values = [float(pair[column].value / Decimal("1e9")) for pair in months]
        axes.plot(x, values, color=color, linewidth=2, marker="o", markersize=3, label=name)
    axes.set_xticks(x, [_short(pair[0].period) for pair in months], fontsize=8)
    axes.set_ylabel(_tr("billions of U.S. dollars", digest.lang))
    axes.legend(frameon=False, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    first, last = (language.period(months[i][0].period, digest.lang) for i in (0, -1))
    title = f"{'Comercio de EE. UU. con' if es else 'U.S. trade with'} {digest.partner}"
    figure.suptitle(f"{title}, {first} – {last}", fontsize=11, fontweight="bold")
    source = digest.trade_sources[0]
    cited = f"{_tr('Source', digest.lang)}: {source.publisher}, {source.title}"
    figure.text(0.01, 0.005, _literal(textwrap.fill(cited, 140)), fontsize=7, color=MUTED,
                ha="left", va="bottom")  # fmt: skip
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def footer(answer: Answer) -> str:
    """ "Source: U.S. Census Bureau, ..., 1991 to August 2026 · Goods only, Census basis"."""
    first = answer.sources[0]
    basis = first.basis.split(".")[0]
    source = _tr("Source", answer.lang)
    return textwrap.fill(f"{source}: {first.publisher}, {first.title} · {basis}", 140)


def axis_unit(facts: tuple[Fact, ...]) -> tuple[Decimal, str]:
    """What the values are divided by, and the axis label: "billions of U.S. dollars"."""
    unit = facts[0].unit
    largest = max(abs(f.value) for f in facts)
    negative = " (below 0: U.S. deficit)" if any(f.value < 0 for f in facts) else ""
    if unit == "USD":
        for divisor, words in _SCALES:
            if largest >= divisor:
                return divisor, f"{words} of U.S. dollars{negative}"
        return Decimal(1), f"U.S. dollars{negative}"
    if unit in ("encounters", "people") and largest >= 10_000:
        return Decimal(1000), f"thousands of {unit}"
    return Decimal(1), {"lb": "pounds", "USD per person": "U.S. dollars per person"}.get(unit, unit)


def _charted(answer: Answer) -> tuple[Fact, ...]:
    facts = tuple(f for f in answer.facts if f.unit == answer.facts[0].unit) if answer.facts else ()
    return facts if answer.chart == "line" else facts[:MAX_BARS]


def _literal(text: str) -> str:
    return text.replace("$", r"\$")  # a pair of $ would start matplotlib's math mode


def _line(axes: Axes, facts: tuple[Fact, ...], values: list[float], lang: Lang) -> None:
    labels = [_short(f.period) for f in facts]
    x = list(range(len(facts)))
    whole = [i for i, f in enumerate(facts) if not f.note]
    axes.plot(x, values, color=INK, linewidth=2, marker="o", markersize=3)
    for i, fact in enumerate(facts):
        if fact.note:  # a partial year: hollow, dashed to it, and said in words
            axes.plot([x[i - 1], x[i]], [values[i - 1], values[i]], color="white", linewidth=2.5)
            axes.plot([x[i - 1], x[i]], [values[i - 1], values[i]], color=INK, linestyle=":")
            axes.plot(x[i], values[i], marker="o", markersize=7, markerfacecolor="white",
                      markeredgecolor=INK)  # fmt: skip
            note = f"{language.period(fact.period, lang)}\n({_tr('partial year', lang)})"
            axes.annotate(note, (x[i], values[i]),
                          textcoords="offset points", xytext=(0, 10), ha="center", fontsize=7,
                          color=MUTED)  # fmt: skip
    step = max(1, len(x) // 12)
    axes.set_xticks(x[::step], labels[::step], fontsize=8)
    if any(v < 0 for v in values) and any(v > 0 for v in values):
        axes.axhline(0, color=MUTED, linewidth=0.8)
    if whole:
        axes.margins(x=0.03)


def _bars(axes: Axes, facts: tuple[Fact, ...], values: list[float], answer: Answer) -> None:
    same_period = len({f.period for f in facts}) == 1
    labels = [f.label if same_period else language.period(f.period, answer.lang) for f in facts]
    colors = [PARTIAL if f.note else INK for f in facts]
    y = list(range(len(facts)))[::-1]  # the first figure on top
    axes.barh(y, values, color=colors, height=0.65)
    axes.set_yticks(y, labels, fontsize=8)
    places = 1 if max(abs(v) for v in values) >= 10 else 2
    for yy, value in zip(y, values, strict=True):
        axes.annotate(f"{value:,.{places}f}", (value, yy), textcoords="offset points",
                      xytext=(3 if value >= 0 else -3, 0), va="center",
                      ha="left" if value >= 0 else "right", fontsize=7, color=MUTED)  # fmt: skip
    if any(v < 0 for v in values):
        axes.axvline(0, color=MUTED, linewidth=0.8)
    if len(answer.facts) > len(facts):
        top = _tr("top {} of {}", answer.lang).format(len(facts), len(answer.facts))
        axes.set_title(top, fontsize=8, color=MUTED)


def _short(period: str) -> str:
    if ".." in period:
        period = period.split("..")[0][:4]
    if len(period) == 7:
        return f"{figure_period_words(period)[:3]} {period[2:4]}"
    return period
