"""Settings.from_env(): the Slack bot's configuration, read once from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

Mode = Literal["http", "socket", "digest"]
SLACK_API_URL = "https://slack.com/api/"
DEFAULT_STATE_DB = "state/tradefact.sqlite3"

# What each variable is, for the one-line error when it is missing.
_HELP = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the Signing Secret from Basic Information",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, for Socket Mode",
    "SLACK_CLIENT_SECRET": "the Client Secret from Basic Information (with SLACK_CLIENT_ID)",
}
# Who may subscribe a channel to the digest, or unsubscribe it (TRADEFACT_SUBSCRIBERS).
Subscribers = Literal["anyone", "admins"]
_REQUIRED: dict[Mode, tuple[str, ...]] = {
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
    "digest": ("SLACK_BOT_TOKEN",),  # `tradefact digest` and `tradefact schedule` only post
}


class ConfigError(Exception):
    """A required setting is missing or malformed (the message is one line)."""


@dataclass(frozen=True)
class Settings:
    """What the bot needs from the environment; secrets are kept out of repr()."""

    bot_token: str = field(repr=False)  # SLACK_BOT_TOKEN
    signing_secret: str = field(default="", repr=False)  # SLACK_SIGNING_SECRET (HTTP mode)
    app_token: str = field(default="", repr=False)  # SLACK_APP_TOKEN (Socket Mode)
    port: int = 3000  # PORT
    api_url: str = SLACK_API_URL  # SLACK_API_URL: the Web API base URL, ending in "/"
    api_timeout: int = 10  # SLACK_API_TIMEOUT: seconds to wait for a Web API answer
    # OAuth mode (bot.workspaces): SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, and no bot token
    client_id: str = ""  # SLACK_CLIENT_ID
    client_secret: str = field(default="", repr=False)  # SLACK_CLIENT_SECRET
    redirect_uri: str = ""  # SLACK_REDIRECT_URI: https://YOUR-HOST/slack/oauth_redirect
    subscribers: Subscribers = "anyone"  # TRADEFACT_SUBSCRIBERS: anyone or admins

    @property
    def oauth(self) -> bool:
        """True when workspaces install the app through /slack/install (no single token)."""
        return not self.bot_token and bool(self.client_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str], mode: Mode = "http") -> Settings:
        """Read the settings for `mode`; raise ConfigError naming the first missing variable."""
        oauth = (
            mode != "socket" and not _set(env, "SLACK_BOT_TOKEN") and _set(env, "SLACK_CLIENT_ID")
        )
        for name in _REQUIRED[mode]:
            if oauth and name == "SLACK_BOT_TOKEN":
                name = "SLACK_CLIENT_SECRET"
            if not _set(env, name):
                raise ConfigError(f"{name} is not set: {_HELP[name]}")
        subscribers = env.get("TRADEFACT_SUBSCRIBERS", "").strip().lower() or "anyone"
        if subscribers not in ("anyone", "admins"):
            raise ConfigError(
                f"TRADEFACT_SUBSCRIBERS must be anyone or admins, not {subscribers!r}"
            )
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            client_id=env.get("SLACK_CLIENT_ID", "").strip() if oauth else "",
            client_secret=env.get("SLACK_CLIENT_SECRET", "").strip() if oauth else "",
            redirect_uri=env.get("SLACK_REDIRECT_URI", "").strip(),
            subscribers="admins" if subscribers == "admins" else "anyone",
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            port=_port(env.get("PORT", "3000")),
            api_url=_api_url(env.get("SLACK_API_URL", "")),
            api_timeout=_seconds(env, "SLACK_API_TIMEOUT", cls.api_timeout),
        )


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"PORT must be a TCP port number, not {text!r}")
    return int(text)


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip() or str(default)
    if not text.isdigit() or not 0 < int(text) <= 300:
        raise ConfigError(f"{name} must be a whole number of seconds from 1 to 300, not {text!r}")
    return int(text)


def _api_url(text: str) -> str:
    url = text.strip() or SLACK_API_URL
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, not {url!r}")
    # The SDK joins method names onto the base URL, which only works with a trailing slash.
    return url if url.endswith("/") else url + "/"


# --- the state store and the web processes --------------------------------------------------


def state_target(env: Mapping[str, str]) -> str:
    """DATABASE_URL when set (PostgreSQL, shared by every machine), else TRADEFACT_STATE_DB."""
    url = env.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ConfigError("DATABASE_URL must be a postgresql:// URL")
        return url
    return env.get("TRADEFACT_STATE_DB", "").strip() or DEFAULT_STATE_DB


def web_workers(env: Mapping[str, str], default: int) -> int:
    """WEB_CONCURRENCY: how many serving processes `tradefact serve` runs."""
    text = env.get("WEB_CONCURRENCY", "").strip() or str(default)
    if not text.isdigit() or not 0 < int(text) <= 64:
        raise ConfigError(
            f"WEB_CONCURRENCY must be a number of processes from 1 to 64, not {text!r}"
        )
    return int(text)


# --- the weekly digest: `tradefact digest` and `tradefact schedule` ---------------------------

DEFAULT_DIGEST_CRON = "0 9 * * 1"  # Mondays at 09:00
DEFAULT_TZ = "America/New_York"
# Public and private channel IDs. Names (#general) are refused: the ledger and the check of the
# channel's history after a crash both need the ID that Slack reports.
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]+")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class DigestSettings:
    """Where and when the weekly digest is posted (no token: a dry run needs none)."""

    channels: tuple[str, ...] = ()  # TRADEFACT_DIGEST_CHANNELS: comma-separated channel IDs
    cron: str = DEFAULT_DIGEST_CRON  # TRADEFACT_DIGEST_CRON: crontab syntax, 0 or 7 = Sunday
    timezone: ZoneInfo = ZoneInfo(DEFAULT_TZ)  # TRADEFACT_TZ: an IANA time zone
    # DATABASE_URL or TRADEFACT_STATE_DB (see state_target): where the ledger of posts is
    state: str = field(default=DEFAULT_STATE_DB, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DigestSettings:
        """Read the digest settings; raise ConfigError naming the first malformed one."""
        names = env.get("TRADEFACT_DIGEST_CHANNELS", "").split(",")
        settings = cls(
            channels=tuple(dict.fromkeys(channel_id(n) for n in names if n.strip())),
            cron=" ".join(env.get("TRADEFACT_DIGEST_CRON", "").split()) or DEFAULT_DIGEST_CRON,
            timezone=_zone(env.get("TRADEFACT_TZ", "").strip() or DEFAULT_TZ),
            state=state_target(env),
        )
        settings.trigger()  # a bad schedule stops startup, not the first run a week later
        return settings

    def trigger(self) -> CronTrigger:
        """The APScheduler trigger for `cron` in `timezone`."""
        from apscheduler.triggers.cron import CronTrigger

        fields = self.cron.split()
        try:
            if len(fields) != 5:
                raise ValueError(f"{len(fields)} fields, not 5")
            fields[4] = _crontab_weekdays(fields[4])
            return CronTrigger.from_crontab(" ".join(fields), timezone=self.timezone)
        except (ValueError, IndexError) as exc:
            raise ConfigError(
                f"TRADEFACT_DIGEST_CRON {self.cron!r} is not a crontab: {exc}"
            ) from exc


def channel_id(text: str) -> str:
    """A channel ID such as C0123ABCD, stripped; ConfigError for anything else."""
    name = text.strip()
    if not _CHANNEL_ID.fullmatch(name):
        raise ConfigError(
            f"{name!r} is not a channel ID (like C0123ABCD, from the channel's details)"
        )
    return name


def default_timezone(env: Mapping[str, str]) -> str:
    """TRADEFACT_TZ: the digest's time zone, and a subscriber's when Slack doesn't say."""
    return _zone(env.get("TRADEFACT_TZ", "").strip() or DEFAULT_TZ).key


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TRADEFACT_TZ {name!r} is not an IANA time zone") from exc


def _crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field as APScheduler 3 day names.

    APScheduler 3 numbers weekdays from Monday = 0, crontab from Sunday = 0 (or 7), so the default
    "0 9 * * 1" would fire on Tuesdays if passed through; names mean the same to both.
    """
    if field == "*":
        return field
    days: set[int] = set()
    for item in field.lower().split(","):
        spec, _, step = item.partition("/")
        first, dash, last = ("0-7" if spec == "*" else spec).partition("-")
        start = _weekday(first)
        end = _weekday(last) if dash else 7 if step else start  # "2/2": every other day from 2
        if start > end or (step and not (step.isdigit() and int(step) > 0)):
            raise ValueError(f"bad day of week {item!r}")
        days.update(d % 7 for d in range(start, end + 1, int(step or 1)))
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def _weekday(token: str) -> int:
    if token.isdigit() and int(token) <= 7:
        return int(token)
    if token[:3] in _WEEKDAYS and len(token) == 3:
        return _WEEKDAYS.index(token)
    raise ValueError(f"bad day of week {token!r}")
