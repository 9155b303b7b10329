"""Install in any workspace: OAuth, per-workspace tokens, subscriptions, the App Home, uninstall.

Against the real `tradefact serve` in OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no
bot token) and a fake Slack that exchanges OAuth codes, with real signed requests; the same
scenarios with the SQLite default and with a real PostgreSQL server.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeslack import FakeSlack
from slack_helpers import (
    REPO,
    BotProcess,
    BotServer,
    assert_no_user_markup,
    clean_env,
    event_callback,
    healthy_server,
    payload,
    request,
    slash_command,
)
from slack_sdk.models.views import View

from facts.numbers import exact
from facts.store import FactStore

POST = "chat.postMessage"
PUBLISH = "views.publish"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def oauth_server(
    request: pytest.FixtureRequest, store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotServer]:
    """`tradefact serve` in OAuth mode on the state backend of the parameter."""
    log = tmp_path_factory.mktemp("oauth") / "serve.log"
    env: dict[str, str] = {"SLACK_BOT_TOKEN": ""}
    if request.param == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    with FakeSlack() as fake:
        env.update(SLACK_CLIENT_ID=fake.client_id, SLACK_CLIENT_SECRET=fake.client_secret)
        with healthy_server(fake, store_path, log, **env) as server:
            yield server


def install(
    server: BotServer, code: str, team: str, token: str, bot_user: str, org: str | None = None
) -> str:
    """Go through /slack/install and /slack/oauth_redirect as a browser does; the last page."""
    server.fake.add_workspace(code, team, token, bot_user, org)
    page = request(f"{server.url}/slack/install")
    assert page.status == 200, page.body
    state = re.search(r"state=([0-9a-f-]+)", page.body.decode())
    assert state is not None, page.body
    cookie = {k.lower(): v for k, v in page.headers.items()}["set-cookie"].split(";")[0]
    query = urllib.parse.urlencode({"code": code, "state": state[1]})
    done = request(f"{server.url}/slack/oauth_redirect?{query}", headers={"Cookie": cookie})
    assert done.status == 200, done.body
    return done.body.decode()


def as_team(body: str, team: str, bot_user: str, org: str | None = None) -> str:
    """An Events API body (JSON) as sent to workspace `team` (of the org-wide install `org`),
    whose bot user is `bot_user`."""
    data = json.loads(body)
    data["team_id"], data["enterprise_id"] = team, org
    data["authorizations"] = [
        {"enterprise_id": org, "team_id": None if org else team, "user_id": bot_user,
         "is_bot": True, "is_enterprise_install": bool(org)}
    ]  # fmt: skip
    if "text" in data["event"]:
        data["event"]["text"] = data["event"]["text"].replace("<@UBOT>", f"<@{bot_user}>")
    return json.dumps(data)


def event(name: str, team: str, bot_user: str, org: str | None = None, **fields: Any) -> str:
    """A fresh event of payloads/NAME.json for `team` (in the org-wide install `org`)."""
    return as_team(event_callback(name, **fields), team, bot_user, org)


def command(server: BotServer, team: str, channel: str, text: str, reply: str) -> str:
    """POST /tradefact `text` in `channel` of `team`; the ephemeral text of the HTTP answer."""
    body = slash_command(
        text, server.fake.response_url(reply), team_id=team, channel_id=channel,
        trigger_id=f"{time.time()}.{reply}",
    )  # fmt: skip
    answer = server.post(body)
    assert answer.status == 200, answer.body
    return str(answer.json()["text"])


def responded(server: BotServer, name: str) -> str:
    """The text the bot sent to the response_url `name` (waits for it)."""
    calls = server.fake.wait_for("response_url", count=1, timeout=10)
    found = [c for c in calls if c.path.endswith(f"/{name}")]
    if not found:
        deadline = time.monotonic() + 10
        while not found and time.monotonic() < deadline:
            time.sleep(0.05)
            found = [c for c in server.fake.calls("response_url") if c.path.endswith(f"/{name}")]
    assert found, [c.path for c in server.fake.calls("response_url")]
    return str(found[-1].params["text"])


def bearer(call: Any) -> str:
    return str(call.headers.get("authorization", ""))


def state_rows(server: BotServer, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    from bot.state import open_state

    state = open_state(server.state)
    try:
        with state.transaction() as tx:
            return [tuple(r) for r in tx.execute(sql, params).fetchall()]
    finally:
        state.close()


def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    oauth_server: BotServer,
) -> None:
    server, fake = oauth_server, oauth_server.fake
    fake.clear()
    assert "Thank you" in install(server, "code-a", "TA1", "xoxb-team-a", "UBOTA")
    install(server, "code-b", "TB1", "xoxb-team-b", "UBOTB")
    [exchange, _] = fake.calls("oauth.v2.access")
    assert exchange.params["code"] == "code-a"
    assert server.post(event("app_mention", "TA1", "UBOTA"), form=False).status == 200
    assert server.post(event("app_mention", "TB1", "UBOTB"), form=False).status == 200
    posts = fake.wait_for(POST, count=2, timeout=10)
    assert sorted(bearer(c) for c in posts) == ["Bearer xoxb-team-a", "Bearer xoxb-team-b"]
    assert "xoxb-team-" not in server.log() and fake.client_secret not in server.log()
    assert all("$" in c.params["text"] for c in posts)
    # A slash command from a workspace is answered too (authorised from its installation).
    assert "Mexico" in command(server, "TA1", "C0A1", "mexico exports 2024", "cmd-a")


def test_an_org_wide_install_answers_every_workspace_of_the_org_with_its_token(
    oauth_server: BotServer,
) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-org", "", "xoxb-org-e1", "UBOTORG", org="E0ORG1")
    fake.clear()
    for team in ("TORG1", "TORG2"):
        server.post(event("app_mention", team, "UBOTORG", org="E0ORG1"), form=False)
    posts = fake.wait_for(POST, count=2, timeout=10)
    assert [bearer(c) for c in posts] == ["Bearer xoxb-org-e1"] * 2
    server.post(event("app_uninstalled", "TORG1", "UBOTORG", org="E0ORG1"), form=False)
    server.wait_idle()
    assert state_rows(server, "SELECT * FROM slack_bots WHERE enterprise_id = ?", "E0ORG1") == []


def test_a_workspace_that_never_installed_gets_nothing(oauth_server: BotServer) -> None:
    server, fake = oauth_server, oauth_server.fake
    fake.clear()
    # A redirect without the install page's state (a forged or replayed link) installs nothing.
    fake.add_workspace("code-x", "TNOTHERE", "xoxb-team-x", "UBOTX")
    forged = request(f"{server.url}/slack/oauth_redirect?code=code-x&state=made-up")
    assert forged.status == 400
    assert fake.calls("oauth.v2.access") == []
    server.post(event("app_mention", "TNOTHERE", "UBOTX"), form=False)
    server.wait_idle()
    assert fake.calls(POST) == []


def _monday_midnight_subscription(server: BotServer, team: str, channel: str, name: str) -> str:
    text = command(server, team, channel, "digest subscribe monday 0:00 es", name)
    assert text.startswith("Working on it")
    return responded(server, name)


def digest_run(server: BotServer, store_path: Path, tmp_path: Path, name: str) -> BotProcess:
    """`tradefact digest` (no --channel) against the server's state, to its end."""
    env = clean_env(
        SLACK_CLIENT_ID=server.fake.client_id,
        SLACK_CLIENT_SECRET=server.fake.client_secret,
        SLACK_API_URL=server.fake.url,
        TRADEFACT_DATA_DIR=str(REPO / "data"),
        TRADEFACT_DB=str(store_path),
        **({"DATABASE_URL": server.state} if "://" in server.state else {}),
        TRADEFACT_STATE_DB=server.state,
    )
    process = BotProcess(["digest"], env, tmp_path / f"{name}.log")
    process.process.wait(timeout=60)
    process.stop()
    return process


