"""The read-only store keeps query results in memory, within a bound."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import Mock

import pytest

import facts.store
from facts.store import FactStore


def test_a_query_asked_again_is_answered_from_memory(store_path: Path) -> None:
    store = FactStore.open(store_path)
    first = store.trade_month("exports", "MEX", 2024, 1)
    connection = store._con  # noqa: SLF001
    store._con = Mock(**{"cursor.side_effect": AssertionError("queried again")})  # noqa: SLF001
    try:
        assert store.trade_month("exports", "MEX", 2024, 1) == first
        with pytest.raises(AssertionError, match="queried again"):
            store.trade_month("exports", "MEX", 2023, 1)
    finally:
        connection.close()


def test_memory_holds_at_most_the_configured_number_of_rows(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts.store, "CACHED_ROWS", 40)
    store = FactStore.open(store_path)
    assert len(store.ranking("exports", 2024)) > 40  # too big to keep: read, not remembered
    for year in range(1995, 2025):
        assert store.trade_month("exports", "MEX", year, 1) is not None
    assert store._result_rows <= 40  # noqa: SLF001
    assert store.trade_month("exports", "MEX", 2024, 1) is not None
    store.close()
