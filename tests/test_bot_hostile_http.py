"""Hostile input over HTTP: the real `tradefact serve`, signed or not, answers it calmly.

Anyone can reach /slack/events, so every request without a valid signature gets a 400, 401 or
413 and causes nothing. Signed requests (which only Slack can make) with any text at all get the
same answer as `ask()` gives, escaped, and a reply to an event reaches the fake Slack once.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

import duckdb
import pytest
from asking import ask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_helpers import (
    BOT_TOKEN,
    BOT_USER_ID,
    SECRET,
    BotServer,
    HttpResult,
    assert_no_internals,
    assert_no_user_markup,
    block_action,
    event_callback,
    payload,
    request,
    signature_headers,
    slash_command,
    status_or_hangup,
)
from test_hostile_input import ATTACKS, WORDS

from bot.app import REFUSED
from bot.handlers import ephemeral_reply, message_reply, question_from, strip_mention
from facts.store import FactStore

MEXICO_2024 = "$334.5 billion"
LONG = "mexico exports 2024 " * 500  # 10,000 characters
# Slack's own markup and the other ways in: SQL, DuckDB functions, templates, terminal control.
HTTP_ATTACKS = [
    *ATTACKS,
    LONG,
    "mexico exports 2024 <!everyone> <#C0123|general> <!subteam^S123|@team>",
    "&lt;!channel&gt; mexico exports 2024 &amp;&amp; 1=1",
    "mexico exports 2024; SELECT * FROM read_parquet('/etc/shadow')",
    "exports to ' OR '1'='1",
    "mexico exports 2024 {{ config }} {% raw %}{{ ''.__class__ }}{% endraw %}",
    "mexico\r\nexports\t2024\x7f\x85\u2028\u2029",
    "COPY trade_annual TO '/tmp/pwned.csv'; ATTACH '/tmp/x.db'",
]
QUESTIONS = st.one_of(
    st.text(max_size=400),  # any Unicode, control characters included (no lone surrogates)
    st.lists(st.sampled_from(WORDS + HTTP_ATTACKS[:12]), max_size=8).map(" ".join),
    st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=500, max_size=10_000),
)
HOSTILE = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FORM = "application/x-www-form-urlencoded"
CONTENT_TYPES = [FORM, "application/json", "text/plain", "multipart/form-data", ""]


def _slash(served: BotServer, text: str) -> HttpResult:
    return served.post(slash_command(text, served.fake.response_url()))


def _assert_still_serving(served: BotServer) -> None:
    """The server is healthy and answers a normal question correctly."""
    assert request(f"{served.url}/healthz").status == 200
    reply = _slash(served, "mexico exports 2024").json()
    assert MEXICO_2024 in reply["text"] and "$334,492,100,000" in reply["text"]


def _without_credit(params: dict[str, Any]) -> dict[str, Any]:
    """A shared answer without its "Shared by <@U…>" block (the bot's own, checked markup)."""
    blocks = params.get("blocks") or []
    credited = blocks and blocks[0].get("type") == "context"
    return {**params, "blocks": blocks[1:] if credited else blocks}


def _post_bytes(served: BotServer, body: bytes, headers: dict[str, str]) -> HttpResult:
    req = urllib.request.Request(f"{served.url}/slack/events", data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return HttpResult(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        return HttpResult(err.code, dict(err.headers), err.read())


# --- signed questions: the answer ask() gives, escaped ----------------------------------------


def _check_slash(served: BotServer, store: FactStore, text: str) -> None:
    response = _slash(served, text)
    assert response.status == 200
    reply = response.json()
    question = question_from(text)
    expected = ephemeral_reply(question, ask(store, question))
    assert (reply["response_type"], reply["text"]) == ("ephemeral", expected["text"])
    assert reply["blocks"] == expected["blocks"]
    assert_no_user_markup(reply)
    assert_no_internals(response.body.decode(), echo=text)


def test_any_signed_slash_command_gets_asks_answer_escaped_and_nothing_else(
    served: BotServer, store: FactStore
) -> None:
    @HOSTILE
    @given(text=QUESTIONS)
    def check(text: str) -> None:
        _check_slash(served, store, text)

    for attack in HTTP_ATTACKS:
        _check_slash(served, store, attack)
    check()
    # Answered in the HTTP response: no call to Slack at all (not even auth.test).
    assert served.fake.calls() == []
    _assert_still_serving(served)


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE trade_annual; -- mexico exports 2024",
        "mexico exports 2024 UNION SELECT * FROM sources",
        "read_csv('/etc/passwd')",
    ],
)
def test_sql_is_not_understood_and_changes_nothing(
    served: BotServer, store: FactStore, text: str
) -> None:
    before = store.table_counts()
    reply = _slash(served, text).json()
    assert reply["text"].startswith("*Sorry, I didn't understand that question*")
    assert "root:" not in reply["text"]
    assert store.table_counts() == before


def test_template_syntax_is_text_not_code(served: BotServer) -> None:
    reply = _slash(served, "{{ 1111*7 }} {% if 1 %}mexico{% endif %} exports 2024").json()
    assert "“1111”" in reply["text"] and "which I can't use" in reply["text"]
    assert "7777" not in reply["text"] and "7,777" not in reply["text"]


def test_the_store_refuses_to_read_any_other_file(store: FactStore) -> None:
    with pytest.raises(duckdb.Error, match="file system operations are disabled"):
        store._rows("SELECT * FROM read_csv('/etc/passwd')")  # noqa: SLF001


def test_any_signed_mention_or_dm_is_answered_once_with_asks_answer_escaped(
    served: BotServer, store: FactStore
) -> None:
    @settings(HOSTILE, max_examples=100)
    @given(text=QUESTIONS, kind=st.sampled_from(["app_mention", "message_im"]))
    def check(text: str, kind: str) -> None:
        served.fake.clear()
        typed = f"<@{BOT_USER_ID}> {text}" if kind == "app_mention" else text
        # A DM of its own each time: in one DM, a bare "chile" would be a follow-up of the last
        # question (tests/test_bot_followups.py), not a question by itself.
        channel = f"D{uuid.uuid4().hex[:10].upper()}" if kind == "message_im" else None
        where = {"channel": channel} if channel else {}
        response = served.post(event_callback(kind, typed, **where), form=False)
        assert response.status == 200
        served.wait_idle()
        [post] = served.fake.calls("chat.postMessage")
        question = question_from(strip_mention(typed, BOT_USER_ID))
        expected = message_reply(ask(store, question))
        assert post.params["text"] == expected["text"]
        assert post.params["blocks"] == expected["blocks"]
        assert post.params["channel"] == (channel or payload(kind)["event"]["channel"])
        assert_no_user_markup(post.params)
        assert_no_internals(json.dumps(post.params, ensure_ascii=False), echo=text)

    check()
    _assert_still_serving(served)


def test_share_button_with_any_question_shares_asks_answer_escaped(
    served: BotServer, store: FactStore
) -> None:
    @settings(HOSTILE, max_examples=40)
    @given(text=QUESTIONS.filter(lambda t: len(t) <= 2000))
    def check(text: str) -> None:
        served.fake.clear()
        response = served.post(block_action(text, served.fake.response_url("share")))
        assert response.status == 200
        served.wait_idle()
        shared, deleted = served.fake.calls("response_url")
        expected = message_reply(ask(store, text or "help"))
        assert shared.params["text"] == expected["text"]
        assert deleted.params["delete_original"] is True
        assert shared.params["blocks"][0]["elements"][0]["text"] == "Shared by <@U2147483697>"
        assert_no_user_markup(_without_credit(shared.params))

    check()
    _assert_still_serving(served)


# --- unsigned, badly signed, malformed: refused, and nothing happens --------------------------


def _bad_headers(body: bytes) -> st.SearchStrategy[dict[str, str]]:
    now = int(time.time())
    printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
    good = signature_headers(body.decode("latin-1"))
    last = good["X-Slack-Signature"][-1]
    forged = good["X-Slack-Signature"][:-1] + ("1" if last == "0" else "0")
    return st.one_of(
        st.just({}),
        st.just({**good, "X-Slack-Signature": forged}),  # one hex digit off
        st.just(signature_headers(body.decode("latin-1"), secret="guessed-secret")),
        st.just(signature_headers(body.decode("latin-1"), timestamp=now - 301)),  # a replay
        st.just(signature_headers(body.decode("latin-1"), timestamp=now + 301)),
        st.fixed_dictionaries(
            {"X-Slack-Request-Timestamp": printable, "X-Slack-Signature": printable}
        ),
    )


BODIES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    ).map(lambda value: json.dumps(value).encode()),
    st.sampled_from(["[1]", "null", "payload=%5B1%5D", "payload=null", "payload=%7Bx"]).map(
        str.encode
    ),
    st.sampled_from(["slash_command", "app_mention", "message_im"]).map(
        lambda name: json.dumps(payload(name)).encode()
    ),
)


