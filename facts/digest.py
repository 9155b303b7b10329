"""build_digest(): the weekly digest's figures for a date, each one carrying its source id.

The trade, rank and border figures are the latest the store holds, whatever the date: a digest
reports the newest published data, and says which month that is apart from the week it is posted
in. The date picks the ISO week (the key under which a digest is posted once per channel) and the
claim of the week, among the claims the data can check, so the digest for a date never changes
while the store stays the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from facts.claims import check_claim
from facts.lang import period
from facts.model import ClaimCheck, Fact, Lang, Source
from facts.store import FactStore, FactStoreError
from facts.words import SERIES_WORDS, figure_period_words

PARTNER = "MEX"
LAREDO = "2304"  # BTS port code of Laredo, Texas
SERIES = "nationwide"
HUNDRED = Decimal(100)
_TRADE_WORDS_ES = {
    "exports": "Exportaciones de EE. UU. a {name} (lo que {name} compra a EE. UU.)",
    "imports": "Importaciones de EE. UU. desde {name}",
    "balance": "Balanza comercial de EE. UU. con {name}",
}
_BORDER_ES = "Encuentros de la CBP en todo el país"
_TRADE_WORDS = {
    "exports": "U.S. exports to {name} (what {name} buys from the U.S.)",
    "imports": "U.S. imports from {name}",
    "balance": "U.S. trade balance with {name}",
}


@dataclass(frozen=True)
class Change:
    """A figure against the same period a year earlier."""

    label: str  # "U.S. imports from Mexico"
    now: Fact
    before: Fact | None
    change_pct: Decimal | None  # None without an earlier figure, or when a sign makes % misleading


@dataclass(frozen=True)
class MarketRank:
    """Where the partner ranks among U.S. export markets in a month, and the gap to the next one."""

    fact: Fact  # the partner's exports that month
    rank: int
    markets: int  # countries the U.S. exported to that month
    neighbour: Fact  # the next market: the one just ahead, or #2 when the partner is #1
    neighbour_rank: int
    gap: Decimal  # fact.value - neighbour.value: positive when ahead, negative when behind


@dataclass(frozen=True)
class Tariffs:
    """Calculated duties on imports from the partner in the latest month, and their rate."""

    duties: Change  # against the same month a year earlier
    imports: Fact  # imports for consumption that month
    rate_pct: Decimal  # duties ÷ imports for consumption


@dataclass(frozen=True)
class PortShare:
    """A port's share of U.S. trade with the partner in the latest TransBorder year."""

    port: Fact  # the port's trade (exports + imports)
    whole: Fact  # all U.S. trade with the partner, same basis (TransBorder)
    share_pct: Decimal


@dataclass(frozen=True)
class Digest:
    """Everything the weekly digest says for one ISO week."""

    day: date
    week: str  # "2025-W28": the ledger key
    week_of: date  # the Monday that starts the week
    partner: str  # "Mexico"
    month: tuple[Change, ...]  # exports, imports, balance in the latest month
    ytd: tuple[Change, ...]  # the same from January to the latest month
    rank: MarketRank | None
    border: Change | None
    claim: ClaimCheck
    trade_months: tuple[tuple[Fact, Fact], ...]  # (exports, imports), the last 13 months
    trade_sources: tuple[Source, ...]
    border_sources: tuple[Source, ...]
    claim_sources: tuple[Source, ...]
    tariffs: Tariffs | None = None
    port: PortShare | None = None
    tariff_sources: tuple[Source, ...] = ()
    lang: Lang = "en"  # the channel's language
    release_note: str = ""  # "New this week: ..." when a Census release arrived that week

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source cited, once each, in order of first use."""
        cited = (
            *self.trade_sources,
            *self.tariff_sources,
            *self.border_sources,
            *self.claim_sources,
        )
        return tuple({s.id: s for s in cited}.values())


def iso_week(day: date) -> str:
    """The ISO week of a date: 2025-07-07 → "2025-W28"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


CHART_MONTHS = 13  # the latest month and the same month a year earlier, and those between