def test_subscribe_leads_to_one_digest_with_the_workspace_token_and_unsubscribe_to_none(
    oauth_server: BotServer, store_path: Path, tmp_path: Path
) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-s", "TS1", "xoxb-team-s", "UBOTS")
    install(server, "code-s2", "TS2", "xoxb-team-s2", "UBOTS2")
    fake.clear()
    fake.not_member.add("CSUB2")
    said = _monday_midnight_subscription(server, "TS1", "CSUB1", "sub1")
    assert said.startswith("Subscribed: this channel gets the weekly digest Mondays at 00:00")
    assert "(America/Chicago), in Spanish" in said  # the subscriber's time zone (users.info)
    said = _monday_midnight_subscription(server, "TS1", "CSUB2", "sub2")
    assert "/invite @TradeFact" in said  # the bot isn't in CSUB2
    assert "gets the weekly digest Mondays" in command(server, "TS1", "CSUB1", "digest status", "s")
    fake.clear()
    command(server, "TS2", "CSUB1", "digest unsubscribe", "other")  # another workspace
    assert responded(server, "other") == "This channel's digest was set up by another workspace."
    command(server, "TS1", "CSUB2", "digest unsubscribe", "unsub")
    assert responded(server, "unsub").startswith("Unsubscribed")

    for run in ("first", "second"):
        process = digest_run(server, store_path, tmp_path, run)
        assert process.process.returncode == 0, process.log()
    posts = [c for c in fake.calls(POST) if c.params["channel"] in ("CSUB1", "CSUB2")]
    assert [(c.params["channel"], bearer(c)) for c in posts] == [("CSUB1", "Bearer xoxb-team-s")]
    blocks = json.loads(posts[0].params["blocks"]) if isinstance(posts[0].params["blocks"], str) \
        else posts[0].params["blocks"]  # fmt: skip
    assert "Resumen semanal de TradeFact" in json.dumps(blocks, ensure_ascii=False)
    assert "already posted" in process.log()


