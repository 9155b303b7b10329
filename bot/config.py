"""Settings.from_env(): the Slack bot's configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["http", "socket"]
SLACK_API_URL = "https://slack.com/api/"

# What each variable is, for the one-line error when it is missing.
_HELP = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the Signing Secret from Basic Information",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, for Socket Mode",
}
_REQUIRED: dict[Mode, tuple[str, ...]] = {
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
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

    @classmethod
    def from_env(cls, env: Mapping[str, str], mode: Mode = "http") -> Settings:
        """Read the settings for `mode`; raise ConfigError naming the first missing variable."""
        for name in _REQUIRED[mode]:
            if not env.get(name, "").strip():
                raise ConfigError(f"{name} is not set: {_HELP[name]}")
        return cls(
            bot_token=env["SLACK_BOT_TOKEN"].strip(),
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            port=_port(env.get("PORT", "3000")),
            api_url=_api_url(env.get("SLACK_API_URL", "")),
        )


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"PORT must be a TCP port number, not {text!r}")
    return int(text)


def _api_url(text: str) -> str:
    url = text.strip() or SLACK_API_URL
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, not {url!r}")
    # The SDK joins method names onto the base URL, which only works with a trailing slash.
    return url if url.endswith("/") else url + "/"
