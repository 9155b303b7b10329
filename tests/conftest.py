"""Shared fixtures: the real fact store, built once per test session from data/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.load import build
from facts.store import FactStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fact store built from the repository's data/ into a temporary directory."""
    path = tmp_path_factory.mktemp("store") / "facts.duckdb"
    build(DATA, path)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> Iterator[FactStore]:
    """The fact store, opened read-only."""
    opened = FactStore.open(store_path)
    yield opened
    opened.close()
