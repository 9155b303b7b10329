"""`tradefact refresh` against a fake Census API: new months, revisions, nothing new, failures."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from fakecensus import KEY, FakeCensus
from fakeslack import FakeSlack
from slack_helpers import clean_env, healthy_server, slash_command, tradefact_command

from bot.cli import _refresh_job, main
from bot.digest import digest_message
from bot.render import render_text
from facts.answer import answer
from facts.census_api import Client
from facts.context import Context
from facts.digest import build_digest
from facts.load import build
from facts.refresh import refresh
from facts.store import FactStore

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MEXICO = "2010"
SEPTEMBER = 33_123_456_789  # test-only: U.S. exports to Mexico, September 2026


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of the repository's data/, built once and copied by each test."""
    from conftest import DATA

    path = tmp_path_factory.mktemp("built") / "facts.duckdb"
    build(DATA, path)
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "facts.duckdb"
    shutil.copyfile(built, path)
    return path


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with FakeCensus() as fake:
        yield fake


def _env(census: FakeCensus, data: Path, db: Path, **more: str) -> dict[str, str]:
    return {
        "TRADEFACT_DATA_DIR": str(data),
        "TRADEFACT_DB": str(db),
        "CENSUS_API_URL": census.base_url,
        "CENSUS_API_KEY": KEY,
        "CENSUS_API_BACKOFF": "0",
        "CENSUS_API_TIMEOUT": "0.5",
        **more,
    }


def _ask(env: dict[str, str], question: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["ask", question, "--format", "json"], env) == 0
    return json.loads(capsys.readouterr().out)


def _september(census: FakeCensus) -> None:
    census.publish(2026, 9, like=(2025, 9), overrides={f"exports:{MEXICO}": SEPTEMBER})


def test_refresh_adds_the_new_month_cited_to_its_release(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _september(census)
    env = _env(census, data_copy, db)
    assert main(["refresh"], env) == 0
    out = capsys.readouterr().out
    release = datetime.now(ZoneInfo("America/New_York")).date().isoformat()  # fetched today
    assert "trade through 2026-09 (was 2026-08), 0 revised figure(s); 3 requests" in out

    answer = _ask(env, "mexico exports september 2026", capsys)
    assert [(f["value"], f["source_id"]) for f in answer["facts"]][0] == (
        SEPTEMBER,
        f"census-api-{release}",
    )
    titles = [s["title"] for s in answer["sources"]]
    assert titles == [
        "U.S. International Trade API, monthly exports (exports/hs) and imports (imports/hs) by"
        f" country, as published on {release}"
    ]

    kept = data_copy / "raw" / "census-api" / release
    names = sorted(p.name for p in kept.iterdir())
    assert names == [
        "exports-hs-2026.json",
        "exports-hs-2026.request.json",
        "imports-hs-2026.json",
        "imports-hs-2026.request.json",
    ]
    record = json.loads((kept / "exports-hs-2026.request.json").read_text())
    assert record["status"] == 200 and record["endpoint"] == "exports/hs"
    assert record["params"] == {
        "get": "CTY_CODE,CTY_NAME,ALL_VAL_MO,ALL_VAL_YR",
        "time": "from 2026-01 to 2026-12",
    }
    assert KEY not in "".join(p.read_text() for p in kept.iterdir())
    table = json.loads((kept / "exports-hs-2026.json").read_bytes())
    assert table[0] == ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "ALL_VAL_YR", "time"]
    assert [MEXICO, "MEXICO", str(SEPTEMBER)] in [r[:3] for r in table if r[4] == "2026-09"]
    sums = (data_copy / "raw" / "SHA256SUMS").read_text()
    assert f"census-api/{release}/exports-hs-2026.json" in sums
    from conftest import DATA

    assert not (DATA / "raw" / "census-api").exists()  # the repository's data/ is untouched


