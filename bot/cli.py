"""The `tradefact` command: build, ask, serve, socket, digest, schedule, refresh."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import (
    ConfigError,
    DigestSettings,
    Settings,
    channel_id,
    default_timezone,
    state_target,
    web_workers,
)
from bot.render import answer_json, render_mrkdwn, render_text
from bot.state.db import StateError
from bot.workspaces import Workspace
from facts.answer import answer as answer_question
from facts.context import Context
from facts.load import DataError, build, ensure_built
from facts.model import Answer
from facts.store import FactStore, FactStoreError

if TYPE_CHECKING:
    from bot.schedule import Refresh


def _paths(env: Mapping[str, str]) -> tuple[Path, Path]:
    data_dir = Path(env.get("TRADEFACT_DATA_DIR", "data"))
    return data_dir, Path(env.get("TRADEFACT_DB", str(data_dir / "facts.duckdb")))


def open_store(env: Mapping[str, str]) -> FactStore:
    """Open the fact store, rebuilding it first if the files in data/ changed."""
    data_dir, db_path = _paths(env)
    if data_dir.is_dir():
        ensure_built(data_dir, db_path)
    return FactStore.open(db_path)


def _build(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    data_dir, db_path = _paths(env)
    started = time.perf_counter()
    report = build(data_dir, db_path)
    elapsed = time.perf_counter() - started
    store = FactStore.open(db_path)
    coverage = store.coverage
    print(f"Built {db_path} from {data_dir}/ in {elapsed:.2f} s")
    for table, rows in report.tables.items():
        print(f"  {table:<14} {rows:>8,} rows")
    print(
        f"  trade          {coverage.trade_years[0]}–{coverage.trade_years[1]}"
        f" (latest month {coverage.trade_latest_month[0]}-{coverage.trade_latest_month[1]:02d})"
    )
    print(f"  population     {coverage.population_years[0]}–{coverage.population_years[1]}")
    for series, (first, last) in sorted(coverage.encounter_months.items()):
        print(f"  encounters     {series}: {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}")
    first, last = coverage.seizure_months
    print(f"  seizures       {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}")
    years, (first, last) = store.border.years, store.border.duty_months
    print(f"  transborder    {years['state'][0]}–{years['state'][1]} (by state, port, mode, goods)")
    print(f"  duties         {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}")
    print(f"  sources        {', '.join(store.sources)}")
    releases = store.releases()
    if releases:
        print(f"  census-api     {len(releases)} release(s), the latest {releases[-1].published}")
    return 0


def _serve(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.server import DEFAULT_WORKERS, serve  # only serve needs uvicorn

    settings = Settings.from_env(env, "http")
    default_timezone(env)  # a bad TRADEFACT_TZ stops startup here, not in every worker
    workers = args.workers or web_workers(env, DEFAULT_WORKERS)
    port = args.port or settings.port
    return serve(settings, lambda: open_store(env), state_target(env), args.host, port, workers)


def _socket(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.socket_mode import run
    from bot.state import open_state

    settings = Settings.from_env(env, "socket")
    return run(settings, open_store(env), open_state(state_target(env)))


def _ask(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    store = open_store(env)
    answer = answer_question(Context.build(store), args.question)
    if args.format == "json":
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    elif args.format == "mrkdwn":
        print(render_mrkdwn(answer))
    else:
        print(render_text(answer), end="")
    if args.chart:
        return _write_chart(answer, args.chart)
    return 0


def _write_chart(answer: Answer, path: Path) -> int:
    from bot.chart import chart_png  # matplotlib only when a chart is asked for

    png = chart_png(answer)
    if png is None:
        print("No chart for this answer (charts are for trends, rankings, comparisons and"
              " shares).", file=sys.stderr)  # fmt: skip
        return 1
    path.write_bytes(png)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Mapping[str, str]], int]] = {
    "build": _build,
    "ask": _ask,
}
COMMANDS.update(serve=_serve, socket=_socket)


def _digest(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    # Imported here: only digest and schedule need slack_sdk and the state database.
    from bot.digest import digest_message, open_ledger, post_digest
    from facts.digest import build_digest

    config = DigestSettings.from_env(env)
    channel = channel_id(args.channel) if args.channel else None
    day = args.date or datetime.now(config.timezone).date()
    if args.dry_run:  # no token, no ledger, no network: the message as it would be posted
        built = build_digest(open_store(env), day, args.lang)
        message = digest_message(built)
        as_json = json.dumps({"channel": channel, **message}, ensure_ascii=False, indent=2)
        print(as_json if args.json else message["text"])
        if args.chart:
            from bot.chart import digest_chart_png

            args.chart.write_bytes(digest_chart_png(built))
        return 0
    from bot.app import configure_logging
    from bot.schedule import digest_clients, post_due, subscriptions_for

    settings = Settings.from_env(env, "digest")
    store, ledger = open_store(env), open_ledger(config)
    configure_logging()
    now = datetime.now(UTC)
    clients, subscriptions = (
        digest_clients(settings, config),
        subscriptions_for(settings, config, ledger.state),
    )
    if channel is None:  # what the clock does: every subscription that is due, once a week
        outcomes = post_due(clients, ledger, store, subscriptions, now)
        print("\n".join(o.describe() for o in outcomes) or "No subscribed channel is due yet.")
    else:
        sub = subscriptions.get(channel)
        client = clients.client(sub.workspace) if sub else clients.client(Workspace())
        if client is None:
            raise ConfigError(f"{channel} is in no installed workspace (subscribe it from Slack)")
        language = sub.language if sub else "en"
        outcomes = [post_digest(client, ledger, store, channel, day, now, language=language)]
        print(outcomes[0].describe())
    return 1 if any(o.status in ("failed", "unknown") for o in outcomes) else 0


def _schedule(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.app import configure_logging
    from bot.digest import open_ledger
    from bot.schedule import digest_clients, run_schedule, subscriptions_for

    config = DigestSettings.from_env(env)
    settings = Settings.from_env(env, "digest")
    store, ledger = open_store(env), open_ledger(config)
    configure_logging()
    clients, subscriptions = (
        digest_clients(settings, config),
        subscriptions_for(settings, config, ledger.state),
    )
    refresh = _refresh_job(env)
    return run_schedule(clients, ledger, store, subscriptions, lambda: datetime.now(UTC), refresh)


def _refresh_job(env: Mapping[str, str]) -> Refresh | None:
    """The clock's Census refresh, or None (logged) without CENSUS_API_KEY."""
    import logging

    from bot.refresh import RefreshFailed, RefreshSettings, run_refresh
    from bot.schedule import Refresh

    settings, (data_dir, db_path) = RefreshSettings.from_env(env), _paths(env)
    if not settings.key:
        logging.getLogger("bot.refresh").warning(
            "CENSUS_API_KEY is not set: no Census refresh; the data stay those in %s", data_dir
        )
        return None

    def run() -> None:
        try:
            run_refresh(settings, data_dir, db_path)
        except RefreshFailed as exc:  # the last good store keeps serving; tried again next run
            logging.getLogger("bot.refresh").error("Refresh failed: %s", exc)

    return Refresh(settings.trigger(), run)


