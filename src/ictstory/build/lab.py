"""JupyterLab on the project, offline (``make lab``; the room's ``install.py lab``).

``python -m ictstory.build.lab [--port N]`` starts JupyterLab on 127.0.0.1 with the
chapters opening as notebooks through jupytext, and with nothing asked of another host
(no news, no update check, no extension manager): :func:`lab_command`,
:func:`write_lab_settings`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

#: JupyterLab settings for this project, written to the venv's settings overrides:
#: a double-click on a chapter (.md) opens it as a notebook (jupytext's
#: "Jupytext Notebook" viewer); no news feed, no update check, no extension manager.
LAB_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
    },
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}

#: Server options that keep JupyterLab from asking another host for anything,
#: and read a Markdown file without jupytext metadata (the glossary) as MyST,
#: not as Pandoc Markdown (which would need pandoc).
LAB_OFFLINE_OPTIONS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    "--ContentsManager.preferred_jupytext_formats_read=md:myst",
]


def lab_settings_path(prefix: str | Path = sys.prefix) -> Path:
    """JupyterLab's settings overrides file of the environment at ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_lab_settings(prefix: str | Path = sys.prefix, path: Path | None = None) -> Path:
    """Write :data:`LAB_SETTINGS` into the environment's overrides (kept: other plugins)."""
    path = path or lab_settings_path(prefix)
    settings: dict[str, dict[str, object]] = {}
    if path.is_file():
        settings = json.loads(path.read_text(encoding="utf-8"))
    for plugin, values in LAB_SETTINGS.items():
        settings[plugin] = {**settings.get(plugin, {}), **values}
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def lab_command(
    root: str | Path,
    port: int,
    *,
    token: str | None = None,
    open_browser: bool = True,
    settings_dir: str | Path | None = None,
) -> list[str]:
    """The ``jupyter lab`` command line: 127.0.0.1 only, offline, serving ``root``.

    ``token=None`` keeps Jupyter's own random token (printed in the login URL);
    ``""`` turns it off (the tests do, on a free port of 127.0.0.1).
    ``settings_dir`` replaces the environment's settings folder (the folder of
    :func:`lab_settings_path`; the tests use one of their own).
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={Path(root).resolve()}",
        f"--ServerApp.open_browser={open_browser}",
        *LAB_OFFLINE_OPTIONS,
    ]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if settings_dir is not None:
        command.append(f"--LabApp.app_settings_dir={Path(settings_dir).resolve()}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container or CI runs as root
        command.append("--ServerApp.allow_root=True")
    return command


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m ictstory.build.lab [--port N]``: JupyterLab on the project."""
    parser = argparse.ArgumentParser(
        prog="python -m ictstory.build.lab", description="JupyterLab on 127.0.0.1, offline"
    )
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--root", type=Path, default=None, help="default: the project root")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    from ictstory.paths import project_root

    root = args.root or project_root()
    settings = write_lab_settings()
    command = lab_command(root, args.port, open_browser=not args.no_browser)
    print(f"==> JupyterLab settings: {settings}", flush=True)
    print(
        f"==> JupyterLab on 127.0.0.1:{args.port}: open the URL with the token printed below;"
        " a double-click on a chapter opens it as a notebook",
        flush=True,
    )
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