def test_the_year_adds_the_new_month_to_the_workbook_months(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _september(census)
    env = _env(census, data_copy, db)
    assert main(["refresh"], env) == 0
    raw = json.loads((data_copy / "raw" / "census-trade-by-country" / "2026.json").read_text())
    mexico = next(r for r in raw if r["country_code"] == "MEX")
    workbook = sum(Decimal(str(v)) * 1_000_000 for v in mexico["exports"] if v is not None)
    answer = _ask(env, "mexico exports 2026", capsys)
    assert Decimal(answer["facts"][0]["value"]) == workbook + SEPTEMBER
    assert answer["facts"][0]["note"] == "January–September only"
    release = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    assert [s["title"] for s in answer["sources"]] == [  # both, for the months each gave
        "U.S. International Trade API, monthly exports (exports/hs) and imports (imports/hs) by"
        f" country, as published on {release}",
        "U.S. Trade in Goods by Country (country.xlsx), monthly and annual, 1991 to August 2026",
    ]
    con = duckdb.connect(str(db), read_only=True)
    months = con.execute(
        "SELECT DISTINCT months FROM trade_annual JOIN countries ON code = partner"
        " WHERE year = 2026 AND kind = 'country'"
    ).fetchall()
    con.close()
    assert months == [(9,)]  # a country the API left out of September traded nothing then


def test_a_second_refresh_finds_nothing_new_and_changes_nothing(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _september(census)
    env = _env(census, data_copy, db)
    assert main(["refresh"], env) == 0
    before = (db.stat().st_ino, db.stat().st_mtime_ns, sorted(data_copy.rglob("*")))
    census.requests.clear()
    capsys.readouterr()
    assert main(["refresh"], env) == 0
    assert capsys.readouterr().out == (
        "Nothing new: Census has not published 2026-10 yet (the store ends at 2026-09);"
        " nothing changed.\n"
    )
    assert census.requests == [("exports/hs", {"get": "CTY_CODE,ALL_VAL_MO", "time": "2026-10"})]
    assert (db.stat().st_ino, db.stat().st_mtime_ns, sorted(data_copy.rglob("*"))) == before


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("500", "Census API exports/hs (HTTP 500): server error after 4 attempts"),
        ("429", "Census API exports/hs (HTTP 429): rate limited after 4 attempts"),
        ("timeout", "Census API exports/hs: no answer (timed out) after 4 attempts"),
        ("html", "Census API exports/hs (HTTP 200): the answer is HTML, not data: usually a"),
        ("garbage", "Census API exports/hs (HTTP 200): the answer is not JSON, not data"),
        ("missing:ALL_VAL_MO", "exports-hs-2026.json, row 1: missing column 'ALL_VAL_MO'"),
        (
            "unknown:ALL_VAL_YR",
            "Census API exports/hs (HTTP 400): request refused: error: unknown variable"
            " 'ALL_VAL_YR'",
        ),
        (
            f"partial:{MEXICO}",
            "exports-hs-2026.json: 2026-01: the 226 countries' ALL_VAL_MO add up to",
        ),
        ("newcountry", "exports-hs-2026.json, row 114: unknown country code '4999' (NEW COUNTRY)"),
        ("ytd", "exports-hs-2026.json: - 2026-01: the months add up to 186,336,900,000, not"),
    ],
)
def test_a_failing_api_leaves_the_store_and_data_untouched_and_exits_1(
    census: FakeCensus,
    data_copy: Path,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    fault: str,
    message: str,
) -> None:
    _september(census)
    census.fail(fault, endpoint="exports/hs", times=8)
    env = _env(census, data_copy, db)
    sums = (data_copy / "raw" / "SHA256SUMS").read_text()
    store_file = (db.stat().st_ino, db.stat().st_mtime_ns)
    assert main(["refresh"], env) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.endswith("the store is unchanged\n")
    assert KEY not in err and "127.0.0.1" not in err
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == store_file
    assert not (data_copy / "raw" / "census-api").exists() or not any(
        (data_copy / "raw" / "census-api").iterdir()
    )
    assert (data_copy / "raw" / "SHA256SUMS").read_text() == sums
    answer = _ask(env, "mexico exports september 2026", capsys)
    assert answer["kind"] == "no_data"


@pytest.mark.parametrize(("key", "page"), [("wrong-key", "invalid_key.html")])
def test_a_wrong_key_is_named_as_the_likely_cause(
    census: FakeCensus,
    data_copy: Path,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    key: str,
    page: str,
) -> None:
    env = _env(census, data_copy, db, CENSUS_API_KEY=key)
    assert main(["refresh"], env) == 1
    err = capsys.readouterr().err
    assert err == (
        f"tradefact refresh: Census API exports/hs (HTTP 302): redirected to {page}: usually a"
        " missing, wrong or unactivated CENSUS_API_KEY (a key is free at"
        " https://api.census.gov/data/key_signup.html); the store is unchanged\n"
    )
    assert census.keys_seen == [key]  # not retried: a redirect will not go away