def test_any_request_without_a_valid_signature_is_refused_and_causes_nothing(
    served: BotServer,
) -> None:
    @HOSTILE
    @given(data=st.data(), body=BODIES, content_type=st.sampled_from(CONTENT_TYPES))
    def check(data: st.DataObject, body: bytes, content_type: str) -> None:
        headers = {**data.draw(_bad_headers(body)), "Content-Type": content_type}
        response = _post_bytes(served, body, headers)
        assert response.status in (400, 401), response.body[:200]
        assert_no_internals(response.body.decode(errors="replace"))

    before = len(served.log())
    check()
    assert served.fake.calls() == []
    log = served.log()[before:]
    assert "Traceback" not in log and "ERROR" not in log
    _assert_still_serving(served)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": "9" * 5000, "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "1e9", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=\xe9"},
        {"X-Slack-Request-Timestamp": str(int(time.time()))},
        {"X-Slack-Signature": "v0=00"},
    ],
    ids=["word", "empty", "5000_digits", "negative", "float", "latin1", "no_sig", "no_ts"],
)
def test_malformed_signature_headers_get_401_without_a_traceback_or_an_answer(
    served: BotServer, headers: dict[str, str]
) -> None:
    # Before the fix, a timestamp that isn't a number made Bolt's check raise, and a slash
    # command got a 200 "Sorry" with a traceback in the log.
    before = len(served.log())
    body = slash_command("mexico exports 2024", served.fake.response_url())
    response = _post_bytes(served, body.encode(), {"Content-Type": FORM, **headers})
    assert response.status == 401
    assert MEXICO_2024.encode() not in response.body and b"Sorry" not in response.body
    assert "Traceback" not in served.log()[before:]
    assert served.fake.calls() == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[1]", "application/json"),
        (b"null", "application/json"),
        (b'{"type": "event_callback", "authorizations": "x"}', "application/json"),
        (b'{"type": "block_actions", "channel": 5}', "application/json"),
        (b"payload=%5B1%5D", FORM),
        (b"payload=%7Bnot-json", FORM),
        (b"text=\xed\xb3\xbf", FORM),  # not UTF-8
    ],
    ids=["list", "null", "authorizations", "channel_number", "payload_list", "payload_bad", "utf8"],
)
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_a_body_bolt_cannot_parse_gets_401_unsigned_400_signed(
    served: BotServer, body: bytes, content_type: str, signed: bool
) -> None:
    # Bolt parses the body before it checks the signature: these were 500s with a traceback.
    # The signature is now checked first, and the body parsed only when it is right.
    before = len(served.log())
    signature = _raw_signature(body) if signed else {}
    response = _post_bytes(served, body, {"Content-Type": content_type, **signature})
    expected = (400, b"Bad Request") if signed else (401, b'{"error": "invalid request"}')
    assert (response.status, response.body) == expected
    assert "Traceback" not in served.log()[before:]
    assert served.fake.calls() == []


