"""Who is told what the data layer hands out (it does not know who listens)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Called with ``(kind, key)`` for every table (``"table", name``) and figure (``"figure",
#: id``) handed out. The data layer knows nothing of who listens: the chapter kernel's
#: dependency recorder (:mod:`ictstory.story.deps`) registers itself here.
READ_HOOKS: list[Callable[[str, str], None]] = []
_quiet = [0]


def notify_read(kind: str, key: str) -> None:
    """Tell every hook of :data:`READ_HOOKS` that this was read (not inside :func:`quiet_reads`)."""
    if not _quiet[0]:
        for hook in READ_HOOKS:
            hook(kind, key)


@contextmanager
def quiet_reads() -> Iterator[None]:
    """Reads inside this block are not told to :data:`READ_HOOKS`."""
    _quiet[0] += 1
    try:
        yield
    finally:
        _quiet[0] -= 1


__all__ = ["READ_HOOKS", "notify_read", "quiet_reads"]
