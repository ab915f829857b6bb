"""jupyter-cache under Sphinx's parallel readers (ictstory.site.execute).

jupyter-cache commits a record before it writes the executed notebook; a reader that
matched the record in between (or after a build was killed in between) failed the build
with ``KeyError: 'Notebook file does not exist for cache record PK: …'``.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from ictstory.site import execute


def _notebook(code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    nb.cells = [cell]
    return nb


def _lock_is_held(cache: Path) -> bool:
    with (cache / execute.LOCK_NAME).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_a_record_without_its_notebook_is_executed_again_not_a_failed_build(
    tmp_path: Path,
) -> None:
    nb = _notebook("print(1 + 1)")
    plain = get_cache(str(tmp_path))
    record = plain.cache_notebook_bundle(CacheBundleIn(nb, "chapter.md"), check_validity=False)
    notebook = plain._get_notebook_path_cache(record.hashkey)
    notebook.unlink()  # what a reader sees between the two writes, or after a kill
    with pytest.raises(KeyError, match="Notebook file does not exist for cache record"):
        plain.merge_match_into_notebook(nb)  # the failure myst-nb did not catch
    locked = execute.locked_cache(tmp_path)
    with pytest.raises(KeyError, match="had no notebook"):
        locked.match_cache_notebook(nb)  # myst-nb catches this one: it executes again
    assert plain.list_cache_records() == []
    again = locked.cache_notebook_bundle(CacheBundleIn(nb, "chapter.md"), check_validity=False)
    assert locked.match_cache_notebook(nb).pk == again.pk
    assert locked.merge_match_into_notebook(nb)[1].cells[0].outputs[0]["text"] == "2\n"


def test_reads_and_writes_hold_the_cache_lock(tmp_path: Path) -> None:
    locked = execute.locked_cache(tmp_path)
    held: dict[str, bool] = {}
    inner = locked._cache
    for name in ("cache_notebook_bundle", "match_cache_notebook", "merge_match_into_notebook"):
        method = getattr(inner, name)

        def spy(*args: object, _name: str = name, _method: object = method, **kw: object) -> object:
            held[_name] = _lock_is_held(tmp_path)
            return _method(*args, **kw)  # type: ignore[operator]

        setattr(inner, name, spy)
    nb = _notebook("print(2)")
    locked.cache_notebook_bundle(CacheBundleIn(nb, "chapter.md"), check_validity=False)
    locked.match_cache_notebook(nb)
    locked.merge_match_into_notebook(nb)
    assert held == dict.fromkeys(held, True) and len(held) == 3
    assert not _lock_is_held(tmp_path)


def test_install_gives_myst_nb_the_locked_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from myst_nb.core.execute import cache as client

    monkeypatch.setattr(client, "get_cache", client.get_cache)
    execute.install()
    assert client.get_cache is execute.locked_cache
