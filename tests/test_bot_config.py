"""Settings come from the environment once; a missing variable stops startup with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import ConfigError, Mode, Settings
from bot.server import HEADER_TIMEOUT_S, TimedHttpProtocol, uvicorn_config
from bot.workspaces import BOT_SCOPES

ROOT = Path(__file__).resolve().parent.parent
HTTP_ENV = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}


def test_settings_read_every_variable() -> None:
    env = {
        **HTTP_ENV,
        "SLACK_APP_TOKEN": "xapp-1",
        "PORT": "8080",
        "SLACK_API_URL": "http://127.0.0.1:9000/api/",
    }
    assert Settings.from_env(env) == Settings(
        bot_token="xoxb-1",
        signing_secret="s3cret",
        app_token="xapp-1",
        port=8080,
        api_url="http://127.0.0.1:9000/api/",
    )


def test_settings_default_to_port_3000_and_slacks_web_api() -> None:
    settings = Settings.from_env(HTTP_ENV)
    assert (settings.port, settings.api_url) == (3000, "https://slack.com/api/")


def test_settings_give_the_api_url_its_trailing_slash() -> None:
    env = {**HTTP_ENV, "SLACK_API_URL": "http://127.0.0.1:9000/api"}
    assert Settings.from_env(env).api_url == "http://127.0.0.1:9000/api/"


def test_settings_repr_never_shows_a_token_or_secret() -> None:
    text = repr(Settings.from_env({**HTTP_ENV, "SLACK_APP_TOKEN": "xapp-1"}))
    assert "xoxb-1" not in text and "s3cret" not in text and "xapp-1" not in text


@pytest.mark.parametrize(
    ("mode", "env", "missing"),
    [
        ("http", {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        (
            "http",
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": " "},
            "SLACK_SIGNING_SECRET",
        ),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ("socket", {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_variable_is_named_in_a_one_line_error(
    mode: Mode, env: dict[str, str], missing: str
) -> None:
    with pytest.raises(ConfigError, match=f"^{missing} is not set: [^\n]+$"):
        Settings.from_env(env, mode)


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "http"), ("PORT", "70000"), ("SLACK_API_URL", "slack.com/api")],
)
def test_a_malformed_variable_is_a_one_line_error(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must be"):
        Settings.from_env({**HTTP_ENV, name: value})


@pytest.mark.parametrize(
    ("command", "env", "missing"),
    [
        ("serve", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ("serve", {}, "SLACK_BOT_TOKEN"),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ],
)
def test_serve_and_socket_without_a_variable_print_one_line_naming_it_and_exit_2(
    command: str, env: dict[str, str], missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command], env) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"tradefact: {missing} is not set")
    assert err.count("\n") == 1


def test_serve_without_a_store_refuses_to_start_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        **HTTP_ENV,
        "TRADEFACT_DATA_DIR": str(tmp_path / "no-data"),
        "TRADEFACT_DB": str(tmp_path / "missing.duckdb"),
    }
    assert main(["serve", "--port", "1"], env) == 2
    err = capsys.readouterr().err
    assert err.startswith("tradefact: no fact store at ")
    assert err.count("\n") == 1


def test_uvicorn_runs_the_workers_asked_for_with_header_timeouts_and_no_access_log() -> None:
    config = uvicorn_config("bot.server:worker_app", "127.0.0.1", 3000, 4)
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 3000, 4)
    assert config.http is TimedHttpProtocol and 0 < HEADER_TIMEOUT_S <= 30
    assert config.factory and not config.access_log and not config.proxy_headers


@pytest.mark.parametrize(("text", "workers"), [("", 2), ("1", 1), (" 8 ", 8)])
def test_web_concurrency_sets_the_serving_processes(text: str, workers: int) -> None:
    from bot.config import web_workers

    assert web_workers({"WEB_CONCURRENCY": text}, 2) == workers


@pytest.mark.parametrize("text", ["0", "65", "two", "-1"])
def test_web_concurrency_must_be_a_number_of_processes(text: str) -> None:
    from bot.config import web_workers

    with pytest.raises(ConfigError, match="WEB_CONCURRENCY must be a number of processes"):
        web_workers({"WEB_CONCURRENCY": text}, 2)


def test_database_url_wins_over_the_sqlite_file_and_must_be_postgresql() -> None:
    from bot.config import state_target

    assert state_target({}) == "state/tradefact.sqlite3"
    assert state_target({"TRADEFACT_STATE_DB": "/var/s.db"}) == "/var/s.db"
    url = "postgresql://bot:pw@db:5432/tradefact"
    assert state_target({"TRADEFACT_STATE_DB": "/var/s.db", "DATABASE_URL": url}) == url
    with pytest.raises(ConfigError, match="DATABASE_URL must be a postgresql:// URL"):
        state_target({"DATABASE_URL": "mysql://db/x"})


def test_manifest_asks_for_only_the_scopes_and_events_the_bot_uses() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == [
        "app_mentions:read",
        "channels:history",
        "channels:read",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "groups:read",
        "im:history",
        "users:read",
    ]
    assert sorted(scopes) == sorted(BOT_SCOPES)  # what the OAuth install asks for
    assert manifest["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST/slack/oauth_redirect"]
    settings = manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == [
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "message.channels",
        "message.groups",
        "message.im",
        "tokens_revoked",
    ]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/tradefact"
    urls = {
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert urls == {"https://YOUR-HOST/slack/events"}
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


OAUTH_ENV = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


def test_client_id_and_secret_without_a_bot_token_is_oauth_mode() -> None:
    settings = Settings.from_env(OAUTH_ENV)
    assert settings.oauth and (settings.client_id, settings.bot_token) == ("1.2", "")
    assert "'c'" not in repr(settings)  # the client secret stays out of repr()
    assert Settings.from_env(OAUTH_ENV, "digest").oauth


def test_a_bot_token_keeps_the_single_workspace_mode() -> None:
    settings = Settings.from_env({**OAUTH_ENV, "SLACK_BOT_TOKEN": "xoxb-1"})
    assert not settings.oauth and settings.bot_token == "xoxb-1"


def test_oauth_mode_without_the_client_secret_names_it() -> None:
    with pytest.raises(ConfigError, match="^SLACK_CLIENT_SECRET is not set: the Client Secret"):
        Settings.from_env({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"})


@pytest.mark.parametrize(
    ("text", "who"), [("", "anyone"), ("admins", "admins"), (" Anyone ", "anyone")]
)
def test_who_may_subscribe_defaults_to_anyone(text: str, who: str) -> None:
    assert Settings.from_env({**HTTP_ENV, "TRADEFACT_SUBSCRIBERS": text}).subscribers == who


def test_who_may_subscribe_is_anyone_or_admins() -> None:
    with pytest.raises(ConfigError, match="TRADEFACT_SUBSCRIBERS must be anyone or admins"):
        Settings.from_env({**HTTP_ENV, "TRADEFACT_SUBSCRIBERS": "owners"})


@pytest.mark.parametrize(("text", "seconds"), [("", 10), ("1", 1), (" 30 ", 30), ("300", 300)])
def test_slack_api_timeout_defaults_to_10_seconds(text: str, seconds: int) -> None:
    assert Settings.from_env({**HTTP_ENV, "SLACK_API_TIMEOUT": text}).api_timeout == seconds


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "301", "nan", "soon"])
def test_slack_api_timeout_must_be_whole_seconds_from_1_to_300(text: str) -> None:
    with pytest.raises(ConfigError, match="SLACK_API_TIMEOUT must be a whole number of seconds"):
        Settings.from_env({**HTTP_ENV, "SLACK_API_TIMEOUT": text})


def test_serve_refuses_a_bad_time_zone_before_it_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve"], {**HTTP_ENV, "TRADEFACT_TZ": "Mars/Olympus"}) == 2
    assert capsys.readouterr().err == (
        "tradefact: TRADEFACT_TZ 'Mars/Olympus' is not an IANA time zone\n"
    )