def test_preview_is_ephemeral_and_posts_nothing(oauth_server: BotServer) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-p", "TP1", "xoxb-team-p", "UBOTP")
    fake.clear()
    body = slash_command(
        "digest preview", fake.response_url("p"), team_id="TP1", channel_id="CPREV"
    )
    answer = server.post(body).json()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("*TradeFact weekly digest: ")
    refused = command(server, "TP1", "CPREV", "digest subscribe <!channel> friday", "p2")
    assert refused.startswith("'&lt;!channel&gt;' is not a day, a time")
    assert_no_user_markup(refused)
    server.wait_idle()
    assert fake.calls(POST) == []


def test_the_home_tab_shows_figures_claims_and_the_users_subscriptions(
    oauth_server: BotServer, store: FactStore
) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-h", "TH1", "xoxb-team-h", "UBOTH")
    fake.clear()
    _monday_midnight_subscription(server, "TH1", "CHOME1", "home-sub")
    fake.user_channels["UHOME1"] = ["CHOME1", "COTHER"]
    fake.clear()
    opened = event("app_home_opened", "TH1", "UBOTH", user="UHOME1")
    assert server.post(opened, form=False).status == 200
    [published] = fake.wait_for(PUBLISH, timeout=10)
    assert bearer(published) == "Bearer xoxb-team-h"
    assert published.params["user_id"] == "UHOME1"
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).validate_json()  # slack_sdk's Block Kit models: types, lengths, counts
    text = json.dumps(view)
    year, month = store.coverage.trade_latest_month
    exports = store.trade_month("exports", "MEX", year, month)
    assert exports is not None
    assert exact(exports.value, "USD") in text
    assert "U.S. Census Bureau" in text and "CBP encounters nationwide" in text
    assert text.count("Claim ") >= len(store.claims)
    assert "<#CHOME1>" in text and "Mondays at 00:00" in text

    # Opened again with nothing changed: not published again.
    server.wait_idle()  # the first publish is recorded
    server.post(event("app_home_opened", "TH1", "UBOTH", user="UHOME1"), form=False)
    server.wait_idle()
    assert len(fake.calls(PUBLISH)) == 1
    # A subscription change in the workspace rebuilds the Home it showed.
    command(server, "TH1", "CHOME1", "digest unsubscribe", "home-unsub")
    republished = fake.wait_for(PUBLISH, count=2, timeout=10)[-1]
    assert "<#CHOME1>" not in json.dumps(republished.params["view"])


def test_uninstall_leaves_nothing_of_the_workspace(
    oauth_server: BotServer, store_path: Path, tmp_path: Path
) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-u", "TU1", "xoxb-team-u", "UBOTU")
    install(server, "code-u2", "TU2", "xoxb-team-u2", "UBOTU2")
    _monday_midnight_subscription(server, "TU1", "CUNINST", "u-sub")
    assert digest_run(server, store_path, tmp_path, "u-digest").process.returncode == 0
    fake.user_channels["UUSER"] = ["CUNINST"]
    server.post(event("app_home_opened", "TU1", "UBOTU", user="UUSER"), form=False)
    fake.wait_for(PUBLISH, timeout=10)
    server.wait_idle()
    assert state_rows(server, "SELECT channel FROM digest_subscriptions WHERE team_id = ?", "TU1")
    assert state_rows(server, "SELECT status FROM digest_posts WHERE channel = ?", "CUNINST") == [
        ("posted",)
    ]

    assert server.post(event("app_uninstalled", "TU1", "UBOTU"), form=False).status == 200
    server.wait_idle()
    for table in ("digest_subscriptions", "home_views", "slack_installations", "slack_bots"):
        rows = state_rows(server, f"SELECT * FROM {table} WHERE team_id = ?", "TU1")
        assert rows == [], table
    assert state_rows(server, "SELECT * FROM digest_posts WHERE channel = ?", "CUNINST") == []
    fake.clear()
    server.post(event("app_mention", "TU1", "UBOTU"), form=False)
    server.wait_idle()
    assert fake.calls(POST) == []
    # The other workspaces are still served.
    server.post(event("app_mention", "TU2", "UBOTU2"), form=False)
    [reply] = fake.wait_for(POST, timeout=10)
    assert bearer(reply) == "Bearer xoxb-team-u2"