def _raw_signature(body: bytes) -> dict[str, str]:
    """Slack's signature over the bytes as sent (which need not be UTF-8)."""
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def test_refused_requests_log_one_short_line_each_never_their_body(served: BotServer) -> None:
    before = len(served.log())
    marker = "FLOOD-7f3a-"
    for n in range(10):
        body = f"text={marker}{n}" + "x" * 100_000
        assert served.post(body, secret="not-the-secret").status == 401
    log = served.log()[before:]
    assert log.count(REFUSED) == 10
    assert marker not in log and "xxxxxxxxxx" not in log
    assert len(log) < 10 * 200


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_a_body_over_1_mib_gets_413_signed_or_not(served: BotServer, signed: bool) -> None:
    body = slash_command("mexico exports 2024 " + "x" * (1 << 20), served.fake.response_url())
    secret = SECRET if signed else "not-the-secret"
    assert status_or_hangup(lambda: served.post(body, secret=secret)) in (413, None)
    assert served.fake.calls() == []


def _post_chunked(served: BotServer, chunks: list[bytes], headers: dict[str, str]) -> int | None:
    """POST chunks with Transfer-Encoding: chunked; the status, or None if the server hung up."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.putrequest("POST", "/slack/events")
        for name, value in {**headers, "Transfer-Encoding": "chunked"}.items():
            connection.putheader(name, value)
        connection.endheaders()
        for chunk in [*chunks, b""]:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        response = connection.getresponse()
        response.read()
        return response.status
    except (BrokenPipeError, ConnectionResetError):
        return None  # it answered and closed before the whole body was sent
    finally:
        connection.close()


def test_a_chunked_body_is_refused_unread_even_when_signed(served: BotServer) -> None:
    # Slack always sends Content-Length: a body without one is not read at all.
    body = slash_command("mexico exports 2024", served.fake.response_url())
    headers = {"Content-Type": FORM, **signature_headers(body)}
    assert _post_chunked(served, [body.encode()], headers) in (411, None)
    assert served.fake.calls() == []


def test_a_huge_chunked_body_is_not_read_and_the_server_keeps_serving(served: BotServer) -> None:
    chunks = [b"text=" + b"x" * 65_531] * 32  # 2 MiB
    assert _post_chunked(served, chunks, {"Content-Type": FORM}) in (411, None)
    _assert_still_serving(served)


# --- signed but malformed: what only a broken Slack could send ------------------------------

_WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in a JSON value, response_url excluded (the bot must only call the fake)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    else:
        items = list(enumerate(data)) if isinstance(data, list) else []
    for key, value in items:
        if key != "response_url":
            found.append((*prefix, key))
            found.extend(_paths(value, (*prefix, key)))
    return found


def _mutated(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    copy = json.loads(json.dumps(data))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


@st.composite
def _malformed(draw: st.DrawFn, response_url: str) -> tuple[str, str, bool]:
    """A real payload with one field deleted or given a wrong type: (kind, body, is_form)."""
    kind = draw(st.sampled_from(["slash_command", "block_actions", "app_mention", "message_im"]))
    if kind == "slash_command":
        form = dict(parse_qsl(slash_command("mexico exports 2024", response_url)))
        key = draw(st.sampled_from(sorted(k for k in form if k != "response_url")))
        if draw(st.booleans()):
            del form[key]
        else:
            form[key] = draw(st.text(max_size=30))
        return kind, urlencode(form), True
    if kind == "block_actions":
        data = json.loads(dict(parse_qsl(block_action("x", response_url)))["payload"])
    else:
        data = json.loads(event_callback(kind, f"<@{BOT_USER_ID}> mexico exports 2024"))
    path = draw(st.sampled_from(_paths(data)))
    changed = _mutated(data, path, draw(_WRONG), draw(st.booleans()))
    if kind == "block_actions":
        return kind, urlencode({"payload": json.dumps(changed)}), True
    return kind, json.dumps(changed), False


def test_signed_payloads_with_a_missing_field_or_a_wrong_type_never_leak_or_double_post(
    served: BotServer,
) -> None:
    statuses: dict[str, set[int]] = {}

    @settings(HOSTILE, max_examples=200)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        served.fake.clear()
        kind, body, form = data.draw(_malformed(served.fake.response_url()))
        response = served.post(body, form=form)
        served.wait_idle()
        # 500: a signed payload that a listener fails on (Slack never sends one); its traceback
        # goes to the log, never into the response.
        assert response.status in (200, 400, 404, 500), response.status
        assert_no_internals(response.body.decode(errors="replace"))
        statuses.setdefault(kind, set()).add(response.status)
        posts = served.fake.calls("chat.postMessage")
        shares = served.fake.calls("response_url")
        assert len(posts) <= 1 and len(shares) <= 2
        for call in posts + shares:
            assert_no_user_markup(_without_credit(call.params))

    check()
    assert 500 not in statuses.get("slash_command", set())
    log = served.log()
    assert BOT_TOKEN not in log and SECRET not in log
    _assert_still_serving(served)


def test_questions_and_answers_never_reach_the_log(served: BotServer) -> None:
    before = len(served.log())
    marker = "zq7kx"
    _slash(served, f"mexico exports 2024 {marker}")
    served.post(event_callback("app_mention", f"<@{BOT_USER_ID}> {marker} exports"), form=False)
    served.post(event_callback("message_im", f"{marker} <!channel>"), form=False)
    served.post(block_action(f"{marker} mexico", served.fake.response_url("share")))
    served.wait_idle()
    assert len(served.fake.calls("chat.postMessage")) == 2
    log = served.log()[before:]
    assert marker not in log and MEXICO_2024 not in log
