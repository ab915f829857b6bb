"""``jupyter-book`` with Sphinx's parallel reading: chapters execute ``ICTSTORY_JOBS`` at a time.

jupyter-book 1.x's command line has no ``--jobs`` option, though its
``build_sphinx`` takes one; this runs the same command with that argument set.
Every extension the book loads declares itself safe for parallel reading but
two that jupyter-book loads itself and that say nothing, so Sphinx would warn
and read serially: ``sphinx_multitoc_numbering`` only replaces the toctree
collector's section numbering (run in the main process after reading), and
``sphinx_jupyterbook_latex`` only adds nodes and per-document transforms for
LaTeX output. Neither keeps state in the environment, so both are declared
safe here.

The build (:mod:`ictstory.build`) starts this under the site lock
(:func:`ictstory.sitelock.popen`): it dies with the build, and so do the worker
processes it forks here (:func:`_workers_die_with_this_process`).

Sphinx reads in parallel only when more than five pages changed; since the
build keeps Sphinx's environment, a data edit typically re-reads (and
re-executes) two or three chapters, so those are read in parallel too.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys

import jupyter_book.sphinx

from ictstory.site import execute, kernels


def jobs() -> int:
    """Parallel readers: ``$ICTSTORY_JOBS``, else the number of cores (at most 4)."""
    wanted = os.environ.get("ICTSTORY_JOBS")
    return max(1, int(wanted)) if wanted else min(4, os.cpu_count() or 1)


def _declare_parallel_safe() -> None:
    import sphinx_jupyterbook_latex
    import sphinx_multitoc_numbering

    for module in (sphinx_multitoc_numbering, sphinx_jupyterbook_latex):
        original = module.setup

        def setup(app: object, original: object = original) -> dict[str, object]:
            meta = original(app) or {}  # type: ignore[operator]
            return {**meta, "parallel_read_safe": True, "parallel_write_safe": True}

        module.setup = setup


def _read_few_in_parallel() -> None:
    from sphinx.builders import Builder

    serial = Builder._read_serial

    def read(self: Builder, docnames: list[str]) -> None:
        if len(docnames) > 1 and self.app.parallel > 1 and self.app.is_parallel_allowed("read"):
            self._read_parallel(docnames, nproc=self.app.parallel)
        else:
            serial(self, docnames)

    Builder._read_serial = read  # type: ignore[method-assign]


def _no_project_modules() -> None:
    """Drop the working folder from ``sys.path`` (``python -m`` puts it first): docutils
    looks for a language module by its code, and would import the project's ``vi/``
    folder as the module ``vi``."""
    here = os.path.realpath(os.getcwd())
    sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]


def _workers_die_with_this_process() -> None:
    """Sphinx's parallel readers and writers are forks of this process: have the kernel
    kill each one when this process dies (``PR_SET_PDEATHSIG``), so none of them goes on
    writing the site after its build was killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    parent: list[int] = [os.getpid()]

    def in_child() -> None:
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent[0]:  # it died before the line above
            os._exit(1)

    os.register_at_fork(before=lambda: parent.__setitem__(0, os.getpid()), after_in_child=in_child)


def main() -> None:
    """Run the ``jupyter-book`` command line with ``jobs`` readers."""
    _workers_die_with_this_process()
    _no_project_modules()
    execute.install()  # one consistent jupyter-cache for the parallel readers
    kernels.install()  # kernels on Unix sockets of their own; a kernel failure names its chapter
    _declare_parallel_safe()
    _read_few_in_parallel()
    jupyter_book.sphinx.build_sphinx = functools.partial(
        jupyter_book.sphinx.build_sphinx, jobs=jobs()
    )
    from jupyter_book.cli.main import main as cli

    sys.argv[0] = "jupyter-book"
    cli()


if __name__ == "__main__":
    main()
