"""Workspaces: who the bot serves and with which token, in both install modes.

Single-workspace mode (SLACK_BOT_TOKEN): one token for everything, as before.
OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no SLACK_BOT_TOKEN): anyone installs the app
at /slack/install; Bolt's OAuth flow stores each installation with slack_sdk's SQLAlchemy
installation store, and its `state` parameters with the SQLAlchemy OAuth state store, both in
the state database (the SQLite file, or PostgreSQL at DATABASE_URL). Every request, reply,
digest and Home tab then uses the token of its own workspace (or organisation, for an org-wide
install), read from that store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store import Bot
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

# What the app asks for at install (the manifest's bot scopes, in the same order).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "app_mentions:read",
    "im:history",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "users:read",
    "files:write",
)
STATE_EXPIRATION_S = 600  # an install link is good for 10 minutes
BOT_TTL_S = 30.0  # how long a process keeps a workspace's bot after reading it
MAX_BOTS = 10_000  # workspaces kept per process


@dataclass(frozen=True)
class Workspace:
    """A workspace, or an organisation when the app is installed org-wide ('' for unknown)."""

    enterprise_id: str = ""
    team_id: str = ""
    org_install: bool = False

    @classmethod
    def of(cls, data: dict[str, Any]) -> Workspace:
        """From a job payload or a BoltContext-like dict (enterprise_id, team_id, org_install)."""
        return cls(
            str(data.get("enterprise_id") or ""),
            str(data.get("team_id") or ""),
            bool(data.get("org_install") or data.get("is_enterprise_install")),
        )

    @classmethod
    def from_context(cls, context: BoltContext) -> Workspace:
        """The workspace a request came from."""
        return cls(
            context.enterprise_id or "",
            "" if context.is_enterprise_install else context.team_id or "",
            bool(context.is_enterprise_install),
        )

    def fields(self) -> dict[str, Any]:
        """For a job payload."""
        return {
            "enterprise_id": self.enterprise_id,
            "team_id": self.team_id,
            "org_install": self.org_install,
        }


def engine_for(target: str) -> Engine:
    """A SQLAlchemy engine on the state database (a postgres:// URL or a SQLite path)."""
    import sqlalchemy

    if target.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + target.split("://", 1)[1]
        return sqlalchemy.create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
    path = Path(target).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlalchemy.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})


class Installations:
    """slack_sdk's SQLAlchemy installation and OAuth state stores on the state database.

    Each workspace's bot is kept in memory for BOT_TTL_S after it is read: authorising a request
    then costs no query (a SELECT through SQLAlchemy is about 0.4 ms, as much as the rest of a
    warm slash command). A workspace not installed is never kept, so an install takes effect at
    once; forgetting one drops it here at once, and from other processes within BOT_TTL_S (its
    tokens are revoked by then: Slack refuses them).
    """

    def __init__(self, store: SQLAlchemyInstallationStore, states: SQLAlchemyOAuthStateStore):
        self.store = store
        self.states = states
        self._bots: OrderedDict[Workspace, tuple[float, Bot]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, target: str, client_id: str) -> Installations:
        """The stores on `target`, their tables created if missing."""
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        engine = engine_for(target)
        store = SQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=logger)
        states = SQLAlchemyOAuthStateStore(STATE_EXPIRATION_S, engine, logger=logger)
        for tables in (store.metadata, states.metadata):
            _create(tables, engine)
        return cls(store, states)

    def close(self) -> None:
        """Close the database connections."""
        self.store.engine.dispose()

    def bot(self, workspace: Workspace) -> Bot | None:
        """The workspace's bot (token and IDs), or None when it is not installed."""
        now = time.monotonic()
        with self._lock:
            kept = self._bots.get(workspace)
            if kept is not None and kept[0] > now:
                return kept[1]
        found = self.store.find_bot(
            enterprise_id=workspace.enterprise_id or None,
            team_id=workspace.team_id or None,
            is_enterprise_install=workspace.org_install,
        )
        with self._lock:
            self._bots.pop(workspace, None)
            if found is not None:
                self._bots[workspace] = (now + BOT_TTL_S, found)
                while len(self._bots) > MAX_BOTS:
                    self._bots.popitem(last=False)
        return found

    def bot_token(self, workspace: Workspace) -> str | None:
        """The workspace's bot token, or None when it is not installed (or was uninstalled)."""
        bot = self.bot(workspace)
        return bot.bot_token if bot is not None else None

    def forget(self, workspace: Workspace) -> None:
        """Delete the workspace's installations and bots."""
        with self._lock:
            self._bots.pop(workspace, None)
        self.store.delete_all(
            enterprise_id=workspace.enterprise_id or None, team_id=workspace.team_id or None
        )


def _create(tables: Any, engine: Engine) -> None:
    # Two processes starting together may both find a table missing: the loser's CREATE fails,
    # and its second look finds the table.
    try:
        tables.create_all(engine)
    except Exception:  # sqlalchemy.exc.DatabaseError, without importing it for the type
        tables.create_all(engine)


class StoredAuthorize(Authorize):
    """Authorise a request from its workspace's stored installation, with no Web API call.

    Bolt's InstallationStoreAuthorize calls auth.test on every request to learn the bot's IDs;
    the installation already holds them, and the ack path never waits on the network.
    """

    def __init__(self, installations: Installations) -> None:
        self._installations = installations

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **actor: Any,
    ) -> AuthorizeResult | None:
        """The workspace's bot token and IDs, or None (Bolt then answers "not installed")."""
        org = bool(context.is_enterprise_install)
        workspace = Workspace(enterprise_id or "", "" if org else team_id or "", org)
        bot = self._installations.bot(workspace)
        if bot is None:
            logger.warning("No installation for team %s (enterprise %s)", team_id, enterprise_id)
            return None
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


class Clients:
    """The Web API client for each workspace: the one token, or each installation's token."""

    def __init__(
        self,
        make: Callable[[str], WebClient],
        token: str = "",
        installations: Installations | None = None,
    ) -> None:
        self._make = make
        self._single = make(token) if token else None
        self.installations = installations

    def client(self, workspace: Workspace) -> WebClient | None:
        """A client with the workspace's bot token; None when it isn't installed."""
        if self._single is not None:
            return self._single
        token = self.installations.bot_token(workspace) if self.installations else None
        return self._make(token) if token else None
