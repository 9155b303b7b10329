"""Build the DuckDB fact store from the files in data/: the only writer of the store.

Every input is validated; a problem stops the build with the file, the row and what is wrong.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb

from facts import load_border, load_bts, load_duties
from facts.load_series import load_encounters, load_population, load_seizures, ohss_usbp
from facts.load_trade import load_commodity_trade, load_trade
from facts.staging import DataError, allowed, no_duplicates, stage_csv
from facts.store import cut_short

__all__ = ["BuildReport", "DataError", "build", "ensure_built", "fingerprint"]

SCHEMA_VERSION = "3"  # 2: trade_detail (trade by commodity); 3: TransBorder, duties, citizenship


@dataclass(frozen=True)
class BuildReport:
    """What a build put in the store."""

    path: Path
    tables: dict[str, int]
    fingerprint: str


def fingerprint(data_dir: Path) -> str:
    """Hash every input file under data_dir (names and bytes) plus the schema version."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in sorted(_input_files(data_dir)):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        with path.open("rb") as file:  # in chunks: the serving process never holds data/ whole
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()


def _input_files(data_dir: Path) -> Iterator[Path]:
    for path in data_dir.rglob("*"):
        if path.is_file() and ".duckdb" not in path.name and not path.name.startswith("."):
            yield path


def build(data_dir: Path, db_path: Path) -> BuildReport:
    """Validate data_dir and write the store to db_path atomically (temp file, then rename)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    digest = fingerprint(data_dir)
    try:
        con = duckdb.connect(str(tmp))
        try:
            counts = _build_into(con, data_dir, digest, db_path)
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return BuildReport(db_path, counts, digest)


def _build_into(
    con: duckdb.DuckDBPyConnection, data_dir: Path, digest: str, previous: Path | None = None
) -> dict[str, int]:
    con.execute(_SCHEMA)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # openpyxl is pure Python; DuckDB releases the GIL, so these overlap on two cores.
        usbp = pool.submit(ohss_usbp, data_dir)
        sources = _read_sources(data_dir)
        _insert(con, "sources", sources)
        _load_countries(con, data_dir)
        # Border trade and duties on their own connection (own temp tables; duties read countries).
        border = pool.submit(_load_border, con.cursor(), data_dir, previous)
        _insert(con, "claims", _read_claims(data_dir))
        load_trade(con, data_dir)
        load_commodity_trade(con, data_dir)
        load_population(con, data_dir)
        load_encounters(con, data_dir)
        load_seizures(con, data_dir)
        _insert(con, "encounters", usbp.result())
        border_inputs = border.result()
    _check_references(con, {s["id"] for s in sources})
    con.execute(
        "INSERT INTO meta VALUES ('fingerprint', ?), ('schema', ?), (?, ?)",
        [digest, SCHEMA_VERSION, load_border.META_KEY, border_inputs],
    )
    con.execute(_DERIVED)
    con.execute("CHECKPOINT")
    return {
        name: count
        for name, count in con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
        ).fetchall()
    }


def _load_border(con: duckdb.DuckDBPyConnection, data_dir: Path, previous: Path | None) -> str:
    try:  # copied from the previous store when their inputs did not change (facts.load_border)
        return load_border.load_border(con, data_dir, previous)
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts keyed by column) in one statement; the table name is a constant."""
    if rows:
        con.execute(f"INSERT INTO {table} BY NAME SELECT unnest($1, recursive := true)", [rows])


