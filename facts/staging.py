"""Checks shared by the loaders: CSVs staged in DuckDB, each problem named by file and row."""

from __future__ import annotations

from pathlib import Path

import duckdb

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


class DataError(Exception):
    """A data file is malformed: names the file, the row and the problem."""

    def __init__(self, file: str, row: int | str | None, problem: str) -> None:
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {problem}")
        self.file, self.row, self.problem = file, row, problem


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def stage_csv(con: duckdb.DuckDBPyConnection, data_dir: Path, rel: str, columns: list[str]) -> None:
    """Load a CSV as text into the temp table `staged`, with `line` = its line in the file."""
    path = data_dir / rel
    if not path.exists():
        raise DataError(rel, None, "file is missing")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE staged AS SELECT row_number() OVER () + 1 AS line, *"
            " FROM read_csv($1, all_varchar = true, header = true, parallel = false)",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise DataError(rel, None, f"cannot be parsed as CSV ({first_line(exc)})") from exc
    present = {r[0] for r in con.execute("DESCRIBE staged").fetchall()}
    missing = [c for c in columns if c not in present]
    if missing:
        raise DataError(rel, 1, f"missing column {missing[0]!r}")


def first_bad(con: duckdb.DuckDBPyConnection, rel: str, column: str, cast: str) -> None:
    """Fail on the first row whose column does not convert to `cast` (a fixed type name)."""
    bad = con.execute(
        f"SELECT line, \"{column}\" FROM staged WHERE TRY_CAST(replace(\"{column}\", ',', '')"
        f" AS {cast}) IS NULL ORDER BY line LIMIT 1"
    ).fetchall()
    if bad:
        kind = "a whole number" if cast == "BIGINT" else "a number"
        raise DataError(rel, bad[0][0], f"{column!r} is not {kind}: {bad[0][1]!r}")


def no_duplicates(con: duckdb.DuckDBPyConnection, rel: str, keys: list[str]) -> None:
    cols = ", ".join(f'"{k}"' for k in keys)
    dupes = con.execute(
        f"SELECT line, {cols} FROM (SELECT line, {cols}, row_number() OVER (PARTITION BY {cols}"
        " ORDER BY line) AS n FROM staged) WHERE n > 1 ORDER BY line LIMIT 1"
    ).fetchall()
    if dupes:
        key = ", ".join(f"{k}={v!r}" for k, v in zip(keys, dupes[0][1:], strict=True))
        raise DataError(rel, dupes[0][0], f"duplicate key ({key})")


def check_fiscal_months(con: duckdb.DuckDBPyConnection, rel: str, fy: str, month: str) -> None:
    """Fail on the first row whose fiscal year ("2026 (FYTD)") or month ("OCT") is not one."""
    bad = con.execute(
        rf"""SELECT line, "{fy}", "{month}" FROM staged
            WHERE TRY_CAST(regexp_extract("{fy}", '^\s*(\d{{4}})', 1) AS INTEGER) IS NULL
               OR list_position($1, upper(trim("{month}"))) IS NULL ORDER BY line LIMIT 1""",
        [list(MONTHS)],
    ).fetchall()
    if bad:
        raise DataError(
            rel, bad[0][0], f"{fy!r}/{month!r} is not a fiscal year and month: {bad[0][1:]!r}"
        )


def calendar_sql(fy: str, month: str) -> str:
    """SQL for the calendar year and month of a checked fiscal year and month (months in $1)."""
    number = f'list_position($1, upper(trim("{month}")))'
    year = rf"""CAST(regexp_extract("{fy}", '^\s*(\d{{4}})', 1) AS INTEGER)"""
    return f"{year} - CASE WHEN {number} >= 10 THEN 1 ELSE 0 END, {number}"


def allowed(con: duckdb.DuckDBPyConnection, rel: str, column: str, values: list[str]) -> None:
    bad = con.execute(
        f'SELECT line, "{column}" FROM staged WHERE NOT list_contains($1, "{column}")'
        " ORDER BY line LIMIT 1",
        [values],
    ).fetchall()
    if bad:
        raise DataError(rel, bad[0][0], f"unknown {column} {bad[0][1]!r}")