def test_revoked_bot_tokens_forget_the_workspace(oauth_server: BotServer) -> None:
    server = oauth_server
    install(server, "code-r", "TREV1", "xoxb-team-rev", "UBOTREV")
    _monday_midnight_subscription(server, "TREV1", "CREVOKED", "r-sub")
    server.post(event("tokens_revoked", "TREV1", "UBOTREV"), form=False)
    server.wait_idle()
    assert state_rows(server, "SELECT * FROM slack_bots WHERE team_id = ?", "TREV1") == []
    assert state_rows(server, "SELECT * FROM digest_subscriptions WHERE team_id = ?", "TREV1") == []


def test_single_workspace_mode_subscribes_with_its_one_token(
    store_path: Path, tmp_path: Path
) -> None:
    with FakeSlack() as fake, healthy_server(fake, store_path, tmp_path / "single.log") as server:
        assert request(f"{server.url}/slack/install").status == 404  # no OAuth in this mode
        text = command(server, "T0001", "CSINGLE", "digest subscribe friday 7am", "single")
        assert text.startswith("Working on it")
        said = responded(server, "single")
        assert said.startswith("Subscribed: this channel gets the weekly digest Fridays at 07:00")
        [info] = fake.calls("users.info")
        assert bearer(info) == "Bearer xoxb-test-5f2e9a"
        fake.user_channels["USOLO"] = ["CSINGLE"]
        server.post(event("app_home_opened", "T0001", "UBOT", user="USOLO"), form=False)
        [home] = fake.wait_for(PUBLISH, timeout=10)
        assert bearer(home) == "Bearer xoxb-test-5f2e9a"
        assert "<#CSINGLE>: Fridays at 07:00" in json.dumps(home.params["view"])


def home_click(team: str, user: str, action: dict[str, Any]) -> str:
    """A click on the Home tab (block_actions from a view: no channel, no response_url)."""
    data = payload("block_actions")
    for key in ("channel", "response_url"):
        data.pop(key)
    data["team"], data["user"]["id"] = {"id": team, "domain": "x"}, user
    data["container"] = {"type": "view", "view_id": "VHOME"}
    data["view"] = {"id": "VHOME", "type": "home", "private_metadata": "", "hash": "h1"}
    data["trigger_id"] = f"trigger-{time.time()}"
    data["actions"] = [{"block_id": "b", "action_ts": f"{time.time():.6f}", **action}]
    return urllib.parse.urlencode({"payload": json.dumps(data)})


def test_home_buttons_answer_in_a_direct_message_and_check_a_text_in_a_modal(
    oauth_server: BotServer,
) -> None:
    server, fake = oauth_server, oauth_server.fake
    install(server, "code-b2", "TBTN", "xoxb-team-btn", "UBOTBTN")
    fake.clear()
    failed = server.wait_idle().get("failed", 0)
    ask = {"type": "button", "action_id": "home_ask_0", "value": "mexico exports 2024"}
    assert server.post(home_click("TBTN", "UBTN", ask)).status == 200
    [answer] = fake.wait_for(POST, timeout=10)
    assert answer.params["channel"] == "UBTN" and bearer(answer) == "Bearer xoxb-team-btn"
    assert "Mexico" in answer.params["text"]

    option = {"value": "es", "text": {"type": "plain_text", "text": "Spanish"}}
    spanish = {"type": "static_select", "action_id": "home_language", "selected_option": option}
    server.post(home_click("TBTN", "UBTN", spanish))
    [home] = fake.wait_for(PUBLISH, timeout=10)
    assert "Answers in Spanish." in json.dumps(home.params["view"])

    server.post(home_click("TBTN", "UBTN", {"type": "button", "action_id": "home_check_text"}))
    [opened] = fake.wait_for("views.open", timeout=10, ok=True)
    assert opened.params["trigger_id"].startswith("trigger-")
    modal = opened.params["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    View(**modal).validate_json()
    submitted = payload("block_actions")
    submitted.update(type="view_submission", team={"id": "TBTN", "domain": "x"})
    submitted["user"]["id"] = "UBTN"
    for key in ("channel", "response_url", "container", "actions"):
        submitted.pop(key)
    text = "In 2024 Mexico bought $335 billion of U.S. goods."
    submitted["view"] = {**modal, "id": "VMODAL", "hash": "h2", "state": {"values": {
        "text": {"text": {"type": "plain_text_input", "value": text}}}}}  # fmt: skip
    closed = server.post(urllib.parse.urlencode({"payload": json.dumps(submitted)}))
    assert closed.status == 200 and closed.body in (b"", b"{}")
    check = fake.wait_for(POST, count=2, timeout=10)[-1]
    assert check.params["channel"] == "UBTN"
    assert "335" in check.params["text"]
    assert server.wait_idle().get("failed", 0) == failed  # every job of these clicks succeeded
