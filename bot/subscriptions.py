"""Digest subscriptions: which channels get the weekly digest, when, and in which language.

One row per channel in `digest_subscriptions` (bot.state.schema), made by `/tradefact digest
subscribe` in the channel, or seeded from TRADEFACT_DIGEST_CHANNELS in single-workspace mode.
Unsubscribing keeps the row as inactive, so that a seed never brings a channel back. The clock
posts each active subscription once its weekly time has passed, once per channel-week (the
ledger in bot.ledger decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.state import StateDB
from bot.workspaces import Workspace

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SPANISH_DAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
LANGUAGES = {"en": "English", "es": "Spanish"}
DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_MINUTE = 9 * 60  # 09:00
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?")
_COLUMNS = (
    "channel, enterprise_id, team_id, org_install, active, weekday, at_minute, timezone,"
    " language, changed_by, updated_at"
)


@dataclass(frozen=True)
class Subscription:
    """One channel's digest: its workspace, weekly time and language."""

    channel: str
    workspace: Workspace
    weekday: int = DEFAULT_WEEKDAY  # 0 = Monday
    at_minute: int = DEFAULT_MINUTE  # minutes after local midnight
    timezone: str = "America/New_York"
    language: str = "en"
    active: bool = True
    changed_by: str = ""
    updated_at: float = 0.0

    def when(self) -> str:
        """ "Mondays at 09:00 (America/New_York)"."""
        hours, minutes = divmod(self.at_minute, 60)
        day = DAYS[self.weekday].capitalize()
        return f"{day}s at {hours:02d}:{minutes:02d} ({self.timezone})"

    def describe(self) -> str:
        """When, and in which language."""
        return f"{self.when()}, in {LANGUAGES[self.language]}"

    def due_day(self, now: datetime) -> date | None:
        """The local date if this week's time has passed at `now`, else None (not yet due)."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        monday = local.date() - timedelta(days=local.weekday())
        hours, minutes = divmod(self.at_minute, 60)
        start = datetime.combine(monday + timedelta(days=self.weekday), time(hours, minutes), zone)
        return local.date() if local >= start else None


@dataclass(frozen=True)
class Schedule:
    """What `/tradefact digest subscribe …` asked for; None where it said nothing."""

    weekday: int | None = None
    at_minute: int | None = None
    timezone: str | None = None
    language: str | None = None

    def apply(self, subscription: Subscription) -> Subscription:
        """The subscription with what was asked for, and the rest as it was."""
        given = {k: v for k, v in vars(self).items() if v is not None}
        return replace(subscription, **given)


class ScheduleError(ValueError):
    """A word of the schedule was not understood (the message says which, and what works)."""


def parse_schedule(words: list[str]) -> Schedule:
    """`monday 9:30 es`, `viernes 14:00 America/Mexico_City`, `tue 2pm en` (any order)."""
    found: dict[str, object] = {}
    for word in words:
        name, value = _schedule_word(word)
        if name in found:
            raise ScheduleError(f"two {name}s given ({word!r}); give one")
        found[name] = value
    return Schedule(**found)  # type: ignore[arg-type]


def _schedule_word(word: str) -> tuple[str, object]:
    lowered = word.lower().translate(str.maketrans("áéíóú", "aeiou"))
    for days in (DAYS, _SPANISH_DAYS):
        for number, day in enumerate(days):
            if len(lowered) >= 3 and day.startswith(lowered):
                return "weekday", number
    if lowered in LANGUAGES:
        return "language", lowered
    if "/" in word or word.upper() == "UTC":
        try:
            return "timezone", ZoneInfo(word).key
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError(f"{word!r} is not a time zone (try America/Mexico_City)") from None
    match = _TIME.fullmatch(lowered)
    if match:
        hours, minutes = int(match[1]), int(match[2] or 0)
        if match[3]:
            if not 1 <= hours <= 12:
                raise ScheduleError(f"{word!r} is not a time of day (try 9:30 or 2pm)")
            hours = hours % 12 + (12 if match[3] == "pm" else 0)
        if hours < 24 and minutes < 60:
            return "at_minute", hours * 60 + minutes
    raise ScheduleError(
        f"{word!r} is not a day, a time, a time zone or a language"
        " (try: /tradefact digest subscribe monday 9:00 en)"
    )


class Subscriptions:
    """The subscriptions in a StateDB."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def get(self, channel: str) -> Subscription | None:
        """The channel's subscription, active or not."""
        with self._state.transaction() as tx:
            row = tx.execute(
                f"SELECT {_COLUMNS} FROM digest_subscriptions WHERE channel = ?", (channel,)
            ).fetchone()
        return _subscription(row) if row else None

    def active(self, workspace: Workspace | None = None) -> list[Subscription]:
        """Every active subscription (of one workspace), by channel."""
        sql = f"SELECT {_COLUMNS} FROM digest_subscriptions WHERE active = 1"
        params: tuple[str, ...] = ()
        if workspace is not None:
            sql += " AND enterprise_id = ? AND team_id = ?"
            params = (workspace.enterprise_id, workspace.team_id)
        with self._state.transaction() as tx:
            rows = tx.execute(sql + " ORDER BY channel", params).fetchall()
        return [_subscription(row) for row in rows]

    def save(self, subscription: Subscription, now: float) -> None:
        """Subscribe (or change the schedule of) the subscription's channel."""
        s, w = subscription, subscription.workspace
        with self._state.transaction() as tx:
            tx.execute(
                f"INSERT INTO digest_subscriptions ({_COLUMNS})"
                " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel) DO UPDATE SET"
                " enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,"
                " org_install = excluded.org_install, active = 1, weekday = excluded.weekday,"
                " at_minute = excluded.at_minute, timezone = excluded.timezone,"
                " language = excluded.language, changed_by = excluded.changed_by,"
                " updated_at = excluded.updated_at",
                (s.channel, w.enterprise_id, w.team_id, int(w.org_install), s.weekday,
                 s.at_minute, s.timezone, s.language, s.changed_by, now),
            )  # fmt: skip

    def stop(self, channel: str, user: str, now: float) -> bool:
        """Unsubscribe the channel; False if it had no active subscription."""
        with self._state.transaction() as tx:
            cursor = tx.execute(
                "UPDATE digest_subscriptions SET active = 0, changed_by = ?, updated_at = ?"
                " WHERE channel = ? AND active = 1",
                (user, now, channel),
            )
            return cursor.rowcount == 1

    def seed(self, seeds: list[Subscription], now: float) -> None:
        """Add channels never subscribed or unsubscribed before (TRADEFACT_DIGEST_CHANNELS)."""
        with self._state.transaction() as tx:
            for s in seeds:
                tx.execute(
                    f"INSERT INTO digest_subscriptions ({_COLUMNS})"
                    " VALUES (?, '', '', 0, 1, ?, ?, ?, ?, '', ?) ON CONFLICT DO NOTHING",
                    (s.channel, s.weekday, s.at_minute, s.timezone, s.language, now),
                )

    def version(self, workspace: Workspace | None = None) -> str:
        """Changes whenever a subscription (of the workspace) changes (for the Home tab)."""
        sql = "SELECT count(*), max(updated_at) FROM digest_subscriptions"
        params: tuple[str, ...] = ()
        if workspace is not None:
            sql += " WHERE enterprise_id = ? AND team_id = ?"
            params = (workspace.enterprise_id, workspace.team_id)
        with self._state.transaction() as tx:
            row = tx.execute(sql, params).fetchone()
        return f"{row[0]}@{row[1] or 0}"


def _subscription(row: tuple[object, ...]) -> Subscription:
    channel, enterprise, team, org, active, weekday, minute, zone, language, by, at = row
    return Subscription(
        channel=str(channel),
        workspace=Workspace(str(enterprise), str(team), bool(org)),
        weekday=int(weekday),  # type: ignore[call-overload]
        at_minute=int(minute),  # type: ignore[call-overload]
        timezone=str(zone),
        language=str(language),
        active=bool(active),
        changed_by=str(by),
        updated_at=float(at),  # type: ignore[arg-type]
    )
