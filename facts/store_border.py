"""FactStore's reads of border trade (BTS TransBorder), duties and encounters by citizenship.

Used only through `FactStore.border`; like store.py, the only other module that holds SQL. Table
and column names come from the constants below, never from a question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from facts.model import Fact

BTS_SOURCE = "bts-transborder"
DUTIES_SOURCE = "census-duties-by-country"
BTS_BASIS = "BTS TransBorder: Census first-release values, not the revised Census totals"
SURFACE_BASIS = (
    "BTS TransBorder: U.S. exports to Mexico by surface modes with a recorded Mexican state only"
    " (Census first-release values)"
)
DUTIES_BASIS = (
    "Census calculated duties on imports for consumption (customs value), October 2026 vintage"
    " (first releases of 2025 months, as quoted in the press, were lower for Canada and Mexico)"
)
RATE_BASIS = DUTIES_BASIS + "; rate = calculated duties ÷ imports for consumption"
CITIZENSHIP_BASIS = "CBP encounters by citizenship as CBP publishes it"

Rows = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Cut:
    """One way TransBorder splits trade: its table, key column and whether it has flows."""

    table: str
    key: str
    name: str  # the key's label column
    by_country: bool  # the table has a country column (else Mexico only)
    exports_only: bool  # no flow column: U.S. exports only
    basis: str


CUTS = {
    "mode": Cut("mode_trade_annual", "mode", "mode", True, False, BTS_BASIS),
    "state": Cut("state_trade", "state", "state_name", True, False, BTS_BASIS),
    "port": Cut("port_trade", "port_code", "port", False, False, BTS_BASIS),
    "mexstate": Cut("mexstate_exports", "mex_state", "mex_state", False, True, SURFACE_BASIS),
    "commodity": Cut("commodity_exports", "commodity", "commodity", False, True, SURFACE_BASIS),
}
MODE_LABELS = {
    "truck": "truck",
    "rail": "rail",
    "pipeline": "pipeline",
    "air": "air",
    "vessel": "vessel",
    "mail": "mail",
    "ftz": "foreign-trade zones",
    "other": "other and unknown modes",
}
_FLOW_SQL = {
    "exports": "sum(value_usd) FILTER (WHERE flow = 'exports')",
    "imports": "sum(value_usd) FILTER (WHERE flow = 'imports')",
    "total": "sum(value_usd)",
    "balance": "sum(CASE flow WHEN 'exports' THEN value_usd ELSE -value_usd END)",
}


class BorderStore:
    """Border trade by mode, U.S. state, port, Mexican state and commodity group; duties;
    encounters by citizenship. Every method returns Facts with a source id and a basis."""

    def __init__(self, rows: Rows, label: Callable[[str], str]) -> None:
        self._rows = rows
        self._label = label

    # --- reference: what each cut holds ---------------------------------------------------

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """Every key of every cut with its label: {"state": {"TX": "Texas", ...}, ...}."""
        parts = " UNION ALL ".join(
            f"SELECT DISTINCT '{cut}', {c.key}, {c.name} FROM {c.table}" for cut, c in CUTS.items()
        )  # one query: cut names, tables and columns are the constants above
        table: dict[str, dict[str, str]] = {cut: {} for cut in CUTS}
        for cut, key, name in self._rows(f"SELECT * FROM ({parts}) ORDER BY 1, 2", ()):
            table[cut][key] = name
        return table

    @cached_property
    def years(self) -> dict[str, tuple[int, int]]:
        """First and last year of every cut."""
        return {
            cut: (int(first), int(last))
            for cut, c in CUTS.items()
            for first, last in self._rows(f"SELECT min(year), max(year) FROM {c.table}", ())
        }

    @cached_property
    def mode_months(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """First and last month of monthly trade by mode."""
        first, last = self._rows(
            "SELECT min(year * 100 + month), max(year * 100 + month) FROM mode_trade_monthly", ()
        )[0]
        return (first // 100, first % 100), (last // 100, last % 100)

    # --- TransBorder ------------------------------------------------------------------------

    def cut_year(self, cut: str, country: str, flow: str, year: int, mode: str = "") -> list[Fact]:
        """Trade of every key of a cut in a year (all modes, or one), largest first."""
        c = CUTS[cut]
        if c.exports_only and flow != "exports":
            return []
        where = "year = ? AND (mode = ? OR ? = '')" + (" AND country = ?" if c.by_country else "")
        params: list[Any] = [year, mode, mode] + ([country] if c.by_country else [])
        value = "sum(value_usd)" if c.exports_only else _FLOW_SQL[flow]
        rows = self._rows(
            f"SELECT {c.key}, any_value({c.name}), {value} AS v FROM {c.table} WHERE {where}"
            " GROUP BY 1 HAVING v IS NOT NULL ORDER BY v DESC, 1",
            params,
        )
        return [self._fact(cut, flow, country, str(year), key, name, v) for key, name, v in rows]

    def cut_total(
        self, cut: str, country: str, flow: str, year: int, mode: str = ""
    ) -> Fact | None:
        """The whole of a cut in a year: all keys together (all modes, or one)."""
        facts = self.cut_year(cut, country, flow, year, mode)
        if not facts:
            return None
        total = sum((f.value for f in facts), Decimal(0))
        label = MODE_LABELS.get(mode, "") if mode else ""
        return Fact(
            flow,
            country,
            str(year),
            total,
            "USD",
            BTS_SOURCE,
            self._label(country) + (f", {label}" if label else ""),
            basis=CUTS[cut].basis,
            dimension=f"{cut}:*" + (f"|mode:{mode}" if mode else ""),
        )

    def key_years(self, cut: str, country: str, flow: str, key: str, mode: str = "") -> list[Fact]:
        """One key's trade in every year it has, oldest first."""
        c = CUTS[cut]
        if c.exports_only and flow != "exports":
            return []
        where = f"{c.key} = ? AND (mode = ? OR ? = '')" + (
            " AND country = ?" if c.by_country else ""
        )
        params: list[Any] = [key, mode, mode] + ([country] if c.by_country else [])
        value = "sum(value_usd)" if c.exports_only else _FLOW_SQL[flow]
        rows = self._rows(
            f"SELECT year, any_value({c.name}), {value} AS v FROM {c.table} WHERE {where}"
            " GROUP BY 1 HAVING v IS NOT NULL ORDER BY 1",
            params,
        )
        return [self._fact(cut, flow, country, str(y), key, name, v) for y, name, v in rows]

    def mode_month(self, country: str, flow: str, year: int, month: int, mode: str) -> Fact | None:
        """Trade by one mode ("" = all) in one month."""
        value, count = self._rows(
            f"SELECT {_FLOW_SQL[flow]}, count(*) FROM mode_trade_monthly WHERE country = ?"
            " AND year = ? AND month = ? AND (mode = ? OR ? = '')",
            [country, year, month, mode, mode],
        )[0]
        if not count or value is None:
            return None
        return self._fact("mode", flow, country, f"{year}-{month:02d}", mode, mode, value)

    def _fact(
        self, cut: str, flow: str, country: str, period: str, key: str, name: str, value: Any
    ) -> Fact:
        label = MODE_LABELS.get(key, key) if cut == "mode" else name
        if cut == "mode" and not key:
            label = "all modes"
        return Fact(
            flow,
            country,
            period,
            Decimal(value),
            "USD",
            BTS_SOURCE,
            label,
            basis=CUTS[cut].basis,
            dimension=f"{cut}:{key or '*'}",
        )

    # --- duties ---------------------------------------------------------------------------

    @cached_property
    def duty_months(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """First and last month of the duties data."""
        first, last = self._rows(
            "SELECT min(year * 100 + month), max(year * 100 + month) FROM duties", ()
        )[0]
        return (first // 100, first % 100), (last // 100, last % 100)

    def duties(
        self, partner: str, start: tuple[int, int], end: tuple[int, int]
    ) -> tuple[Fact, Fact] | None:
        """Calculated duties and imports for consumption of a partner ("WORLD" = all), summed
        over the months from start to end inclusive; None unless every month is there."""
        dut, val, months = self._rows(
            "SELECT sum(duties_usd), sum(consumption_usd), count(DISTINCT year * 100 + month)"
            " FROM duties WHERE partner = ? AND kind IN ('country', 'total')"
            " AND year * 100 + month BETWEEN ? AND ?",
            [partner, _ym(start), _ym(end)],
        )[0]
        if months != _months(start, end):
            return None
        period, label = _period(start, end), self._duty_label(partner)
        return (
            Fact("duties", partner, period, dut, "USD", DUTIES_SOURCE, label, basis=DUTIES_BASIS),
            Fact(
                "imports_for_consumption",
                partner,
                period,
                val,
                "USD",
                DUTIES_SOURCE,
                label,
                basis=DUTIES_BASIS,
            ),
        )

    def duties_ranking(self, start: tuple[int, int], end: tuple[int, int]) -> list[Fact]:
        """Countries by calculated duties over the months from start to end, largest first."""
        rows = self._rows(
            "SELECT partner, sum(duties_usd) AS d FROM duties WHERE kind = 'country'"
            " AND year * 100 + month BETWEEN ? AND ? GROUP BY partner ORDER BY d DESC, partner",
            [_ym(start), _ym(end)],
        )
        period = _period(start, end)
        return [
            Fact("duties", p, period, d, "USD", DUTIES_SOURCE, self._label(p), basis=DUTIES_BASIS)
            for p, d in rows
        ]

    def _duty_label(self, partner: str) -> str:
        return "all countries" if partner == "WORLD" else self._label(partner)

    # --- encounters by citizenship --------------------------------------------------------

    @cached_property
    def citizenships(self) -> dict[str, dict[str, str]]:
        """Per encounter series, the citizenship codes it has and CBP's label for each."""
        table: dict[str, dict[str, str]] = {}
        for series, code, label in self._rows(
            "SELECT DISTINCT series, citizenship, label FROM encounters_citizenship ORDER BY ALL",
            (),
        ):
            table.setdefault(series, {})[code] = label
        return table

    def citizenship(self, series: str, start: tuple[int, int], end: tuple[int, int]) -> list[Fact]:
        """Encounters of a series by citizenship over the months from start to end, largest
        first; empty unless every month is there."""
        rows = self._rows(
            "SELECT citizenship, any_value(label), sum(value) AS v, any_value(source_id),"
            " count(DISTINCT year * 100 + month) FROM encounters_citizenship WHERE series = ?"
            " AND year * 100 + month BETWEEN ? AND ? GROUP BY 1 ORDER BY v DESC, 1",
            [series, _ym(start), _ym(end)],
        )
        if not rows or max(r[4] for r in rows) != _months(start, end):
            return []
        period = _period(start, end)
        return [
            Fact(
                "encounters",
                series,
                period,
                Decimal(v),
                "encounters",
                source,
                citizenship_label(code, label),
                basis=CITIZENSHIP_BASIS,
                dimension=f"citizenship:{code}",
            )
            for code, label, v, source, _ in rows
        ]


def citizenship_label(code: str, label: str) -> str:
    """CBP's citizenship label for reading: "CHINA, PEOPLES REPUBLIC OF" -> "China"."""
    if code == "OTHER":
        return "other citizenships"
    return label.split(",")[0].split(" (")[0].title()


def _ym(month: tuple[int, int]) -> int:
    return month[0] * 100 + month[1]


def _months(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def _period(start: tuple[int, int], end: tuple[int, int]) -> str:
    first, last = f"{start[0]}-{start[1]:02d}", f"{end[0]}-{end[1]:02d}"
    return first if first == last else f"{first}..{last}"