def _check_references(con: duckdb.DuckDBPyConnection, source_ids: set[str]) -> None:
    """Every trade partner has a country row; every row's source id is a known source."""
    missing = con.execute(
        "SELECT DISTINCT partner FROM trade_annual"
        " WHERE partner NOT IN (SELECT code FROM countries) ORDER BY 1 LIMIT 1"
    ).fetchall()
    if missing:
        raise DataError("countries.csv", None, f"trade partner {missing[0][0]!r} has no row")
    for table in _FACT_TABLES:
        ids = {r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM {table}").fetchall()}
        if not ids <= source_ids:
            raise DataError(
                "sources.yaml",
                None,
                f"unknown source id {sorted(ids - source_ids)[0]!r} in {table}",
            )


_FACT_TABLES = (
    "countries",
    "claims",
    "trade_monthly",
    "trade_annual",
    "trade_detail",
    "population",
    "encounters",
    "seizures",
    "encounters_citizenship",
    *load_bts.TABLES,
    *load_duties.TABLES,
)


_SOURCE_FIELDS = ("id", "title", "publisher", "coverage", "units", "basis", "license", "obtained")


def _read_sources(data_dir: Path) -> list[dict[str, Any]]:
    entries = _load_yaml(data_dir, "sources.yaml")
    rows = []
    for number, entry in enumerate(entries, start=1):
        for key in _SOURCE_FIELDS:
            if not str(entry.get(key) or "").strip():
                raise DataError("sources.yaml", number, f"missing {key!r}")
        if not entry.get("url") and not entry.get("url_note"):
            raise DataError("sources.yaml", number, "needs a 'url' or a 'url_note' saying why not")
        for rel in entry.get("files", []):
            if not (data_dir / rel).exists():
                raise DataError("sources.yaml", number, f"file {rel!r} does not exist")
        fields = (*_SOURCE_FIELDS, "url", "url_note", "caveats")
        rows.append({k: " ".join(str(entry.get(k) or "").split()) for k in fields})
    _reject_duplicates(rows, "id", "sources.yaml")
    return rows


_COUNTRY_COLUMNS = ["code", "kind", "census_code", "census_name", "name", "name_es", "aliases"]


_KINDS = ("country", "former", "aggregate", "unallocated")


def _load_countries(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    rel = "countries.csv"
    stage_csv(con, data_dir, rel, _COUNTRY_COLUMNS)
    no_duplicates(con, rel, ["code"])
    allowed(con, rel, "kind", list(_KINDS))
    empty = con.execute(
        "SELECT line FROM staged WHERE coalesce(trim(code), '') = ''"
        " OR coalesce(trim(name), '') = '' ORDER BY line LIMIT 1"
    ).fetchall()
    if empty:
        raise DataError(rel, empty[0][0], "code and name must not be empty")
    con.execute(
        "INSERT INTO countries SELECT code, kind, census_code, census_name, name, name_es, aliases,"
        " 'tradefact-countries' FROM staged"
    )


_VERDICT_OPS = {"approx", "greater", "equal"}


def _read_claims(data_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for number, claim in enumerate(_load_yaml(data_dir, "claims.yaml"), start=1):
        for key in ("id", "topic", "paraphrase", "stated"):
            if not claim.get(key):
                raise DataError("claims.yaml", number, f"missing {key!r}")
        check, why = claim.get("check"), claim.get("unverifiable")
        if bool(check) == bool(why):
            raise DataError("claims.yaml", number, "needs exactly one of 'check' or 'unverifiable'")
        readings = (check.get("readings") or [check]) if check else []
        for reading in readings:
            if reading.get("op") not in _VERDICT_OPS:
                raise DataError(
                    "claims.yaml", number, f"check op must be one of {sorted(_VERDICT_OPS)}"
                )
        ids = [r.get("id") for r in readings]
        if (
            check
            and "readings" in check
            and (not all(ids) or len(set(ids)) != len(ids) or check.get("headline") not in ids)
        ):
            raise DataError(
                "claims.yaml", number, "readings need distinct ids, and a headline among them"
            )
        stated = claim["stated"]
        rows.append(
            {
                "id": claim["id"],
                "number": number,
                "topic": claim["topic"],
                "paraphrase": " ".join(str(claim["paraphrase"]).split()),
                "keywords": json.dumps([str(k) for k in claim.get("keywords", [])]),
                "stated_value": _number_text(stated.get("value"), "claims.yaml", number),
                "stated_unit": str(stated.get("unit", "")),
                "stated_period": str(stated.get("period") or ""),
                "stated_text": str(stated.get("text", "")),
                "check_json": json.dumps(check) if check else None,
                "unverifiable": " ".join(str(why).split()) if why else None,
                "context_json": json.dumps(claim.get("context", [])),
                "source_id": claim.get("source", "amcham-oped-2025"),
            }
        )
    _reject_duplicates(rows, "id", "claims.yaml")
    return rows


def _load_yaml(data_dir: Path, rel: str) -> list[dict[str, Any]]:
    import yaml  # imported here: only a build reads YAML, and serving starts faster without it

    path = data_dir / rel
    if not path.exists():
        raise DataError(rel, None, "file is missing")
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(rel, mark.line + 1 if mark else None, f"not valid YAML ({exc})") from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError(rel, None, "must be a list of entries")
    return entries


def _number_text(value: Any, rel: str, row: int) -> str | None:
    if value is None:
        return None
    try:
        return str(Decimal(str(value)))
    except InvalidOperation:
        raise DataError(rel, row, f"stated value {value!r} is not a number") from None


def _reject_duplicates(rows: list[dict[str, Any]], key: str, rel: str) -> None:
    seen: set[Any] = set()
    for number, row in enumerate(rows, start=1):
        if row[key] in seen:
            raise DataError(rel, number, f"duplicate {key} {row[key]!r}")
        seen.add(row[key])


_SCHEMA = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE sources (
    id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, publisher VARCHAR NOT NULL, url VARCHAR,
    url_note VARCHAR, coverage VARCHAR, units VARCHAR, basis VARCHAR, license VARCHAR,
    obtained VARCHAR, caveats VARCHAR);
CREATE TABLE countries (
    code VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, census_code VARCHAR, census_name VARCHAR,
    name VARCHAR NOT NULL, name_es VARCHAR, aliases VARCHAR,
    source_id VARCHAR NOT NULL);
CREATE TABLE claims (
    id VARCHAR PRIMARY KEY, number INTEGER NOT NULL, topic VARCHAR NOT NULL,
    paraphrase VARCHAR NOT NULL, keywords VARCHAR, stated_value DECIMAL(38, 6),
    stated_unit VARCHAR, stated_period VARCHAR, stated_text VARCHAR, check_json VARCHAR,
    unverifiable VARCHAR, context_json VARCHAR, source_id VARCHAR NOT NULL);
CREATE TABLE trade_monthly (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE trade_detail (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, flow VARCHAR NOT NULL,
    commodity VARCHAR NOT NULL, value_usd DECIMAL(18, 0) NOT NULL, source_id VARCHAR NOT NULL);
CREATE TABLE trade_annual (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, flow VARCHAR NOT NULL,
    value_usd DECIMAL(18, 0) NOT NULL, months INTEGER NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (partner, year, flow));
CREATE TABLE population (
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, value BIGINT NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (partner, year));
CREATE TABLE encounters (
    series VARCHAR NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL, value BIGINT NOT NULL,
    source_id VARCHAR NOT NULL, PRIMARY KEY (series, year, month));
CREATE TEMP TABLE seizures_staged (
    drug VARCHAR, region VARCHAR, component VARCHAR, year INTEGER, month INTEGER,
    pounds DECIMAL(38, 16), events BIGINT);
CREATE TABLE seizures (
    drug VARCHAR NOT NULL, region VARCHAR NOT NULL, component VARCHAR NOT NULL,
    year INTEGER NOT NULL, month INTEGER NOT NULL, pounds DECIMAL(38, 16) NOT NULL,
    events BIGINT NOT NULL, source_id VARCHAR NOT NULL,
    PRIMARY KEY (drug, region, component, year, month));
"""


# Pre-computed at build: annual export ranks among countries (aggregates and residuals excluded).
_DERIVED = """
CREATE TABLE trade_rank AS
SELECT t.partner, t.year, t.flow, t.value_usd, t.months,
       rank() OVER (PARTITION BY t.year, t.flow ORDER BY t.value_usd DESC, t.partner) AS rank
FROM trade_annual t JOIN countries c ON c.code = t.partner
WHERE c.kind IN ('country', 'former');
"""


def ensure_built(data_dir: Path, db_path: Path) -> bool:
    """Rebuild db_path if it is missing or older than the files in data_dir; True if rebuilt."""
    if _built_fingerprint(db_path) == fingerprint(data_dir):
        return False  # current: no lock file, so a read-only data/ (a container image) works
    lock_path = db_path.with_name(db_path.name + ".lock")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time across processes
        wanted = fingerprint(data_dir)
        if _built_fingerprint(db_path) == wanted:
            return False
        build(data_dir, db_path)
        return True


def _built_fingerprint(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None  # damaged: rebuild
    try:
        if cut_short(con, db_path):
            return None  # a copy that stopped halfway: rebuild
        rows = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return str(rows[0][0]) if rows else None
