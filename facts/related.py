"""Which op-ed claims measure the same thing as an answer (from the claims' own checks)."""

from __future__ import annotations

from typing import Any

Anchor = tuple[str, str, set[str], str]  # (op, metric, partners, period) a claim measures


def anchors(check: dict[str, Any] | None, context: tuple[dict[str, Any], ...]) -> list[Anchor]:
    """(op, metric, partners, period) of the expressions a claim measures."""
    exprs: list[dict[str, Any]] = []
    if check:
        exprs.append(check["left"])
        if isinstance(check.get("right"), dict):
            exprs.append(check["right"])
    exprs += [c["expr"] for c in context if c.get("anchor")]
    out = []
    for expr in exprs:
        op = expr["op"]
        if op == "ratio":
            parts = (expr["numerator"], expr["denominator"])
            out.append(
                (
                    "ratio",
                    parts[0]["metric"],
                    {p["partner"] for p in parts},
                    str(parts[0]["period"]),
                )
            )
        elif op in ("lookup", "rank"):
            out.append((op, expr["metric"], {expr["partner"]}, str(expr["period"])))
        elif op in ("sum", "per_capita"):
            out.append((op, expr["metric"], set(expr["partners"]), str(expr["period"])))
        elif op == "ranked_sum":
            out.append((op, expr["metric"], set(), str(expr["period"])))
        elif op in ("change_vs_average", "low_rank_since"):
            out.append((op, "encounters", {expr["series"]}, str(expr["period"])))
        elif op == "series_sum" and "drug" in expr:
            out.append((op, "seizures", {expr["drug"]}, f"{expr['from']}..{expr['to']}"))
        elif op == "series_sum":
            out.append((op, "encounters", {expr["series"]}, f"{expr['from']}..{expr['to']}"))
    return out


def overlaps(a: str, b: str) -> bool:
    a0, a1 = (a.split("..") + [a])[:2]
    b0, b1 = (b.split("..") + [b])[:2]
    return a0 <= b1 and b0 <= a1
