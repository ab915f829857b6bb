"""README-ROOM.md of a workshop bundle (``tools/dist.py``): English, then Vietnamese."""

from __future__ import annotations


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def readme(
    *,
    name: str,
    trainer: bool,
    platforms: list[tuple[str, int]],
    wheels: int,
    wheel_bytes: int,
    site_bytes: int,
    handouts: bool,
    warnings: list[str],
) -> str:
    """The room README: what the bundle holds, the install steps for each system."""
    sizes = "\n".join(f"| {label} | {_mb(size)} |" for label, size in platforms)
    warning = (
        "> **WARNING: this bundle was made anyway from a tree that did not agree with"
        " itself:**\n" + "\n".join(f"> - {w}" for w in warnings) + "\n\n"
        if warnings
        else ""
    )
    who = (
        "the **trainer's** bundle: everything participants get, plus the answer keys"
        " (`handouts/*/answer-key.pdf`), the notes and solutions (`project/trainer/`) and"
        " the wheels that build the book. **Do not hand it out.**"
        if trainer
        else "the **participants'** bundle: no answer key, no trainer's notes."
    )
    who_vi = (
        "gói **dành cho giảng viên**: mọi thứ học viên nhận được, thêm đáp án"
        " (`handouts/*/answer-key.pdf`), ghi chú và lời giải (`project/trainer/`) và các"
        " gói để dựng sách. **Không phát cho học viên.**"
        if trainer
        else "gói **dành cho học viên**: không có đáp án, không có ghi chú của giảng viên."
    )
    flag = " --trainer" if trainer else ""
    trainer_en = (
        "\n## Building the book offline (trainer)\n\n"
        "On Linux or macOS (the build locks files the POSIX way; on Windows use the"
        " built `site/`), after `install.py --trainer`, in `project/`: `.venv/bin/python"
        " -m ictstory.build` executes the chapters and builds `_build/html`. The"
        " Makefile's `make setup` would install the test tooling too, which this bundle"
        " leaves out: use the command above in the room.\n"
        if trainer
        else ""
    )
    handouts_en = (
        "- `handouts/`: the printable handouts (PDF)"
        + (", answer keys included." if trainer else ", without the answer key.")
        if handouts
        else "- No `handouts/`: they were not made."
    )
    return f"""# {name}

{warning}This is {who}

- `site/`: the book, both editions ({_mb(site_bytes)}). Open `site/index.html` in a browser:
  nothing to install.
{handouts_en}
- `project/`: the sources and data, to open as notebooks.
- `wheelhouse/`: {wheels} wheels ({_mb(wheel_bytes)}) for CPython 3.11, 3.12 and 3.13 on:

| system | wheels it uses |
|---|---|
{sizes}

- `install.py`: installs the project from `wheelhouse/` with no network.

## Before the session (each laptop)

Python 3.11, 3.12 or 3.13 must be installed (it is not in this bundle): from
python.org on Windows and macOS; on Linux the system's `python3` if it is one of
these, with `venv` (Debian, Ubuntu: `sudo apt install python3-venv`). Copy the
whole bundle (unpacked) to the laptop; about 1.5 GB free disk is needed.

## Install, with no network

Open a terminal in the unpacked folder (the one with `install.py`), then:

- **Windows** (PowerShell or Command Prompt; x86-64):

      py -3.12 install.py{flag}
      py install.py lab

  (`py -3.11` or `py -3.13` as installed; `py --list` lists them.)
- **macOS** (Terminal; Apple silicon or Intel):

      python3 install.py{flag}
      python3 install.py lab

  (`python3.12 install.py{flag}` when `python3` is older than 3.11.)
- **Linux** (x86-64 or aarch64):

      python3 install.py{flag}
      python3 install.py lab

`install.py` makes `project/.venv` and installs into it only the wheels in
`wheelhouse/`, each checked against the hashes in the requirements file. `install.py
lab` starts JupyterLab on this laptop only (127.0.0.1) and prints the address to
open; double-click a chapter in `chapters/` to open it as a notebook. Ctrl-C stops it.
{trainer_en}
## Serving the book to the room

On the trainer's laptop, in this folder: `python3 -m http.server --bind 0.0.0.0
--directory site 8000` (Windows: `py -m http.server ...`); participants on the
same network open `http://<trainer's address>:8000/`.

## Tiếng Việt

Đây là {who_vi}

- `site/`: sách đã dựng, cả hai ấn bản. Mở `site/index.html` bằng trình duyệt, không
  cần cài gì.
- `project/`: mã nguồn và dữ liệu, để mở các chương như notebook.
- `wheelhouse/`: các gói Python (wheel) cho CPython 3.11, 3.12, 3.13 trên Windows
  x86-64, macOS (Apple silicon và Intel), Linux x86-64 và aarch64.
- `install.py`: cài đặt dự án từ `wheelhouse/`, không cần mạng.

**Trước buổi học (mỗi máy):** cần cài sẵn Python 3.11, 3.12 hoặc 3.13 (gói này không
kèm Python): trên Windows và macOS tải từ python.org; trên Linux dùng `python3` của hệ
thống nếu đúng phiên bản, kèm `venv` (Debian, Ubuntu: `sudo apt install
python3-venv`). Chép cả thư mục đã giải nén vào máy; cần khoảng 1,5 GB dung lượng trống.

**Cài đặt không cần mạng:** mở cửa sổ dòng lệnh trong thư mục đã giải nén (thư mục có
`install.py`), rồi:

- **Windows** (PowerShell hoặc Command Prompt): `py -3.12 install.py{flag}`, sau đó
  `py install.py lab` (dùng `py -3.11` hoặc `py -3.13` tùy bản đã cài; `py --list`
  liệt kê các bản).
- **macOS** (Terminal): `python3 install.py{flag}`, sau đó `python3 install.py lab`
  (dùng `python3.12 install.py{flag}` nếu `python3` cũ hơn 3.11).
- **Linux**: `python3 install.py{flag}`, sau đó `python3 install.py lab`.

`install.py` tạo `project/.venv` và chỉ cài các gói có trong `wheelhouse/`, mỗi gói
được kiểm tra mã băm. `install.py lab` mở JupyterLab trên chính máy này (127.0.0.1)
và in ra địa chỉ cần mở; nhấp đúp vào một chương trong `chapters/` để mở nó như một
notebook. Nhấn Ctrl-C để dừng.

**Phục vụ sách cho cả lớp** từ máy giảng viên, trong thư mục này: `python3 -m
http.server --bind 0.0.0.0 --directory site 8000`; học viên cùng mạng mở
`http://<địa chỉ máy giảng viên>:8000/`.
"""
