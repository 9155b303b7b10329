"""A throwaway PostgreSQL server for tests, from the machine's own binaries (Debian's package).

    with PostgresServer() as pg:      # initdb + pg_ctl start in a temporary directory
        url = pg.new_database()       # postgresql://postgres@127.0.0.1:PORT/t_1

As root, initdb refuses to run, so the server runs as the `postgres` system user.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from slack_helpers import free_port


def binaries() -> Path | None:
    """The bin/ directory of the newest PostgreSQL installed under /usr/lib/postgresql."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> float:
    number = Path(path).parent.parent.name
    return float(number) if number.replace(".", "", 1).isdigit() else 0.0


class PostgresServer:
    """A PostgreSQL server on 127.0.0.1 and a free port, in a temporary directory."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tradefact-pg-"))
        self._names = itertools.count(1)
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    def __enter__(self) -> PostgresServer:
        if self._as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        data = str(self.dir / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(str(self.bin / "pg_ctl"), "-D", data, "-o", options, "-l",
                  str(self.dir / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                      "-w", "stop")  # fmt: skip
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A connection URL for `database`."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; returns its URL."""
        import psycopg

        name = f"t_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")  # name: our own counter, never input
        return self.url(name)
