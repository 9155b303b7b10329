"""refresh(): fetch the months Census published after the store's newest, keep them, rebuild.

Nothing is replaced until the new vintage has passed the build's checks: the responses are
written under data/raw/census-api/<release>/, the store is built to a temporary file and renamed
into place; on any failure the new directory and checksums are removed and the last good store
keeps serving.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from facts.census_api import Client, Response
from facts.load import build, ensure_built
from facts.load_census_api import API_DIR, ENDPOINTS, requested_columns
from facts.store import FactStore

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
FIRST_YEAR = 2010  # the API has nothing earlier
REVISED_YEARS = 3  # the June release (April data) revises the previous years' months
REVISION_MONTH = 4


@dataclass(frozen=True)
class Outcome:
    """What a refresh did: the release it kept (None if nothing new) and what it added."""

    release: str | None
    store_ended: tuple[int, int]  # the newest month before
    newest: tuple[int, int]  # the newest month after
    revisions: int
    requests: int

    def describe(self) -> str:
        """One line for the command and the log."""
        before = f"{self.store_ended[0]}-{self.store_ended[1]:02d}"
        if self.release is None:
            after = _next(self.store_ended)
            return (
                f"Nothing new: Census has not published {after[0]}-{after[1]:02d} yet"
                f" (the store ends at {before}); nothing changed."
            )
        return (
            f"Release {self.release}: trade through {self.newest[0]}-{self.newest[1]:02d}"
            f" (was {before}), {self.revisions} revised figure(s); {self.requests} requests."
        )


def refresh(client: Client, data_dir: Path, db_path: Path, today: date) -> Outcome:
    """Fetch what Census published after the store's newest month; keep it; rebuild the store."""
    ensure_built(data_dir, db_path)
    with _build_lock(db_path):
        store = FactStore.open(db_path)
        try:
            ended = store.coverage.trade_latest_month
        finally:
            store.close()
        responses = _fetch_new(client, ended, today)
        if not responses:
            return Outcome(None, ended, ended, 0, 1)
        release = _release_name(data_dir, today)
        try:
            _keep(data_dir, release, responses)
            build(data_dir, db_path)
        except BaseException:
            _forget(data_dir, release)
            raise
        store = FactStore.open(db_path)
        try:
            newest = store.coverage.trade_latest_month
            revisions = store.release_revisions(f"census-api-{release}")
        finally:
            store.close()
        return Outcome(release, ended, newest, revisions, len(responses) + 1)


def _fetch_new(client: Client, ended: tuple[int, int], today: date) -> list[Response]:
    """[] if the month after `ended` is not out; else every year from its year, both endpoints."""
    after = _next(ended)
    probe = client.get("exports/hs", {"get": "CTY_CODE,ALL_VAL_MO", "time": _month(after)})
    if probe.status == 204:
        return []
    responses = _years(client, range(after[0], today.year + 1))
    published = {(y, m) for r in responses for y, m in _months(r)}
    if any(m == REVISION_MONTH and (y, m) > ended for y, m in published):
        start = max(FIRST_YEAR, after[0] - REVISED_YEARS)
        responses = _years(client, range(start, after[0])) + responses
    return responses


def _years(client: Client, years: range) -> list[Response]:
    responses = []
    for year in years:
        for endpoint in ENDPOINTS:
            params = {"get": requested_columns(endpoint), "time": f"from {year}-01 to {year}-12"}
            responses.append(client.get(endpoint, params))
        if responses[-1].status == 204:
            break  # a year with nothing yet: later years have nothing either
    return responses


def _months(response: Response) -> set[tuple[int, int]]:
    rows = response.rows()
    if not rows or "time" not in rows[0]:
        return set()
    at = rows[0].index("time")
    times = (r[at] for r in rows[1:] if len(r) > at and isinstance(r[at], str))
    # Only well-formed months: the build checks the rest, and names what is wrong.
    return {(int(t[:4]), int(t[5:])) for t in times if _MONTH.fullmatch(t)}


def _release_name(data_dir: Path, today: date) -> str:
    """The day's date; "-2", "-3"... for a second release fetched the same day."""
    release, suffix = today.isoformat(), 1
    while (data_dir / API_DIR / release).exists():
        suffix += 1
        release = f"{today.isoformat()}-{suffix}"
    return release


def _keep(data_dir: Path, release: str, responses: list[Response]) -> None:
    """Write each response as received, with its request record, and add their checksums."""
    folder = data_dir / API_DIR / release
    folder.mkdir(parents=True)
    sums = []
    for response in responses:
        year = response.params["time"].split()[1][:4]
        stem = f"{response.endpoint.replace('/', '-')}-{year}"
        record = {
            "endpoint": response.endpoint,
            "params": response.params,  # the key is never among them
            "fetched_at": response.fetched_at,
            "status": response.status,
        }
        files = {
            f"{stem}.json": response.body,
            f"{stem}.request.json": (json.dumps(record, indent=2) + "\n").encode(),
        }
        for name, content in files.items():
            (folder / name).write_bytes(content)
            digest = hashlib.sha256(content).hexdigest()
            sums.append(f"{digest}  {API_DIR.removeprefix('raw/')}/{release}/{name}\n")
    checksums = data_dir / "raw" / "SHA256SUMS"
    _replace_text(checksums, checksums.read_text(encoding="utf-8") + "".join(sums))


def _forget(data_dir: Path, release: str) -> None:
    """Undo _keep, whatever part of it was done: the release's directory and checksum lines."""
    shutil.rmtree(data_dir / API_DIR / release, ignore_errors=True)
    checksums = data_dir / "raw" / "SHA256SUMS"
    marker = f"  {API_DIR.removeprefix('raw/')}/{release}/"
    lines = checksums.read_text(encoding="utf-8").splitlines(keepends=True)
    if any(marker in line for line in lines):
        _replace_text(checksums, "".join(line for line in lines if marker not in line))


def _replace_text(path: Path, text: str) -> None:
    """Write by rename: a symlinked copy of data/ never writes through to the files it links."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@contextmanager
def _build_lock(db_path: Path) -> Iterator[None]:
    """The lock ensure_built takes: one build of this store at a time, across processes."""
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _next(month: tuple[int, int]) -> tuple[int, int]:
    return (month[0] + 1, 1) if month[1] == 12 else (month[0], month[1] + 1)


def _month(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"
