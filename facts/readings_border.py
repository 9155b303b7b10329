"""Readings of border statements: CBP encounters (counts, changes, records) and seizures."""

from __future__ import annotations

from facts.claims import ClaimDataMissing
from facts.extract import Statement
from facts.model import Verdict
from facts.readings import CannotCheck, Figures, Reading, Readings, encounters, fiscal, from_to, ids
from facts.tolerance import HUNDRED
from facts.words import MONTHS, SERIES_WORDS


def encounter_change(fig: Figures, s: Statement) -> Readings:
    """A % change of encounters: against a month, a year earlier or an average."""
    s = from_to(s)
    if not s.when or s.when.kind != "month":
        raise CannotCheck("A change in encounters needs a month (the text names none).")
    y, m = s.when.start
    period = f"{y}-{m:02d}"
    series = s.series or "nationwide"
    if s.baseline and s.baseline.kind == "range_average" and s.baseline.end:
        first, last = s.baseline.start[0], s.baseline.end[0]
        expr = {"op": "change_vs_average", "series": series, "period": period,
                "from": f"{first}-01", "to": f"{last}-12"}  # fmt: skip
        value = fig.evaluate(expr)
        what = f"{MONTHS[m - 1]} {y} against the monthly average of {first}–{last}"
        description = f"{SERIES_WORDS[series]}: change, {what}"
        return [(fig.compare(s, description, value.value, "%", value.sources), expr)]
    if s.baseline and s.baseline.kind == "month":
        base = s.baseline.start
    else:
        base = (s.baseline.start[0] if s.baseline and s.baseline.start[0] else y - 1, m)
    base_period = f"{base[0]}-{base[1]:02d}"
    now = fig.evaluate(encounters(series, period, period))
    then = fig.evaluate(encounters(series, base_period, base_period))
    change = (now.value - then.value) / then.value * HUNDRED
    description = (
        f"{SERIES_WORDS[series]}: change, {MONTHS[m - 1]} {y} against"
        f" {MONTHS[base[1] - 1]} {base[0]}"
    )
    return [(fig.compare(s, description, change, "%", now.sources | then.sources), None)]


def record(fig: Figures, s: Statement) -> Readings:
    """ "The lowest … on record / in N years / since Y": the month's rank in its series."""
    if s.metric != "encounters":
        raise CannotCheck("A record the store can test only for CBP encounters by month.")
    if not s.when or s.when.kind != "month":
        raise CannotCheck("A record low or high needs a month to check (the text names none).")
    y, m = s.when.start
    series = s.series or "nationwide"
    first = fig.store.coverage.encounter_months[series][0]
    if s.unit == "years" and s.stated is not None:
        since = (y - int(s.stated), m)
        if since < first:
            longest = min(fig.store.coverage.encounter_months.items(), key=lambda i: i[1][0])
            start = longest[1][0]
            raise CannotCheck(
                f"The longest encounter series in the store ({SERIES_WORDS[longest[0]]})"
                f" starts in {MONTHS[start[1] - 1]} {start[0]}, less than"
                f" {int(s.stated)} years before {MONTHS[m - 1]} {y}."
            )
    elif s.baseline is not None:
        since = max(s.baseline.start, first)
    else:
        since = first
    period, first_month = f"{y}-{m:02d}", f"{since[0]}-{since[1]:02d}"
    low = s.hedge == "low"
    expr = {"op": "low_rank_since", "series": series, "period": period, "since": first_month}
    value = fig.evaluate(expr) if low else fig.high_rank(series, since, (y, m))
    word = "lowest" if low else "highest"
    description = (
        f"Rank of {MONTHS[m - 1]} {y} among {SERIES_WORDS[series]} months since"
        f" {MONTHS[since[1] - 1]} {since[0]} (1 = {word})"
    )
    verdict: Verdict = "supported" if value.value == 1 else "not_supported"
    reading = Reading(description, verdict, value.value, "rank", f"#1, the {word}", ids(value))
    return [(reading, expr if low else None)]


def count(fig: Figures, s: Statement) -> Readings:
    """A count of encounters in a month, a range, or a year (calendar and fiscal)."""
    if s.unit in ("kg", "lb"):
        return seizures(fig, s)
    if s.unit != "encounters" or not s.when:
        raise CannotCheck(f"A count of {s.unit} the store does not hold for that period.")
    series = s.series or "nationwide"
    words = SERIES_WORDS[series]
    when = s.when
    if when.kind == "month":
        y, m = when.start
        spans = [(f"{y}-{m:02d}", f"{y}-{m:02d}", f"{MONTHS[m - 1]} {y}")]
    elif when.kind == "fiscal_year":
        y = when.start[0]
        spans = [fiscal(y)]
    elif when.kind == "year":
        y = when.start[0]
        spans = [(f"{y}-01", f"{y}-12", f"calendar year {y}"), fiscal(y)]
    elif when.kind == "months" and when.end:
        a, b = when.start, when.end
        spans = [(f"{a[0]}-{a[1]:02d}", f"{b[0]}-{b[1]:02d}", "that range of months")]
    else:
        raise CannotCheck("A count of encounters for a period the text does not pin down.")
    out: Readings = []
    for start, end, words_period in spans:
        try:
            value = fig.evaluate(encounters(series, start, end))
        except ClaimDataMissing:
            continue
        reading = fig.compare(
            s, f"{words}, {words_period}", value.value, "encounters", value.sources
        )
        out.append((reading, None))
    if not out:
        raise ClaimDataMissing(f"{words} for every month of that period")
    return out


def seizures(fig: Figures, s: Statement) -> Readings:
    """Pounds or kilograms of a drug seized by CBP over a period."""
    if not s.when:
        raise CannotCheck("A seizure total without a period.")
    last = fig.store.coverage.seizure_months[1]
    when = s.when
    if when.kind == "since":
        start, end = when.start, last
    elif when.kind == "month":
        start = end = when.start
    elif when.kind == "fiscal_year":
        start, end = (when.start[0] - 1, 10), (when.start[0], 9)
    elif when.kind == "year":
        start, end = (when.start[0], 1), (when.start[0], 12)
    elif when.end:
        start, end = when.start, when.end
    else:
        raise CannotCheck("A seizure total for a period the text does not pin down.")
    expr = {
        "op": "series_sum",
        "drug": s.drug,
        "from": f"{start[0]}-{start[1]:02d}",
        "to": f"{end[0]}-{end[1]:02d}",
        "unit": s.unit,
    }
    value = fig.evaluate(expr)
    description = (
        f"CBP seizures of {s.drug or 'all drugs'}, {MONTHS[start[1] - 1]} {start[0]} –"
        f" {MONTHS[end[1] - 1]} {end[0]} (the latest month in the data)"
        if when.kind == "since"
        else f"CBP seizures of {s.drug or 'all drugs'}, {MONTHS[start[1] - 1]} {start[0]} –"
        f" {MONTHS[end[1] - 1]} {end[0]}"
    )
    return [(fig.compare(s, description, value.value, s.unit, value.sources), None)]
