"""Shared fixtures: the real fact store, built once per test session from data/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeslack import FakeSlack
from hypothesis import settings
from pgserver import PostgresServer
from pgserver import binaries as pg_binaries
from slack_helpers import BotServer, healthy_server

from facts.load import build
from facts.store import FactStore

# CI runs the property tests on a fixed sequence of examples, so that a red build is
# reproducible; a developer's run explores new ones (and remembers failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def symlinked_copy(data_dir: Path, copy: Path) -> Path:
    """A copy of data_dir whose files are symlinks, so that a test can replace one cheaply."""
    for path in data_dir.rglob("*"):
        if path.is_file() and ".duckdb" not in path.name:
            target = copy / path.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    return copy


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """data/ as symlinks in a temporary directory (see symlinked_copy)."""
    return symlinked_copy(DATA, tmp_path / "data")


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


# --- Slack bot: a fake Slack and the real `tradefact serve` (see tests/slack_helpers.py) ---


@pytest.fixture(scope="module")
def bot_server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotServer]:
    """`tradefact serve` in a subprocess on loopback, talking to a FakeSlack; one per module."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with FakeSlack() as fake, healthy_server(fake, store_path, log) as server:
        yield server


@pytest.fixture
def served(bot_server: BotServer) -> BotServer:
    """The module's server, with the fake Slack's calls and faults cleared."""
    bot_server.fake.clear()
    return bot_server


# --- PostgreSQL: a real server from the machine's binaries (see tests/pgserver.py) ---


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; in CI (CI=true) its binaries must be there."""
    bin_dir = pg_binaries()
    if bin_dir is None:
        message = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run these tests: .ci/run installs postgresql)")
        pytest.skip(message + " (apt-get install postgresql)")
    with PostgresServer(bin_dir) as server:
        yield server


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgres.new_database()