def claim_of_the_week(checks: Iterable[ClaimCheck], day: date) -> ClaimCheck:
    """The claim for the week of `day`: each week the next checkable claim, round and round.

    A claim the data cannot check has no verdict to show, so it is never the claim of the week.
    """
    ordered = [c for c in checks if c.verdict != "unverifiable"]
    # Day 1 (0001-01-01) is a Monday, so this counts whole ISO weeks: one more each week.
    return ordered[(day.toordinal() - 1) // 7 % len(ordered)]


def build_digest(store: FactStore, day: date, lang: Lang = "en") -> Digest:
    """The digest for the week containing `day`, from the newest data in the store."""
    country = store.countries[PARTNER]
    name = country.name_es if lang == "es" else country.name
    words = _TRADE_WORDS_ES if lang == "es" else _TRADE_WORDS
    year, month = store.coverage.trade_latest_month
    claim = claim_of_the_week((check_claim(store, c) for c in store.claims), day)
    border = _border(store, _BORDER_ES if lang == "es" else SERIES_WORDS[SERIES])
    tariffs, port = _tariffs(store, lang), _port_share(store)
    tariff_facts = [tariffs.duties.now if tariffs else None, port.port if port else None]
    return Digest(
        day=day,
        week=iso_week(day),
        week_of=day - timedelta(days=day.weekday()),
        partner=name,
        month=tuple(
            _change(words[m].format(name=name), *_trade_month(store, m, year, month)) for m in words
        ),
        ytd=tuple(
            _change(words[m].format(name=name), *_trade_ytd(store, m, year, month)) for m in words
        ),
        rank=_rank(store, year, month, lang),
        border=border,
        claim=claim,
        trade_months=_last_months(store, year, month),
        trade_sources=_sources(
            store,
            [
                store.trade_month("exports", PARTNER, year, month),
                store.trade_ytd("exports", PARTNER, year, month),
            ],
        ),
        border_sources=_sources(store, [border.now if border else None]),
        claim_sources=tuple(store.sources[i] for i in claim.source_ids),
        tariffs=tariffs,
        port=port,
        tariff_sources=_sources(store, tariff_facts),
        lang=lang,
        release_note=release_note(store, day),
    )


def release_note(store: FactStore, day: date) -> str:
    """What a Census release fetched in the week of `day` added and revised; "" if none."""
    monday = day - timedelta(days=day.weekday())
    week = {(monday + timedelta(days=n)).isoformat() for n in range(7)}
    arrived = [r for r in store.releases() if r.published[:10] in week]
    if not arrived:
        return ""
    latest = arrived[-1]
    added = (
        f"trade through {figure_period_words(f'{latest.last_new[0]}-{latest.last_new[1]:02d}')}"
        if latest.last_new
        else "no new month"
    )
    revised = sum(r.revisions for r in arrived)
    return f"New this week: the Census release of {latest.published} ({added}" + (
        f"; {revised} figure{'s' if revised != 1 else ''} revised)" if revised else ")"
    )


def _trade_month(store: FactStore, metric: str, year: int, month: int) -> tuple[Fact, Fact | None]:
    now = store.trade_month(metric, PARTNER, year, month)
    if now is None:
        raise FactStoreError(f"the store has no {metric} for {PARTNER} in {year}-{month:02d}")
    return now, store.trade_month(metric, PARTNER, year - 1, month)


def _last_months(store: FactStore, year: int, month: int) -> tuple[tuple[Fact, Fact], ...]:
    months = []
    for back in range(CHART_MONTHS - 1, -1, -1):
        y, m = divmod(year * 12 + month - 1 - back, 12)
        pair = [store.trade_month(metric, PARTNER, y, m + 1) for metric in ("exports", "imports")]
        if pair[0] is not None and pair[1] is not None:
            months.append((pair[0], pair[1]))
    return tuple(months)


def _trade_ytd(store: FactStore, metric: str, year: int, month: int) -> tuple[Fact, Fact | None]:
    now = store.trade_ytd(metric, PARTNER, year, month)
    if now is None:
        raise FactStoreError(f"the store lacks months of {year} for {PARTNER} {metric}")
    return now, store.trade_ytd(metric, PARTNER, year - 1, month)


def _change(label: str, now: Fact, before: Fact | None) -> Change:
    pct = None
    # A percentage change of a deficit (or across a change of sign) reads backwards: leave it out.
    if before is not None and before.value > 0 and now.value > 0:
        pct = (now.value - before.value) / before.value * HUNDRED
    return Change(label, now, before, pct)


def _rank(store: FactStore, year: int, month: int, lang: Lang) -> MarketRank | None:
    ranking = store.ranking_month("exports", year, month)
    position = next((i for i, f in enumerate(ranking) if f.partner == PARTNER), None)
    if position is None or len(ranking) < 2:
        return None
    other = 1 if position == 0 else position - 1
    fact, neighbour = ranking[position], ranking[other]
    if lang == "es":
        fact, neighbour = (replace(f, label=_name_es(store, f.partner)) for f in (fact, neighbour))
    return MarketRank(
        fact=fact,
        rank=position + 1,
        markets=sum(1 for f in ranking if f.value > 0),
        neighbour=neighbour,
        neighbour_rank=other + 1,
        gap=fact.value - neighbour.value,
    )


def _border(store: FactStore, label: str) -> Change | None:
    months = store.coverage.encounter_months.get(SERIES)
    if months is None:
        return None
    (year, month) = months[1]
    latest = store.encounters(SERIES, (year, month), (year, month))
    earlier = store.encounters(SERIES, (year - 1, month), (year - 1, month))
    now = replace(latest[0], label=label)
    before = replace(earlier[0], label=label) if earlier else None
    return _change(label, now, before)


def _name_es(store: FactStore, code: str) -> str:
    return store.countries[code].name_es or store.countries[code].name


def _tariffs(store: FactStore, lang: Lang) -> Tariffs | None:
    """Duties on imports from the partner in the latest month of the duty data."""
    month = store.border.duty_months[1]
    now = store.border.duties(PARTNER, month, month)
    if now is None or not now[1].value:
        return None
    year_ago = (month[0] - 1, month[1])
    before = store.border.duties(PARTNER, year_ago, year_ago)
    when = period(now[0].period, lang)
    label = f"Calculated duties on imports from {now[0].label}, {when}"
    if lang == "es":
        label = (
            f"Aranceles calculados sobre las importaciones desde {_name_es(store, PARTNER)}, {when}"
        )
    change = _change(
        label, replace(now[0], label=label), replace(before[0], label=label) if before else None
    )
    return Tariffs(change, now[1], now[0].value / now[1].value * HUNDRED)


def _port_share(store: FactStore, port: str = LAREDO) -> PortShare | None:
    """The port's share of all U.S.-partner trade in the latest TransBorder year."""
    year = store.border.years["port"][1]
    ports = {f.dimension: f for f in store.border.cut_year("port", PARTNER, "total", year)}
    whole = store.border.cut_total("mode", PARTNER, "total", year)
    fact = ports.get(f"port:{port}")
    if fact is None or whole is None or not whole.value:
        return None
    return PortShare(fact, whole, fact.value / whole.value * HUNDRED)


def _sources(store: FactStore, facts: Iterable[Fact | None]) -> tuple[Source, ...]:
    ids = dict.fromkeys(s for f in facts if f is not None for s in store.sources_of(f))
    return tuple(store.sources[i] for i in ids)
