"""LiveStore: a replaced store file is switched to between uses, never under one."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from bot.handlers import answered
from bot.replies import LiveReplies
from facts.live import LiveStore
from facts.load import build, fingerprint
from facts.store import FactStore


def _replace(source: Path, db: Path) -> None:
    """Put a copy of `source` at `db` by rename, as a build does."""
    tmp = db.with_name(db.name + ".new")
    shutil.copyfile(source, tmp)
    os.replace(tmp, db)


def _wait_for_switch(live: LiveStore, old: FactStore) -> FactStore:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with live.use() as store:
            if store is not old:
                return store
        time.sleep(0.02)
    raise AssertionError("no switch")


def test_the_old_store_stays_open_until_its_last_user_is_done(
    store_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "facts.duckdb"
    shutil.copyfile(store_path, db)
    live = LiveStore(FactStore.open(db))
    with live.use() as old:
        _replace(store_path, db)
        new = _wait_for_switch(live, old)
        assert old.table_counts() == new.table_counts()  # still open: a request is using it
    with pytest.raises(duckdb.Error):
        old.table_counts()  # closed once that request ended
    assert new.table_counts()["trade_monthly"] > 0


def test_replies_are_dropped_with_their_store(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    shutil.copyfile(store_path, db)
    live = LiveStore(FactStore.open(db))
    replies = LiveReplies(live, answered)
    first, _ = replies.get("mexico exports 2024")
    with live.use() as old:
        pass
    _replace(store_path, db)
    _wait_for_switch(live, old)
    again, _ = replies.get("mexico exports 2024")
    assert again == first and again is not first  # answered again, on the new store
    assert len(replies._by_store) == 1  # the old store's replies went with it


def test_a_broken_new_file_is_not_switched_to(
    store_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "facts.duckdb"
    shutil.copyfile(store_path, db)
    live = LiveStore(FactStore.open(db))
    with live.use() as before:
        pass
    broken = tmp_path / "broken"
    broken.write_bytes(b"not a database" * 1000)
    _replace(broken, db)
    deadline = time.monotonic() + 10
    while "Still serving the old store" not in caplog.text and time.monotonic() < deadline:
        with live.use():
            pass
        time.sleep(0.02)
    assert "Still serving the old store" in caplog.text
    with live.use() as store:
        assert store is before and store.trade_year("exports", "MEX", 2024) is not None


def test_a_waiting_use_switches_first(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.duckdb"
    shutil.copyfile(store_path, db)
    live = LiveStore(FactStore.open(db))
    with live.use(wait=True) as before:
        pass
    _replace(store_path, db)
    with live.use(wait=True) as after:
        assert after is not before and after.table_counts() == _counts(store_path)
    with pytest.raises(duckdb.Error):
        before.table_counts()


def _counts(path: Path) -> dict[str, int]:
    store = FactStore.open(path)
    try:
        return store.table_counts()
    finally:
        store.close()


def test_a_private_copy_follows_its_origin_through_copies_of_its_own(
    store_path: Path, tmp_path: Path, data_copy: Path
) -> None:
    origin, private = tmp_path / "facts.duckdb", tmp_path / "private" / "facts.duckdb"
    shutil.copyfile(store_path, origin)
    private.parent.mkdir()
    shutil.copyfile(origin, private)
    live = LiveStore(FactStore.open(private), origin=origin)
    with live.use(wait=True) as first:
        assert first.path == private  # the copy matches its origin: nothing to do
    _replace(store_path, origin)
    with live.use(wait=True) as second:
        assert second.path.name.endswith(".live") and second.path.parent == private.parent
    _replace(store_path, origin)
    with live.use(wait=True) as third:
        assert third.path != second.path
    assert private.exists() and not second.path.exists()  # its own copies go; the first stays
    # A worker restarted after a refresh opens the first copy, older than its origin: it switches.
    population = data_copy / "raw" / "worldbank-population" / "population.csv"
    text = population.read_text()
    population.unlink()  # a symlink to the repository's file: replaced, never written through
    population.write_text(text.replace("Aruba,ABW,1961,55578", "Aruba,ABW,1961,55579"))
    build(data_copy, origin)
    restarted = LiveStore(FactStore.open(private), origin=origin)
    with restarted.use(wait=True) as store:
        assert store.fingerprint == fingerprint(data_copy) != FactStore.open(private).fingerprint
