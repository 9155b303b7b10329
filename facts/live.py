"""LiveStore: the newest build of a store file, switched to between uses, never during one.

`tradefact refresh` (or `build`) writes a new store file and renames it over the old one. A
serving process holds a LiveStore: each request takes the current store with `use()`, which
looks at the file (one stat) and, when it was replaced, opens and prepares the new store in a
thread while requests go on with the old one; the next request after that gets the new store.
The old store is closed, and its caches dropped, when the last request using it ends. So an
answer is always computed on one store, and no request waits for the switch.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from facts.load import built_fingerprint
from facts.store import FactStore

logger = logging.getLogger(__name__)
Hook = Callable[[FactStore], object]


class LiveStore:
    """Holds the current FactStore of a file; `use()` it for one request or one job."""

    def __init__(self, store: FactStore, origin: Path | None = None) -> None:
        """`origin`: the file to watch when `store` is a private copy of it (`tradefact serve`'s
        workers open one); each new build is then copied beside the first copy and opened there.
        """
        self._store, self._path = store, Path(origin or store.path)
        self._copies = Path(store.path).parent if origin is not None else None
        self._prepares: list[Hook] = []
        self._retires: list[Hook] = []
        self._file = _file_signature(self._path) or ()
        if self._copies is not None and built_fingerprint(self._path) != store.fingerprint:
            self._file = ()  # the copy is older than the file (a restarted worker): switch
        self._users: dict[int, int] = {id(store): 0}  # store id -> requests using it
        self._retiring: dict[int, FactStore] = {}
        self._switching = False  # a switching thread is under way
        self._failed: tuple[int, ...] | None = None
        self._lock = threading.Lock()
        self._switch_lock = threading.Lock()  # one switch at a time

    def add_hooks(self, prepare: Hook, retire: Hook) -> None:
        """prepare(new store) runs before requests move to it; retire(old) before it closes."""
        self._prepares.append(prepare)
        self._retires.append(retire)

    @contextmanager
    def use(self, wait: bool = False) -> Iterator[FactStore]:
        """The current store, kept open until the block ends.

        If the file was replaced, a switch starts in a thread and this use keeps the old store;
        with `wait` (the scheduler, which can wait) the switch happens first.
        """
        if wait:
            signature = self._moved()
            if signature is not None:
                self._switch(signature)
        else:
            self._look()
        with self._lock:
            store = self._store
            self._users[id(store)] += 1
        try:
            yield store
        finally:
            self._release(store)

    def _moved(self) -> tuple[int, ...] | None:
        """The file's new signature if it was replaced (and not by a file that failed to open)."""
        signature = _file_signature(self._path)
        if signature is None or signature == self._file or signature == self._failed:
            return None
        return signature

    def _look(self) -> None:
        signature = self._moved()
        if signature is None:
            return
        with self._lock:
            if self._switching:
                return
            self._switching = True
        threading.Thread(target=self._switch, args=(signature,), daemon=True).start()

    def _switch(self, signature: tuple[int, ...]) -> None:
        with self._switch_lock:
            if signature == self._file:  # another switch got there first
                with self._lock:
                    self._switching = False
                return
            self._open_and_swap(signature)

    def _open_and_swap(self, signature: tuple[int, ...]) -> None:
        fresh: FactStore | None = None
        try:
            fresh = (
                _open_new(self._path, signature)
                if self._copies is None
                else _open_copy(self._path, self._copies, signature)
            )
            for prepare in self._prepares:
                prepare(fresh)
        except Exception as exc:  # a thread's boundary: log it, keep serving the old store
            logger.error("Still serving the old store: the new one failed to open (%s)", exc)
            if fresh is not None:
                fresh.close()
            with self._lock:
                self._failed, self._switching = signature, False
            return
        with self._lock:
            old, self._store, self._file = self._store, fresh, signature
            self._users[id(fresh)] = 0
            self._switching = False
            self._retiring[id(old)] = old
            idle = self._users[id(old)] == 0
        logger.info("Switched to the new store (%s)", fresh.fingerprint[:12])
        if idle:
            self._close(old)

    def _release(self, store: FactStore) -> None:
        with self._lock:
            self._users[id(store)] -= 1
            idle = self._users[id(store)] == 0 and id(store) in self._retiring
        if idle:
            self._close(store)

    def _close(self, store: FactStore) -> None:
        with self._lock:
            if self._retiring.pop(id(store), None) is None:
                return
            del self._users[id(store)]
        for retire in self._retires:
            retire(store)
        store.close()
        if self._copies is not None and Path(store.path).name.endswith(_COPY):
            Path(store.path).unlink(missing_ok=True)  # a copy this holder made


def _open_new(path: Path, signature: tuple[int, ...]) -> FactStore:
    """Open the file now at `path` through a link of its own.

    DuckDB keeps one database instance per path in a process: connecting again to a path whose
    old file is still open returns the old data. A hard link names the new file apart; it is
    removed once open (the connection holds the file).
    """
    alias = path.with_name(f".{path.name}.{signature[0]}.open")
    alias.unlink(missing_ok=True)
    try:
        os.link(path, alias)
    except OSError:  # a file system without hard links: a symbolic link names it apart too
        alias.symlink_to(path.resolve())
    try:
        return FactStore.open(alias)
    finally:
        alias.unlink(missing_ok=True)


_COPY = ".live"  # the suffix of the copies a LiveStore makes (the first copy is not its own)


def _open_copy(path: Path, copies: Path, signature: tuple[int, ...]) -> FactStore:
    """Copy the file now at `path` into `copies` and open the copy (a worker's private store)."""
    copy = copies / f"{path.name}.{signature[0]}.{signature[1]}{_COPY}"
    tmp = copy.with_name(copy.name + ".tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, copy)
    try:
        return FactStore.open(copy)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise


def _file_signature(path: os.PathLike[str]) -> tuple[int, ...] | None:
    """The file's identity: a rename over it changes the inode."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)
