"""Charts show the answer's own figures: the values, units, partial year, title and source."""

from __future__ import annotations

import struct
from decimal import Decimal
from pathlib import Path

import pytest
from asking import ask

from bot.chart import chart_figure, chart_png
from bot.cli import main
from facts.store import FactStore

BILLION = Decimal("1e9")
DATA = Path(__file__).resolve().parent.parent / "data"
CENSUS = (
    "Source: U.S. Census Bureau, Foreign Trade Division, U.S. Trade in Goods by Country"
    " (country.xlsx), monthly and annual, 1991 to August 2026"
)


def _texts(question: str, store: FactStore) -> tuple[str, str]:
    """The chart's title and footer, as they read."""
    figure = chart_figure(ask(store, question))
    assert figure is not None
    title = figure.get_suptitle()
    [footer] = [t.get_text() for t in figure.texts if t.get_text() != title]
    return tuple(t.replace("\n", " ").replace("\\$", "$") for t in (title, footer))  # type: ignore[return-value]


def test_a_trend_is_a_line_of_its_figures_in_billions(store: FactStore) -> None:
    answer = ask(store, "mexico exports 2015-2024")
    figure = chart_figure(answer)
    assert figure is not None
    [axes] = figure.axes
    line = axes.get_lines()[0]
    assert list(line.get_ydata()) == [float(f.value / BILLION) for f in answer.facts]
    assert axes.get_ylabel() == "billions of U.S. dollars"
    assert [t.get_text() for t in axes.get_xticklabels()][:2] == ["2015", "2016"]


def test_the_title_is_the_headline_and_the_footer_names_source_and_release(
    store: FactStore,
) -> None:
    title, footer = _texts("mexico exports 2015-2024", store)
    assert title == "U.S. exports to Mexico, 2015–2024: $236.5 billion to $334.5 billion"
    assert footer.startswith(CENSUS)
    assert "Goods only, Census basis" in footer


def test_the_partial_year_is_marked(store: FactStore) -> None:
    answer = ask(store, "mexico exports 2020-2026")
    assert answer.facts[-1].note  # January–August 2026 only
    figure = chart_figure(answer)
    assert figure is not None
    notes = [t.get_text() for t in figure.axes[0].texts]
    assert notes == ["January–August 2026\n(partial year)"]
    hollow = [line for line in figure.axes[0].get_lines() if line.get_markersize() == 7]
    assert [line.get_markerfacecolor() for line in hollow] == ["white"]
    assert [list(line.get_xdata()) for line in hollow] == [[6]]  # 2026, the seventh year


def test_a_ranking_is_bars_in_rank_order(store: FactStore) -> None:
    answer = ask(store, "top 10 export markets 2024")
    figure = chart_figure(answer)
    assert figure is not None
    [axes] = figure.axes
    ticks = sorted(zip(axes.get_yticks(), axes.get_yticklabels(), strict=True), reverse=True)
    assert [label.get_text() for _, label in ticks] == [f.label for f in answer.facts]  # #1 on top
    bars = sorted(((bar.get_y(), bar.get_width()) for bar in axes.patches), reverse=True)
    assert [width for _, width in bars] == [float(f.value / BILLION) for f in answer.facts]


def test_a_balance_chart_says_below_zero_is_a_deficit(store: FactStore) -> None:
    figure = chart_figure(ask(store, "mexico balance 2015-2024"))
    assert figure is not None
    assert figure.axes[0].get_ylabel() == "billions of U.S. dollars (below 0: U.S. deficit)"
    assert max(figure.axes[0].get_lines()[0].get_ydata()) < 0


@pytest.mark.parametrize("question", ["mexico exports 2024", "claims", "help", "gibberish"])
def test_answers_without_a_series_have_no_chart(store: FactStore, question: str) -> None:
    assert chart_png(ask(store, question)) is None


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_ask_writes_the_chart_with_the_chart_option(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "chart.png"
    env = {"TRADEFACT_DB": str(store_path), "TRADEFACT_DATA_DIR": str(DATA)}
    assert main(["ask", "top 10 export markets 2024", "--chart", str(out)], env) == 0
    assert _png_size(out.read_bytes()) == (960, 576)
    assert capsys.readouterr().out.startswith("Top 10 U.S. export markets, 2024")
    assert main(["ask", "mexico exports 2024", "--chart", str(tmp_path / "none.png")], env) == 1
    assert not (tmp_path / "none.png").exists()


def test_the_digest_chart_is_13_months_of_exports_and_imports(
    store: FactStore, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from bot.chart import digest_chart_png
    from facts.digest import build_digest

    digest = build_digest(store, date(2025, 7, 7))
    png = digest_chart_png(digest)
    assert _png_size(png) == (960, 576)
    out = tmp_path / "digest.png"
    env = {"TRADEFACT_DB": str(store_path), "TRADEFACT_DATA_DIR": str(DATA)}
    argv = ["digest", "--channel", "C0TEST", "--date", "2025-07-07", "--dry-run", "--chart"]
    assert main([*argv, str(out)], env) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(digest.trade_months) == 13
