"""Checking the numbers of any text (facts.extract, facts.check, `tradefact check`).

The texts are ours: restatements of the op-ed's figures in other words (they must get the stored
claims' verdicts and figures), and texts modelled on published pieces (check_published.yaml),
whose figures tests/raw_figures.py computes from data/raw/ without the store.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import raw_figures
import yaml

from bot.cli import main
from facts.check import Checker, StatementCheck, TextCheck
from facts.context import Context
from facts.extract import MAX_TEXT, Statement
from facts.store import FactStore
from facts.tolerance import compare

PUBLISHED = yaml.safe_load(Path(__file__).with_name("check_published.yaml").read_text("utf-8"))

# Our own words for every claim of the op-ed: same figures, units, periods and comparisons.
RESTATED = """\
Trade with Mexico means jobs here too: each new manufacturing job in Mexico creates another job \
in the United States.
Mexico is the biggest market for American goods, ahead of any other country. In 2024, Mexico \
purchased $335 billion of U.S. goods, 2.3 times more than China. Mexico and Canada together buy \
more from the United States than the next 10 export markets combined.
Mexico is also the leading buyer of U.S. small business exports. Mexican customers take more than \
$110 billion of U.S. small business exports, more than double what China buys, and more than \
Japan, South Korea, India, Switzerland, the Netherlands and Germany combined. Per person, Mexicans \
and Canadians spend over $4,000 a year on U.S. goods, while Chinese consumers spend just $100.
Mexican components weigh 10 times more in U.S. exports than Chinese ones.
Brewers such as Constellation Brands invest millions with Mexican authorities to guard the rail \
lines that carry billions of dollars of U.S. goods.
Illegal crossings are at their lowest level in 30 years. In June 2025, CBP counted the fewest \
nationwide encounters on record, nearly 90% below the 2021-2024 average. From May 2024 to March \
2025, Mexican authorities logged more monthly encounters than the U.S. Border Patrol.
Since February 2025, Mexican authorities have seized nearly 258 kilograms of fentanyl, enough for \
over 120 million lethal doses.
"""

# One claim at a time, in other words again (English and Spanish): claim id, text.
RESTATED_ONE = [
    ("exports-2024", "The U.S. sold Mexico $335 billion of goods in 2024."),
    ("exports-2024", "En 2024, México compró 335.000 millones de dólares en bienes de EE.UU."),
    ("exports-2024", "In 2024 Mexican buyers took $335 billion of American goods."),
    ("mexico-vs-china-2024", "In 2024 Mexico bought 2.3 times more U.S. goods than China."),
    ("mexico-vs-china-2024", "En 2024, México compró 2,3 veces más que China."),
    ("top-consumer", "In 2024 Mexico was the largest market for U.S. goods."),
    ("per-capita-china", "In 2024 Chinese consumers spent about $100 per person on U.S. goods."),
    ("per-capita-mexico-canada", "In 2024 Mexicans and Canadians spent over $4,000 per person."),
    (
        "june-2025-vs-average",
        "In June 2025 nationwide encounters were nearly 90% lower than the 2021-2024 average.",
    ),
    ("june-2025-lowest", "June 2025 saw the lowest number of nationwide encounters on record."),
]


@pytest.fixture(scope="module")
def checker(store: FactStore) -> Checker:
    return Checker.of(Context.build(store))


def _by_claim(result: TextCheck) -> dict[str, StatementCheck]:
    return {c.claim_id: c for c in result.checks if c.claim_id}


# --- the op-ed's claims, restated -------------------------------------------------------------


def test_a_restatement_of_the_op_ed_finds_every_stored_claim_with_its_verdict_and_figure(
    checker: Checker,
) -> None:
    found = _by_claim(checker.check(RESTATED))
    stored = checker.claim_checks
    assert sorted(found) == sorted(stored)
    # The text says "the next 10 export markets": that reading of claim 4, not its headline.
    asked = {"mexico-canada-vs-next-10": "export-markets"}
    for claim_id, check in found.items():
        claim = stored[claim_id]
        expected = next((r for r in claim.readings if r.id == asked.get(claim_id)), claim)
        assert check.verdict == expected.verdict, claim_id
        computed = check.reading.computed if check.reading else None
        assert computed == expected.computed, claim_id
        assert check.reading or check.why, claim_id  # a figure or a reason, never neither


@pytest.mark.parametrize(("claim_id", "text"), RESTATED_ONE)
def test_one_claim_in_other_words_gets_the_stored_verdict_and_figure(
    checker: Checker, claim_id: str, text: str
) -> None:
    [check] = checker.check(text).checks
    stored = checker.claim_checks[claim_id]
    assert (check.claim_id, check.verdict) == (claim_id, stored.verdict)
    assert check.reading is not None and check.reading.computed == stored.computed


def test_a_different_figure_is_checked_on_its_own_not_given_the_stored_verdict(
    checker: Checker,
) -> None:
    [check] = checker.check("In 2024 Mexico bought $300 billion of U.S. goods.").checks
    assert check.claim_id == ""
    assert check.verdict == "not_supported"
    assert check.reading is not None
    assert check.reading.computed == raw_figures.census("MEX", "exports", 2024)


# --- reading a text ---------------------------------------------------------------------------


def _one(checker: Checker, text: str) -> Statement:
    [check] = checker.check(text).checks
    return check.statement


@pytest.mark.parametrize(
    ("text", "stated", "unit", "hedge"),
    [
        ("Mexico bought $335 billion of U.S. goods in 2024.", "335e9", "USD", ""),
        ("México compró 335.000 millones de dólares en 2024.", "335e9", "USD", ""),
        ("México compró 78,287 millones de dólares en 2024.", "78287e6", "USD", ""),
        ("México compró 162.915 mil millones de dólares en 2024.", "162.915e9", "USD", ""),
        ("Mexico bought US$ 1.2 trillion of U.S. goods in 2024.", "1.2e12", "USD", ""),
        ("Canadians spend over $4,000 per person on U.S. goods.", "4000", "USD per person", "over"),
        ("Mexico buys nearly 2.3 times more than China in 2024.", "2.3", "x", "nearly"),
        ("En 2024, México compró 2,3 veces más que China.", "2.3", "x", ""),
        ("CBP seized 258 kilograms of fentanyl in June 2025.", "258", "kg", ""),
        (
            "CBP logged about 25,000 encounters nationwide in June 2025.",
            "25000",
            "encounters",
            "about",
        ),
        ("Exports to Mexico rose 3.1% in 2024 from 2023.", "3.1", "%", ""),
        ("Encounters fell 60% in January 2025 from a year earlier.", "-60", "%", ""),
    ],
)
def test_figures_are_read_with_their_scale_unit_and_hedge(
    checker: Checker, text: str, stated: str, unit: str, hedge: str
) -> None:
    statement = _one(checker, text)
    assert (statement.stated, statement.unit, statement.hedge) == (Decimal(stated), unit, hedge)


def test_a_sentence_without_a_year_takes_it_from_the_sentence_before(checker: Checker) -> None:
    text = "In 2023, Mexico led U.S. trade. Mexico bought $324 billion of U.S. goods."
    [amount] = checker.check(text).checks
    assert amount.reading is not None
    assert "2023" in amount.reading.description and "sentence before" in amount.reading.description
    assert amount.reading.computed == raw_figures.census("MEX", "exports", 2023)


def test_each_figure_is_tied_to_the_partner_named_before_it(checker: Checker) -> None:
    text = "In 2024, trade with Canada was $762 billion and with China $584 billion."
    canada, china = checker.check(text).checks
    assert (canada.statement.partners, china.statement.partners) == (("CAN",), ("CHN",))
    assert canada.reading and canada.reading.computed == raw_figures.census("CAN", "total", 2024)
    assert china.reading and china.reading.computed == raw_figures.census("CHN", "total", 2024)


def test_a_yearly_count_of_encounters_shows_calendar_and_fiscal_readings(checker: Checker) -> None:
    [check] = checker.check("CBP recorded 2.9 million encounters nationwide in 2023.").checks
    calendar, fiscal = check.readings
    assert "calendar year 2023" in calendar.description
    assert "fiscal year 2023 (October 2022 – September 2023)" in fiscal.description
    assert calendar.computed == sum(raw_figures.nationwide(2023, m) for m in range(1, 13))
    october_to_september = [(2022, m) for m in (10, 11, 12)] + [(2023, m) for m in range(1, 10)]
    assert fiscal.computed == sum(raw_figures.nationwide(y, m) for y, m in october_to_september)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Services exports to Mexico reached $50 billion in 2024.", "goods trade only"),
        ("Small businesses exported $110 billion to Mexico in 2024.", "size of exporting firm"),
        ("Mexican authorities seized 300 kg of fentanyl in 2025.", "Mexican government data"),
        ("Trade through the port of Laredo reached $339 billion in 2024.", "state, port or route"),
        ("The U.S. exported $5 billion of corn to Mexico in 2024.", "not by product"),
        ("Gotaways fell 90% in June 2025 from June 2024.", "gotaways"),
    ],
)
def test_what_the_store_cannot_check_gets_a_reason_and_no_verdict(
    checker: Checker, text: str, reason: str
) -> None:
    [check] = checker.check(text).checks
    assert check.verdict == "unverifiable" and check.readings == ()
    assert reason in check.why


def test_a_text_over_the_limit_is_refused_with_the_limit_named(checker: Checker) -> None:
    result = checker.check("Mexico bought $335 billion of U.S. goods in 2024. " * 1000)
    assert result.checks == ()
    assert f"{MAX_TEXT:,}" in result.refused and "Check it in parts" in result.refused


def test_a_text_without_figures_says_so(checker: Checker) -> None:
    result = checker.check("Trade with Mexico matters a great deal to American workers.")
    assert result.checks == () and "No figure" in result.refused


# --- the comparison at the text's precision ---------------------------------------------------


@pytest.mark.parametrize(
    ("stated", "hedge", "step", "computed", "unit", "verdict"),
    [
        ("335e9", "", "1e9", "334.4921e9", "USD", "supported"),  # to the billion
        ("335e9", "", "1e9", "333.9e9", "USD", "roughly"),
        ("335e9", "", "1e9", "300e9", "USD", "not_supported"),
        ("-90", "nearly", "10", "-88.96", "%", "supported"),  # nearly 90%: 85% to 90%
        ("-90", "nearly", "10", "-84", "%", "roughly"),
        ("-90", "nearly", "10", "-91", "%", "roughly"),
        ("4000", "over", "1000", "3979.66", "USD per person", "roughly"),  # short by 0.5%
        ("4000", "over", "1000", "4100", "USD per person", "supported"),
        ("4000", "over", "1000", "3500", "USD per person", "not_supported"),
        ("100", "under", "100", "99", "USD per person", "supported"),
        ("2.3", "", "0.1", "2.3347", "x", "supported"),
    ],
)
def test_figures_are_compared_at_the_precision_the_text_uses(
    stated: str, hedge: str, step: str, computed: str, unit: str, verdict: str
) -> None:
    got, _ = compare(Decimal(stated), hedge, Decimal(step), Decimal(computed), unit)
    assert got == verdict


# --- texts modelled on published pieces -------------------------------------------------------


def _raw(spec: list[Any]) -> Decimal:
    name, *args = spec
    args = [tuple(a) if isinstance(a, list) else a for a in args]
    return Decimal(getattr(raw_figures, name)(*args))


def _matches(check: StatementCheck, expected: dict[str, Any]) -> bool:
    statement = check.statement
    stated = Decimal(str(expected["stated"]))
    return (
        str(expected["find"]) in statement.fragment
        and statement.kind == expected["kind"]
        and statement.stated == stated
    )


def _published() -> list[Any]:
    params = []
    for number, piece in enumerate(PUBLISHED, start=1):
        for expected in piece["statements"]:
            marks = []
            if "xfail" in expected:
                marks = [pytest.mark.xfail(reason=expected["xfail"], strict=True)]
            name = f"{number}-{expected['find']}"
            params.append(pytest.param(piece["text"], expected, id=name, marks=marks))
    return params


@pytest.fixture(scope="module")
def published_checks(checker: Checker) -> dict[str, TextCheck]:
    return {piece["text"]: checker.check(piece["text"]) for piece in PUBLISHED}


@pytest.mark.parametrize(("text", "expected"), _published())
def test_a_published_statement_gets_the_verdict_and_figure_from_the_raw_files(
    published_checks: dict[str, TextCheck], text: str, expected: dict[str, Any]
) -> None:
    found = [c for c in published_checks[text].checks if _matches(c, expected)]
    assert len(found) == 1, [c.statement.fragment for c in published_checks[text].checks]
    [check] = found
    assert check.verdict == expected["verdict"], (check.readings, check.why)
    if "raw" in expected:
        assert check.reading is not None
        got, want = check.reading.computed, _raw(expected["raw"])
        assert got is not None and abs(got - want) <= abs(want) * Decimal("1e-9"), (got, want)
    else:
        assert check.why


def published_scores(checker: Checker) -> dict[str, Any]:
    """Precision and recall of the checker on check_published.yaml, and what it missed."""
    found = expected = right = matched_found = 0
    missed: list[str] = []
    for piece in PUBLISHED:
        checks = checker.check(piece["text"]).checks
        found += len(checks)
        matched_found += sum(1 for c in checks if any(_matches(c, e) for e in piece["statements"]))
        for statement in piece["statements"]:
            expected += 1
            hits = [c for c in checks if _matches(c, statement)]
            ok = len(hits) == 1 and hits[0].verdict == statement["verdict"]
            right += ok
            if not ok:
                missed.append(f"{statement['find']!r} ({piece['url']})")
    return {
        "statements": expected,
        "found": found,
        "precision": matched_found / found,
        "recall": right / expected,
        "not_handled": missed,
    }


def test_published_set_precision_and_recall_are_reported(checker: Checker) -> None:
    scores = published_scores(checker)
    assert scores["precision"] == 1.0, scores  # nothing found that isn't a statement
    assert scores["recall"] >= 0.9, scores
    xfails = sum("xfail" in s for p in PUBLISHED for s in p["statements"])
    assert len(scores["not_handled"]) == xfails, scores["not_handled"]


# --- tradefact check --------------------------------------------------------------------------


def _cli(*args: str, store_path: Path) -> str:
    out = io.StringIO()
    env = {"TRADEFACT_DB": str(store_path), "TRADEFACT_DATA_DIR": "data"}
    with redirect_stdout(out):
        assert main(["check", *args], env) == 0
    return out.getvalue()


def test_cli_check_prints_json_in_the_documented_shape(store_path: Path) -> None:
    text = "In 2024, Mexico bought $335 billion of U.S. goods, 2.3 times more than China."
    data = json.loads(_cli(text, "--format", "json", store_path=store_path))
    assert data["kind"] == "check"
    assert data["summary"] == {
        "supported": 2, "roughly": 0, "not_supported": 0, "unverifiable": 0
    }  # fmt: skip
    first = data["statements"][0]
    keys = {"fragment", "stated", "unit", "reading", "verdict", "computed", "tolerance", "sources"}
    assert keys <= set(first)
    assert (first["stated"], first["unit"], first["verdict"]) == (335000000000, "USD", "supported")
    assert first["computed"] == int(raw_figures.census("MEX", "exports", 2024))
    assert first["sources"] == ["census-trade-by-country"]
    assert "census.gov" in json.dumps(data["sources"])


def test_cli_check_reads_a_file_and_prints_a_summary_line(store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(RESTATED, encoding="utf-8")
    out = _cli("--file", str(path), "--format", "text", store_path=store_path)
    assert out.splitlines()[1] == "5 supported, 1 roughly, 2 not supported, 12 can't check"
    assert "Source: U.S. Census Bureau" in out