def _refresh(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.refresh import RefreshFailed, RefreshSettings, run_refresh

    data_dir, db_path = _paths(env)
    try:
        outcome = run_refresh(RefreshSettings.from_env(env), data_dir, db_path)
    except RefreshFailed as exc:
        print(f"tradefact refresh: {exc}", file=sys.stderr)
        return 1
    print(outcome.describe())
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


COMMANDS.update(digest=_digest, schedule=_schedule, refresh=_refresh)


def _check(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.checking import check_json, render_check
    from facts.check import Checker

    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.text
    if not text:
        raise ConfigError("give the text to check, or --file PATH")
    result = Checker.of(Context.build(open_store(env))).check(text)
    if args.format == "json":
        print(json.dumps(check_json(result), ensure_ascii=False, indent=2))
    else:
        print(render_check(result, md=args.format == "mrkdwn"), end="")
    return 0


COMMANDS["check"] = _check


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradefact", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the fact store from data/")
    ask_parser = commands.add_parser("ask", help="answer one question")
    ask_parser.add_argument("question", help='e.g. "mexico exports 2024"')
    ask_parser.add_argument("--format", choices=("text", "mrkdwn", "json"), default="text")
    ask_parser.add_argument("--chart", type=Path, metavar="OUT.png", help="also write its chart")
    serve = commands.add_parser("serve", help="answer Slack over HTTP at /slack/events")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT, else 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default: 0.0.0.0)")
    serve.add_argument("--workers", type=int, help="processes (default: $WEB_CONCURRENCY, else 2)")
    commands.add_parser("socket", help="answer Slack over Socket Mode (no public URL needed)")
    digest = commands.add_parser("digest", help="post the weekly digest to a channel, once a week")
    digest.add_argument(
        "--channel", help="channel ID, e.g. C0123ABCD (default: every subscription that is due)"
    )
    digest.add_argument("--date", type=_date, help="a day of the week to post (default: today)")
    digest.add_argument("--dry-run", action="store_true", help="print the message, post nothing")
    digest.add_argument("--json", action="store_true", help="with --dry-run: the whole payload")
    digest.add_argument(
        "--chart", type=Path, metavar="OUT.png", help="with --dry-run: write its 13-month chart"
    )
    digest.add_argument("--lang", choices=("en", "es"), default="en", help="with --dry-run")
    commands.add_parser("schedule", help="post each subscription's weekly digest until stopped")
    commands.add_parser("refresh", help="fetch new months from the Census API (CENSUS_API_KEY)")
    check = commands.add_parser("check", help="check every figure in a text against the data")
    check.add_argument("text", nargs="?", help='e.g. "In 2024 Mexico bought $335 billion..."')
    check.add_argument("--file", help="check the text of this file instead")
    check.add_argument("--format", choices=("text", "mrkdwn", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run one `tradefact` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, os.environ if env is None else env)
    except (ConfigError, DataError, FactStoreError, StateError) as exc:
        print(f"tradefact: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `tradefact ask ... | head` closed the pipe: nothing left to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
