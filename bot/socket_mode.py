"""run(): answer Slack over Socket Mode, a WebSocket the bot opens, so no public URL is needed."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler

from bot.app import configure_logging, create_app
from bot.config import Settings
from bot.state import StateDB
from facts.store import FactStore


def run(settings: Settings, store: FactStore, state: StateDB) -> int:
    """Connect (apps.connections.open at settings.api_url) and answer until stopped."""
    configure_logging()
    bot = create_app(settings, store, state)
    # The handler reuses app.client, so apps.connections.open goes to SLACK_API_URL too.
    handler = SocketModeHandler(bot.app, app_token=settings.app_token)
    signal.signal(signal.SIGTERM, _exit)
    bot.runner.start()
    try:
        handler.start()  # blocks until a signal
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
        bot.runner.stop()
    return 0


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)
