"""`tradefact refresh` and the clock's refresh job: settings from the environment, one run."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TZ, ConfigError, _zone, cron_trigger
from facts.census_api import DEFAULT_URL, KEY_SIGNUP, CensusApiError, Client
from facts.refresh import Outcome, refresh
from facts.staging import DataError

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

# Census publishes at 8:30 a.m. Eastern, about 35 days after the month; weekday mornings at
# 8:45 catch a release the day it comes out, and cost one small request when nothing is new.
DEFAULT_REFRESH_CRON = "45 8 * * 1-5"
logger = logging.getLogger("bot.refresh")


class RefreshFailed(Exception):
    """A refresh fetched or kept nothing: the API failed, or the new data were refused."""


@dataclass(frozen=True)
class RefreshSettings:
    """Where the API is, the key, and when the clock refreshes; the key is kept out of repr()."""

    key: str = field(repr=False)  # CENSUS_API_KEY
    url: str = DEFAULT_URL  # CENSUS_API_URL
    timeout: float = 60.0  # CENSUS_API_TIMEOUT, seconds per request
    backoff: float = 2.0  # CENSUS_API_BACKOFF, seconds before the first retry
    cron: str = DEFAULT_REFRESH_CRON  # TRADEFACT_REFRESH_CRON
    timezone: ZoneInfo = ZoneInfo(DEFAULT_TZ)  # TRADEFACT_TZ

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RefreshSettings:
        """Read the settings; ConfigError without a key or with a malformed value."""
        settings = cls(
            key=env.get("CENSUS_API_KEY", "").strip(),
            url=env.get("CENSUS_API_URL", "").strip() or DEFAULT_URL,
            timeout=_number(env, "CENSUS_API_TIMEOUT", cls.timeout),
            backoff=_number(env, "CENSUS_API_BACKOFF", cls.backoff),
            cron=" ".join(env.get("TRADEFACT_REFRESH_CRON", "").split()) or DEFAULT_REFRESH_CRON,
            timezone=_zone(env.get("TRADEFACT_TZ", "").strip() or DEFAULT_TZ),
        )
        settings.trigger()
        return settings

    def require_key(self) -> None:
        """ConfigError when CENSUS_API_KEY is not set."""
        if not self.key:
            raise ConfigError(
                f"CENSUS_API_KEY is not set: a free key comes from {KEY_SIGNUP};"
                " nothing was fetched and the store is unchanged"
            )

    def trigger(self) -> CronTrigger:
        """The APScheduler trigger for `cron` in `timezone` (crontab weekdays: 0 or 7 = Sunday)."""
        return cron_trigger(self.cron, self.timezone, "TRADEFACT_REFRESH_CRON")


def run_refresh(settings: RefreshSettings, data_dir: Path, db_path: Path) -> Outcome:
    """One refresh; RefreshFailed (one line: endpoint and status, never the key) on failure."""
    settings.require_key()
    client = Client(settings.key, settings.url, settings.timeout, settings.backoff)
    today = datetime.now(settings.timezone).date()
    try:
        outcome = refresh(client, data_dir, db_path, today)
    except CensusApiError as exc:
        raise RefreshFailed(f"{exc}; the store is unchanged") from None
    except DataError as exc:
        raise RefreshFailed(f"the new data were refused: {exc}; the store is unchanged") from None
    except OSError as exc:  # data/ not writable, the disk full: nothing was kept
        where = f" ({exc.filename})" if exc.filename else ""
        problem = f"could not keep the new data: {exc.strerror or exc}{where}"
        raise RefreshFailed(f"{problem}; the store is unchanged") from None
    logger.info("Refresh: %s", outcome.describe())
    return outcome


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name} {text!r} is not a number of seconds")
    return value
