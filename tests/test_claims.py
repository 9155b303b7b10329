"""Every op-ed claim is stored as structured data and its verdict is computed from the store."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facts.claims import check_claim
from facts.store import FactStore

# The op-ed's statistical claims, by the figure each states (brief; paraphrases live in the data).
REQUIRED = {
    "exports-2024": Decimal("335000000000"),
    "mexico-vs-china-2024": Decimal("2.3"),
    "mexico-canada-vs-next-10": None,
    "sme-exports-110b": Decimal("110000000000"),
    "sme-vs-china": Decimal("2"),
    "sme-vs-six": None,
    "per-capita-mexico-canada": Decimal("4000"),
    "per-capita-china": Decimal("100"),
    "mexican-content-10x": Decimal("10"),
    "factory-jobs": Decimal("1"),
    "lowest-crossings-30-years": Decimal("30"),
    "june-2025-lowest": Decimal("1"),
    "june-2025-vs-average": Decimal("-90"),
    "mexico-encounters-vs-usbp": None,
    "fentanyl-258kg": Decimal("258"),
    "fentanyl-doses": Decimal("120000000"),
}


def test_claims_file_covers_every_statistical_claim_of_the_op_ed(store: FactStore) -> None:
    stated = {c.id: c.stated_value for c in store.claims}
    assert set(REQUIRED) <= set(stated)
    for claim_id, value in REQUIRED.items():
        assert stated[claim_id] == value, claim_id


def test_every_claim_is_checkable_or_says_why_not(store: FactStore) -> None:
    for claim in store.claims:
        assert (claim.check is None) == bool(claim.unverifiable), claim.id
        assert claim.paraphrase and len(claim.paraphrase) < 240


@pytest.mark.parametrize(
    ("claim_id", "verdict", "computed", "places"),
    [
        ("exports-2024", "supported", Decimal("334492100000"), 0),
        ("mexico-vs-china-2024", "supported", Decimal("2.33"), 2),
        ("top-consumer", "not_supported", Decimal("2"), 0),
        ("mexico-canada-vs-next-10", "not_supported", Decimal("685097700000"), 0),
        ("per-capita-mexico-canada", "roughly", Decimal("3979.66"), 2),
        ("per-capita-china", "supported", Decimal("101.69"), 2),
        ("june-2025-lowest", "supported", Decimal("1"), 0),
        ("june-2025-vs-average", "supported", Decimal("-88.96"), 2),
        ("sme-exports-110b", "unverifiable", None, 0),
        ("mexican-content-10x", "unverifiable", None, 0),
        ("fentanyl-258kg", "unverifiable", None, 0),
        ("mexico-encounters-vs-usbp", "unverifiable", None, 0),
    ],
)
def test_claim_verdict_is_computed_from_the_data(
    store: FactStore, claim_id: str, verdict: str, computed: Decimal | None, places: int
) -> None:
    row = next(c for c in store.claims if c.id == claim_id)
    check = check_claim(store, row)
    assert check.verdict == verdict
    if computed is None:
        assert check.computed is None and check.why
    else:
        assert check.computed is not None
        assert round(check.computed, places) == computed


def test_next_ten_markets_sum_is_shown_beside_mexico_and_canada(store: FactStore) -> None:
    row = next(c for c in store.claims if c.id == "mexico-canada-vs-next-10")
    assert check_claim(store, row).compared_to == Decimal("711370000000")


def test_unverifiable_claims_still_show_the_nearest_data(store: FactStore) -> None:
    row = next(c for c in store.claims if c.id == "fentanyl-258kg")
    [context] = check_claim(store, row).context
    assert context.unit == "kg"
    assert round(context.value, 1) == Decimal("2943.5")  # U.S. CBP, Feb-Sep 2025, not Mexico's
    row = next(c for c in store.claims if c.id == "lowest-crossings-30-years")
    rank, june, mexicans = check_claim(store, row).context
    assert (rank.value, june.value) == (Decimal(1), Decimal(6068))
    assert mexicans.value == Decimal(4117)  # Mexican citizens among them (CBP SW border file)


def test_encounter_and_rail_claims_show_citizenship_and_border_trade_as_context(
    store: FactStore,
) -> None:
    row = next(c for c in store.claims if c.id == "june-2025-lowest")
    check = check_claim(store, row)
    assert check.verdict == "supported"  # the context never changes a verdict
    _, mexicans, share = check.context
    assert mexicans.value == Decimal(8132)
    assert share.value == Decimal(8132) / Decimal(25185) * 100
    row = next(c for c in store.claims if c.id == "investment-border-security")
    check = check_claim(store, row)
    assert check.verdict == "unverifiable"
    rail, rail_share, texas, texas_share, laredo = check.context
    assert rail.value == 98_251_163_890  # us_transborder.csv, 2024, Mexico, Rail
    assert laredo.value == 331_201_314_349
    assert texas_share.value == texas.value / Decimal(839_891_957_628) * 100
    assert rail_share.unit == "%"
