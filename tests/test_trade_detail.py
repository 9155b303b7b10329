"""Trade by commodity (optional input): kept as detail, checked against the partner totals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from facts.load import DataError, build
from facts.store import FactStore

DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE = "test-trade-by-commodity"
ENTRY = f"""
- id: {SOURCE}
  title: Test detail
  publisher: tests
  url_note: made by tests/test_trade_detail.py
  coverage: Mexico, exports, 2024
  units: U.S. dollars
  basis: test
  license: none
  obtained: made by the test
"""


@pytest.fixture
def data_with_detail(data_copy: Path) -> Path:
    """data/ as symlinks, with a test source whose detail file the test writes."""
    copy = data_copy
    sources = copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.unlink()
    sources.write_text(text + ENTRY, encoding="utf-8")
    (copy / "raw" / SOURCE).mkdir()
    return copy


def _mexico_exports_2024(store: FactStore) -> list[tuple[Any, ...]]:
    """Each month of Mexico's 2024 exports split into two commodities that add up to it."""
    rows: list[tuple[Any, ...]] = []
    for month in range(1, 13):
        fact = store.trade_month("exports", "MEX", 2024, month)
        assert fact is not None
        third = int(fact.value) // 3
        rows += [("MEX", 2024, month, "exports", "HS27", third)]
        rows += [("MEX", 2024, month, "exports", "HS87", int(fact.value) - third)]
    return rows


def _write(data_dir: Path, rows: list[tuple[Any, ...]]) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE d (partner VARCHAR, year INTEGER, month INTEGER, flow VARCHAR,"
        " commodity VARCHAR, value_usd BIGINT)"
    )
    con.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?)", rows)
    target = data_dir / "raw" / SOURCE / "trade-by-commodity.parquet"
    con.execute(f"COPY d TO '{target}' (FORMAT parquet)")
    con.close()


def test_detail_is_kept_and_the_partner_totals_are_unchanged(
    store: FactStore, data_with_detail: Path, tmp_path: Path
) -> None:
    _write(data_with_detail, _mexico_exports_2024(store))
    build(data_with_detail, tmp_path / "facts.duckdb")
    built = FactStore.open(tmp_path / "facts.duckdb")
    assert built.table_counts()["trade_detail"] == 24
    assert built.trade_year("exports", "MEX", 2024) == store.trade_year("exports", "MEX", 2024)
    built.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((2, 5, 2_000_000), "MEX 2024-02 exports: the commodities add up to"),
        ((2, 3, "exported"), "row 3"),
        ((0, 1, 1990), "MEX 1990-01 exports: no such month in the country data"),
    ],
)
def test_detail_that_does_not_match_the_partner_totals_stops_the_build(
    store: FactStore,
    data_with_detail: Path,
    tmp_path: Path,
    change: tuple[int, int, Any],
    message: str,
) -> None:
    rows = _mexico_exports_2024(store)
    row, column, value = change
    changed = list(rows[row])
    changed[column] = changed[column] + value if column == 5 else value
    rows[row] = tuple(changed)
    _write(data_with_detail, rows)
    with pytest.raises(DataError, match=message):
        build(data_with_detail, tmp_path / "facts.duckdb")
