"""One consistent jupyter-cache for Sphinx's parallel readers.

myst-nb executes a chapter in whichever reader process reads it (``execute_notebooks:
cache``), and jupyter-cache stores an executed notebook in two steps that are not one
transaction: it commits the record (hash of the code → primary key) to its SQLite
database, and only then writes ``executed/<hash>/base.ipynb``. A reader that matches
the record in between, or any later reader after a build was killed in between, or a
copy of the cache taken in between, finds a record without its notebook, and
``merge_match_into_notebook`` fails the whole build with ``KeyError: 'Notebook file
does not exist for cache record PK: …'`` (myst-nb catches a ``KeyError`` only from the
match, not from the merge).

:func:`install` (run in the ``jupyter-book`` process, before Sphinx forks its readers)
gives myst-nb a cache whose every read and write holds one lock file of the cache
folder (:func:`cache_lock`): a match and its merge, and a record with its notebook,
are then one step for every other process; executing a chapter still runs in
parallel. A record whose notebook is missing is dropped when it is matched, so that
chapter executes again instead of failing the build.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: The lock file inside the cache folder (jupyter-cache ignores other files).
LOCK_NAME = ".ictstory-lock"


@contextlib.contextmanager
def cache_lock(cache_path: str | Path) -> Iterator[None]:
    """Hold the cache folder's lock (exclusive, across processes) while the block runs."""
    folder = Path(cache_path)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class LockedCache:
    """A jupyter-cache whose reads and writes of executed notebooks hold :func:`cache_lock`."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)

    def match_cache_notebook(self, nb: Any) -> Any:
        """The record of an executed notebook with this code; ``KeyError`` if there is
        none, or if its notebook is missing (the record is dropped: it executes again)."""
        from jupyter_cache.cache.db import NbCacheRecord

        with cache_lock(self._cache.path):
            record = self._cache.match_cache_notebook(nb)
            notebook = self._cache._get_notebook_path_cache(record.hashkey)
            if not notebook.is_file():
                NbCacheRecord.remove_record(record.pk, self._cache.db)
                shutil.rmtree(notebook.parent, ignore_errors=True)  # else no new one fits
                raise KeyError(f"cache record {record.pk} had no notebook: dropped")
            return record

    def merge_match_into_notebook(self, *args: Any, **kwargs: Any) -> Any:
        with cache_lock(self._cache.path):
            return self._cache.merge_match_into_notebook(*args, **kwargs)

    def cache_notebook_bundle(self, *args: Any, **kwargs: Any) -> Any:
        with cache_lock(self._cache.path):
            return self._cache.cache_notebook_bundle(*args, **kwargs)

    def add_nb_to_project(self, *args: Any, **kwargs: Any) -> Any:
        with cache_lock(self._cache.path):
            return self._cache.add_nb_to_project(*args, **kwargs)


def locked_cache(path: str | Path) -> LockedCache:
    """jupyter-cache at ``path``, every read and write of a notebook under its lock."""
    from jupyter_cache import get_cache

    return LockedCache(get_cache(str(path)))


def install() -> None:
    """Make myst-nb's cache client use :func:`locked_cache` (before Sphinx starts)."""
    from myst_nb.core.execute import cache as client

    client.get_cache = locked_cache  # type: ignore[assignment]
