"""Figures computed straight from the published files in data/raw/, for checking the checker.

Nothing here uses the store or facts/: Census JSON (monthly values in $ millions), CBP CSVs
(counts by fiscal year and month; fiscal years start in October; a newer release wins), World
Bank CSV. Values are Decimals in base units (dollars, encounters, pounds).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
MILLION = Decimal(1_000_000)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
NATIONWIDE = (  # oldest first
    "nationwide-encounters-fy20-fy23-state.csv",
    "nationwide-encounters-fy22-fy25-state.csv",
    "nationwide-encounters-fy23-fy26-nov-state.csv",
)


@cache
def _census(year: int) -> dict[str, dict[str, list[Decimal]]]:
    rows = json.loads((RAW / "census-trade-by-country" / f"{year}.json").read_text())
    return {
        r["country_code"]: {
            **{flow: [Decimal(str(v)) for v in r[flow]] for flow in ("exports", "imports")},
            # the published annual totals (the monthly values, rounded, may not add up to them)
            **{
                f"{flow}_year": [Decimal(str(r[f"{flow}_year"]))] for flow in ("exports", "imports")
            },
        }
        for r in rows
    }


def census(partner: str, flow: str, year: int, months: tuple[int, int] = (1, 12)) -> Decimal:
    """U.S. goods exports / imports / total / balance with a partner, months first..last."""
    row = _census(year)[partner]
    first, last = months

    def part(name: str) -> Decimal:
        if months == (1, 12):
            return row[f"{name}_year"][0] * MILLION
        return sum(row[name][first - 1 : last], Decimal(0)) * MILLION

    if flow == "total":
        return part("exports") + part("imports")
    if flow == "balance":
        return part("exports") - part("imports")
    return part(flow)


def census_change(
    partner: str, flow: str, year: int, base: int, months: tuple[int, int] = (1, 12)
) -> Decimal:
    """% change of a flow over the same months of a base year."""
    now, then = census(partner, flow, year, months), census(partner, flow, base, months)
    return (now - then) / then * 100


def world_share(partner: str, flow: str, year: int) -> Decimal:
    """A partner's % of the flow with every partner (Census aggregates left out)."""
    rows = _census(year)
    world = sum(
        (census(code, flow, year) for code in rows if not code.startswith("AGG_")), Decimal(0)
    )
    return census(partner, flow, year) / world * 100


def census_rank(partner: str, flow: str, year: int) -> int:
    """1 = the largest country by the flow in a year."""
    countries = {
        r["code"]
        for r in csv.DictReader((RAW.parent / "countries.csv").open(encoding="utf-8"))
        if r["kind"] in ("country", "former")
    }
    values = sorted(
        ((census(code, flow, year), code) for code in _census(year) if code in countries),
        reverse=True,
    )
    return [code for _, code in values].index(partner) + 1


def _fiscal(year: int, month: int) -> tuple[str, str]:
    return str(year + 1 if month >= 10 else year), MONTHS[month - 1]


@cache
def _nationwide_file(name: str) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    with (RAW / "cbp-nationwide-encounters" / name).open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["Fiscal Year"].split()[0], r["Month (abbv)"])
            totals[key] = totals.get(key, Decimal(0)) + Decimal(r["Encounter Count"])
    return totals


def nationwide(year: int, month: int) -> Decimal:
    """CBP encounters nationwide in a calendar month (the newest release that has it)."""
    key = _fiscal(year, month)
    for name in reversed(NATIONWIDE):
        if key in _nationwide_file(name):
            return _nationwide_file(name)[key]
    raise KeyError((year, month))


def usbp_southwest(year: int, month: int) -> Decimal:
    """U.S. Border Patrol encounters at the Southwest border in a month (FY2022 onward)."""
    fy, abbr = _fiscal(year, month)
    path = RAW / "cbp-sw-border-encounters" / "sbo-encounters-fy22-fy25-aug.csv"
    with path.open(encoding="utf-8") as f:
        return sum(
            (
                Decimal(r["Encounter Count"])
                for r in csv.DictReader(f)
                if r["Fiscal Year"].split()[0] == fy
                and r["Month (abbv)"] == abbr
                and r["Component"] == "U.S. Border Patrol"
            ),
            Decimal(0),
        )


def seized_lb(drug: str, year: int, month: int) -> Decimal:
    """Pounds of a drug seized by CBP in a month."""
    fy, abbr = _fiscal(year, month)
    total = Decimal(0)
    for path in sorted((RAW / "cbp-drug-seizures").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                same_month = r["FY"].split()[0] == fy and r["Month (abbv)"] == abbr
                if same_month and r["Drug Type"].lower().startswith(drug):
                    total += Decimal(r["Sum Qty (lbs)"])
    return total


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def nationwide_low_rank(year: int, month: int, since_year: int, since_month: int) -> int:
    """1 if the month has the fewest nationwide encounters since the given month."""
    months = _months((since_year, since_month), (year, month))
    value = nationwide(year, month)
    return 1 + sum(1 for y, m in months[:-1] if nationwide(y, m) <= value)


def nationwide_vs_average(year: int, month: int, first_year: int, last_year: int) -> Decimal:
    """% change of a month's nationwide encounters against the monthly average of whole years."""
    months = _months((first_year, 1), (last_year, 12))
    average = sum((nationwide(y, m) for y, m in months), Decimal(0)) / len(months)
    return (nationwide(year, month) - average) / average * 100


def usbp_change(year: int, month: int, base_year: int, base_month: int) -> Decimal:
    """% change of Border Patrol Southwest-border encounters between two months."""
    then = usbp_southwest(base_year, base_month)
    return (usbp_southwest(year, month) - then) / then * 100
