"""The installation store on the state database: per-workspace and org-wide tokens, forgetting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from slack_bolt import BoltContext
from slack_sdk.oauth.installation_store import Installation

from bot.workspaces import Installations, StoredAuthorize, Workspace


@pytest.fixture(params=["sqlite", "postgresql"])
def installations(request: pytest.FixtureRequest, tmp_path: Path) -> Installations:
    """The SQLAlchemy stores on a state database of each kind."""
    if request.param == "sqlite":
        target = str(tmp_path / "state.sqlite3")
    else:
        target = request.getfixturevalue("pg_url")
    return Installations.open(target, "1234.5678")


def _install(store: Installations, token: str, team: str | None, org: str | None) -> None:
    store.store.save(
        Installation(
            app_id="A0TRADEFACT",
            enterprise_id=org,
            team_id=team,
            bot_token=token,
            bot_id="B1",
            bot_user_id="UBOT1",
            user_id="UINSTALLER",
            is_enterprise_install=team is None,
            installed_at=time.time(),
        )
    )


def test_each_workspace_and_each_org_wide_install_has_its_own_token(
    installations: Installations,
) -> None:
    _install(installations, "xoxb-team", "T1", None)
    _install(installations, "xoxb-org", None, "E1")
    assert installations.bot_token(Workspace("", "T1")) == "xoxb-team"
    assert installations.bot_token(Workspace("E1", "", True)) == "xoxb-org"
    assert installations.bot_token(Workspace("", "T2")) is None
    authorize = StoredAuthorize(installations)
    org = BoltContext({"is_enterprise_install": True})
    result = authorize(context=org, enterprise_id="E1", team_id="T9", user_id="U1")
    assert result is not None
    assert (result.bot_token, result.bot_user_id, result.enterprise_id) == (
        "xoxb-org",
        "UBOT1",
        "E1",
    )
    assert (
        authorize(context=BoltContext({}), enterprise_id=None, team_id="T2", user_id="U1") is None
    )


def test_forgetting_a_workspace_deletes_its_installation_only(installations: Installations) -> None:
    _install(installations, "xoxb-team", "T1", None)
    _install(installations, "xoxb-other", "T2", None)
    installations.forget(Workspace("", "T1"))
    assert installations.bot_token(Workspace("", "T1")) is None
    assert installations.bot_token(Workspace("", "T2")) == "xoxb-other"


def test_an_install_link_state_is_good_once(installations: Installations) -> None:
    state = installations.states.issue()
    assert installations.states.consume(state) is True
    assert installations.states.consume(state) is False


def test_a_bot_is_kept_a_while_but_forgetting_it_here_takes_effect_at_once(
    installations: Installations,
) -> None:
    _install(installations, "xoxb-team", "T1", None)
    team = Workspace("", "T1")
    assert installations.bot_token(team) == "xoxb-team"
    installations.store.delete_all(enterprise_id=None, team_id="T1")  # as another process would
    assert installations.bot_token(team) == "xoxb-team"  # kept for BOT_TTL_S
    installations.forget(team)
    assert installations.bot_token(team) is None
    assert installations.bot_token(Workspace("", "T3")) is None  # not installed: never kept
    _install(installations, "xoxb-new", "T3", None)
    assert installations.bot_token(Workspace("", "T3")) == "xoxb-new"