def test_without_a_key_refresh_says_so_and_asks_nothing(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _env(census, data_copy, db, CENSUS_API_KEY="")
    assert main(["refresh"], env) == 2
    assert "CENSUS_API_KEY is not set" in capsys.readouterr().err
    assert census.requests == []


def test_a_5xx_or_a_timeout_is_retried_then_succeeds(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _september(census)
    census.fail("503", times=1)
    census.fail("timeout", endpoint="imports/hs", times=2)
    assert main(["refresh"], _env(census, data_copy, db)) == 0
    assert "trade through 2026-09" in capsys.readouterr().out


def test_a_june_release_keeps_the_old_values_and_says_what_was_revised(
    census: FakeCensus, data_copy: Path, db: Path
) -> None:
    client = Client(KEY, census.base_url, timeout=2, backoff=0)
    _september(census)
    first = refresh(client, data_copy, db, date(2026, 11, 5))
    assert first.release == "2026-11-05"
    for month in range(10, 13):
        census.publish(2026, month, like=(2025, month), overrides={})
    for month in range(1, 5):
        census.publish(2027, month, like=(2026, month), overrides={})
    march_2025 = census.figure(2025, 3, "exports", MEXICO)
    census.revise(2025, 3, "exports", MEXICO, march_2025 + 987_654_321)
    census.revise(2026, 9, "exports", MEXICO, SEPTEMBER - 23_456_789)
    census.requests.clear()

    june = refresh(client, data_copy, db, date(2027, 6, 4))

    assert june.describe() == (
        "Release 2027-06-04: trade through 2027-04 (was 2026-09), 2 revised figure(s); 11 requests."
    )
    asked = [p["time"] for e, p in census.requests if e == "exports/hs"]
    assert asked == ["2026-10", *(f"from {y}-01 to {y}-12" for y in (2026, 2027, 2023, 2024, 2025))]
    store = FactStore.open(db)
    revised = store.trade_month("exports", "MEX", 2025, 3)
    assert revised is not None and revised.value == march_2025 + 987_654_321
    assert revised.source_id == "census-api-2027-06-04"
    assert revised.note == (
        f"revised from ${march_2025:,} to ${march_2025 + 987_654_321:,}"
        " in the release of 2027-06-04"
    )
    changes = store.revisions_in("census-api-2027-06-04")
    assert [
        (c.partner, c.period, c.flow, c.old_value, c.new_value, c.old_source) for c in changes
    ] == [
        (
            "MEX",
            "2025-03",
            "exports",
            march_2025,
            march_2025 + 987_654_321,
            "census-trade-by-country",
        ),
        ("MEX", "2026-09", "exports", SEPTEMBER, SEPTEMBER - 23_456_789, "census-api-2026-11-05"),
    ]
    balance = store.trade_month("balance", "MEX", 2025, 3)
    assert balance is not None and balance.value < 0  # a deficit, written with its sign first
    assert balance.note == (
        f"revised from -${-balance.value + 987_654_321:,} to -${-balance.value:,}"
        " in the release of 2027-06-04"
    )
    imports = store.trade_month("imports", "MEX", 2025, 3)
    assert imports is not None and imports.note == ""  # only exports were revised
    unrevised = store.trade_month("exports", "CAN", 2025, 3)
    assert unrevised is not None and unrevised.source_id == "census-trade-by-country"
    assert unrevised.note == ""

    context = Context.build(store)
    changed = answer(context, "What changed in the latest release?")
    assert changed.kind == "changes"
    assert changed.headline == (
        "Census release of 2027-06-04: October 2026 to April 2027 added; 2 figures revised"
    )
    kept = data_copy / "raw" / "census-api" / "2027-06-04"
    totals = [
        next(int(r[2]) for r in json.loads((kept / name).read_bytes()) if r[:1] == ["-"]
             and r[-1] == "2027-04")
        for name in ("exports-hs-2027.json", "imports-hs-2027.json")
    ]  # fmt: skip
    assert [(f.metric, f.partner, f.period, f.value) for f in changed.facts[:2]] == [
        ("exports", "WORLD", "2027-04", totals[0]),
        ("imports", "WORLD", "2027-04", totals[1]),
    ]
    assert [(f.partner, f.period, f.value, f.note) for f in changed.facts[2:]] == [
        (
            "MEX",
            "2025-03",
            march_2025 + 987_654_321,
            f"was ${march_2025:,} (U.S. Trade in Goods by Country (country.xlsx), monthly and"
            " annual, 1991 to August 2026)",
        ),
        (
            "MEX",
            "2026-09",
            SEPTEMBER - 23_456_789,
            f"was ${SEPTEMBER:,} (U.S. International Trade API, monthly exports (exports/hs) and"
            " imports (imports/hs) by country, as published on 2026-11-05)",
        ),
    ]
    asked = answer(context, "mexico exports march 2025")
    assert asked.facts[0].note == revised.note
    assert asked.sources[0].title.endswith("as published on 2027-06-04")
    text = render_text(asked)
    assert f"revised from ${march_2025:,} to ${march_2025 + 987_654_321:,}" in text
    raw = json.loads((data_copy / "raw" / "census-trade-by-country" / "2025.json").read_text())
    months = next(r for r in raw if r["country_code"] == "MEX")["exports"]
    before = sum(int(Decimal(str(v)) * 1_000_000) for v in months)
    year = answer(context, "mexico exports 2025").facts[0]
    assert (year.value, year.note) == (
        before + 987_654_321,
        f"revised from ${before:,} to ${before + 987_654_321:,} in the release of 2027-06-04",
    )
    store.close()


def test_a_serving_process_switches_to_the_refreshed_store_with_no_failed_request(
    census: FakeCensus, data_copy: Path, db: Path, tmp_path: Path
) -> None:
    _september(census)
    env = _env(census, data_copy, db)
    question = slash_command("mexico exports september 2026", "https://hooks.example/r")
    with (
        FakeSlack() as slack,
        healthy_server(slack, db, tmp_path / "serve.log", TRADEFACT_DATA_DIR=str(data_copy)) as bot,
    ):
        seen: list[tuple[int, float, str]] = []
        stop = time.monotonic() + 60

        def hammer() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                reply = bot.post(question)
                text = reply.json().get("text", "") if reply.status == 200 else ""
                seen.append((reply.status, time.perf_counter() - started, text))
                if f"{SEPTEMBER:,}" in text and len(seen) > 50:
                    return

        with ThreadPoolExecutor(4) as pool:
            workers = [pool.submit(hammer) for _ in range(4)]
            time.sleep(0.5)
            assert main(["refresh"], env) == 0
            for worker in workers:
                worker.result()
    assert {status for status, _, _ in seen} == {200}
    texts = [text for _, _, text in seen]
    before = "No figure for that in the data"
    assert all(before in t or f"{SEPTEMBER:,}" in t for t in texts)
    first_new = next(i for i, t in enumerate(texts) if f"{SEPTEMBER:,}" in t)
    assert any(before in t for t in texts[:first_new])
    assert max(seconds for _, seconds, _ in seen) < 3


def test_the_digest_after_a_refresh_reports_the_new_month_and_the_release_that_week(
    census: FakeCensus, data_copy: Path, db: Path
) -> None:
    _september(census)
    client = Client(KEY, census.base_url, timeout=2, backoff=0)
    refresh(client, data_copy, db, date(2026, 11, 5))  # a Thursday
    store = FactStore.open(db)
    friday = digest_message(build_digest(store, date(2026, 11, 6)))["text"]
    assert "New this week: the Census release of 2026-11-05 (trade through September 2026)" in (
        friday
    )
    assert f"(exactly ${SEPTEMBER:,})" in friday
    assert "as published on 2026-11-05" in friday and "(country.xlsx)" in friday  # year to date
    next_week = build_digest(store, date(2026, 11, 9))
    assert next_week.release_note == "" and next_week.month[0].now.value == SEPTEMBER
    store.close()


def test_the_clock_refreshes_with_a_key_and_logs_a_failure_instead_of_stopping(
    census: FakeCensus, data_copy: Path, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert _refresh_job(_env(census, data_copy, db, CENSUS_API_KEY="")) is None
    job = _refresh_job(_env(census, data_copy, db))
    assert job is not None
    census.fail("500", times=4)  # every attempt of the first request
    job.run()
    assert "Refresh failed: Census API exports/hs (HTTP 500)" in caplog.text
    _september(census)
    job.run()
    store = FactStore.open(db)
    assert store.coverage.trade_latest_month == (2026, 9)
    store.close()


def test_the_commands_as_a_deployment_runs_them(
    census: FakeCensus, data_copy: Path, db: Path
) -> None:
    _september(census)
    env = clean_env(**_env(census, data_copy, db))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*tradefact_command(), *args], env=env, capture_output=True, text=True, check=False
        )

    refreshed = run("refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert "trade through 2026-09 (was 2026-08)" in refreshed.stdout
    asked = run("ask", "mexico exports september 2026", "--format", "json")
    facts = json.loads(asked.stdout)["facts"]
    assert facts[0]["value"] == SEPTEMBER and facts[0]["source_id"].startswith("census-api-")
    assert "as published on" in asked.stdout
    again = run("refresh")
    assert again.returncode == 0 and again.stdout.startswith("Nothing new")
    built = run("build")
    assert "  census-api     1 release(s), the latest " in built.stdout
    census.fail("503", times=4)
    census.publish(2026, 10, like=(2025, 10), overrides={})
    failed = run("refresh")
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr == (
        "tradefact refresh: Census API exports/hs (HTTP 503): server error after 4 attempts;"
        " the store is unchanged\n"
    )
    again_asked = run("ask", "mexico exports september 2026", "--format", "json")
    assert again_asked.stdout == asked.stdout


def test_data_that_cannot_be_written_fails_in_one_line_and_keeps_the_store(
    census: FakeCensus, data_copy: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _september(census)
    (data_copy / "raw" / "census-api").write_text("a file where the directory should be\n")
    env = _env(census, data_copy, db)
    capsys.readouterr()
    assert main(["refresh"], env) == 1
    err = capsys.readouterr().err
    assert err.startswith("tradefact refresh: could not keep the new data: ")
    assert err.endswith("; the store is unchanged\n") and err.count("\n") == 1
    assert _ask(env, "mexico exports september 2026", capsys)["kind"] == "no_data"


def test_the_key_is_never_logged_even_while_retrying(
    census: FakeCensus, data_copy: Path, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _september(census)
    census.fail("503", times=2)
    census.fail("timeout", times=1)
    assert main(["refresh"], _env(census, data_copy, db)) == 0
    assert "retrying" in caplog.text and KEY not in caplog.text
    kept = (data_copy / "raw" / "census-api").rglob("*.json")
    assert all(KEY not in p.read_text() for p in kept)


def test_the_fake_answers_like_the_api_before_2010_and_for_an_empty_range(
    census: FakeCensus,
) -> None:
    client = Client(KEY, census.base_url, timeout=2, backoff=0)
    get = "CTY_CODE,CTY_NAME,ALL_VAL_MO,ALL_VAL_YR"
    assert client.get("exports/hs", {"get": get, "time": "2009-12"}).status == 204
    assert client.get("exports/hs", {"get": get, "time": "from 2030-01 to 2030-12"}).status == 204
    table = client.get("exports/hs", {"get": get, "time": "from 2009-11 to 2010-01"}).rows()
    assert table[0] == ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "ALL_VAL_YR", "time"]
    assert {row[4] for row in table[1:]} == {"2010-01"}
    total = next(row for row in table if row[0] == "-")
    countries = [row for row in table[1:] if row[0][0] in "1234567" and "X" not in row[0]]
    assert total[1] == "TOTAL FOR ALL COUNTRIES"
    assert int(total[2]) == sum(int(row[2]) for row in countries) == int(total[3])


def test_the_api_duty_months_after_the_duty_files_join_the_duties_table(
    census: FakeCensus, data_copy: Path, db: Path
) -> None:
    _september(census)
    client = Client(KEY, census.base_url, timeout=2, backoff=0)
    refresh(client, data_copy, db, date(2026, 11, 5))
    table = json.loads(
        (data_copy / "raw" / "census-api" / "2026-11-05" / "imports-hs-2026.json").read_bytes()
    )
    header = table[0]
    row = next(r for r in table if r[0] == MEXICO and r[-1] == "2026-09")
    paid, value = int(row[header.index("CAL_DUT_MO")]), int(row[header.index("CON_VAL_MO")])
    store = FactStore.open(db)
    september = store.border.duties("MEX", (2026, 9), (2026, 9))
    assert september is not None
    assert [(f.value, f.source_id) for f in september] == [
        (paid, "census-api-2026-11-05"),
        (value, "census-api-2026-11-05"),
    ]
    files = json.loads((DATA_DIR / "raw" / "census-duties-by-country" / "2026.json").read_text())
    august = next(r for r in files["rows"] if r[0] == "2026-08" and r[1] == MEXICO)
    kept = store.border.duties("MEX", (2026, 8), (2026, 8))
    assert kept is not None
    assert [(f.value, f.source_id) for f in kept] == [
        (int(august[3]), "census-duties-by-country"),
        (int(august[4]), "census-duties-by-country"),
    ]  # the months the duty files hold keep the files' figures
    assert store.border.duty_months[1] == (2026, 9)
    store.close()
