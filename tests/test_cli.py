"""The `tradefact` command line: build, ask in three formats, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _env(store_path: Path) -> dict[str, str]:
    return {"TRADEFACT_DATA_DIR": str(ROOT / "data"), "TRADEFACT_DB": str(store_path)}


def test_ask_prints_figure_source_and_claim(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "mexico exports 2024"], _env(store_path)) == 0
    out = capsys.readouterr().out
    assert "$334.5 billion" in out
    assert "https://www.census.gov/foreign-trade/balance/country.xlsx" in out
    assert "Supported — Claim 1 (trade): In 2024 Mexico bought about $335 billion" in out


def test_ask_json_compares_mexico_and_china(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "mexico vs china exports 2024", "--format", "json"], _env(store_path)) == 0
    data = json.loads(capsys.readouterr().out)
    assert round(data["derived"]["ratio"], 2) == 2.33


def test_ask_top_10_lists_canada_mexico_china_first(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ask", "top 10 export markets 2024", "--format", "json"], _env(store_path))
    data = json.loads(capsys.readouterr().out)
    assert [f["partner"] for f in data["facts"][:3]] == ["CAN", "MEX", "CHN"]
    assert len(data["facts"]) == 10


def test_ask_claims_lists_every_claim_with_a_verdict(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ask", "claims", "--format", "json"], _env(store_path))
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "claims"
    assert len(data["claims"]) == 18
    verdicts = {c["verdict"] for c in data["claims"]}
    assert verdicts == {"supported", "roughly", "not_supported", "unverifiable"}


def test_not_understood_exits_zero(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "'; DROP TABLE sources; --", "--format", "mrkdwn"], _env(store_path)) == 0
    out = capsys.readouterr().out
    assert "didn't understand" in out and "Traceback" not in out


def test_broken_store_exits_non_zero_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "facts.duckdb"
    broken.write_bytes(b"not a database")
    env = {"TRADEFACT_DATA_DIR": str(tmp_path / "no-data"), "TRADEFACT_DB": str(broken)}
    assert main(["ask", "mexico exports 2024"], env) == 2
    err = capsys.readouterr().err
    assert err.startswith("tradefact: the fact store") and len(err.splitlines()) == 1
