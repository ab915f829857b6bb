"""Find the numbers in Vietnamese text, with their scale words.

Vietnamese writes ``.`` between groups of thousands and ``,`` before decimals
(``4.162`` = 4162, ``30,86%`` = 30.86), and puts the scale in words after the
digits: ``nghìn``/``ngàn`` (thousand), ``triệu`` (million), ``tỷ`` (billion) and
``nghìn tỷ`` (trillion). Small numbers are sometimes words (``bốn`` = 4,
``gấp đôi`` = doubled = 2).

>>> [n.value for n in parse_numbers("đạt 2,6 triệu tin nhắn, tăng 67,8%")]
[2600000.0, 67.8]
>>> [n.value for n in parse_numbers("Doanh thu 2.263 tỷ đồng (~ 97,8 tỷ USD)")]
[2263000000000.0, 97800000000.0]
>>> [(n.value, n.high) for n in parse_numbers("gấp 2-3 lần")]
[(2.0, 3.0), (3.0, None)]

:func:`parse_numbers` is deliberately generous: it also returns numbers of
dates, ordinals and phone numbers (``06/7/2020`` gives 6, 7 and 2020), and
``mức độ 3,4`` (levels 3 and 4) reads as 3.4. It is meant for checking that a
stated value occurs in a quotation, not for understanding the sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "SCALES",
    "UNIT_SCALES",
    "VNNumber",
    "contains_value",
    "parse_numbers",
    "parse_vn_numeral",
    "unit_scale",
]

#: Scale words, longest first so that ``nghìn tỷ`` wins over ``nghìn``.
SCALES: dict[str, float] = {
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "tỷ": 1e9,
    "tỉ": 1e9,
    "triệu": 1e6,
    "nghìn": 1e3,
    "ngàn": 1e3,
}

#: Multiplier from a ``figures.unit`` value to a plain number.
UNIT_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "VND million": 1e6,
    "VND billion": 1e9,
    "USD million": 1e6,
    "USD billion": 1e9,
}

#: Number words, with the words after them that show another meaning.
_WORDS: dict[str, int] = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_NOT_NUMBER_AFTER: dict[str, set[str]] = {
    # "năm" is also "year": năm 2020, năm nay, 5 năm qua, mỗi năm ...
    "năm": {"nay", "qua", "đầu", "tới", "sau", "trước", "ngoái", "học", "mới", "cuối", "tài"},
    # "một số" = some, "một cách" = in a way, "một trong" = one of, "một mặt" = on one hand
    "một": {"số", "cách", "trong", "mặt", "sự", "khi", "lúc", "lần"},
}
_NOT_NUMBER_BEFORE: dict[str, set[str]] = {
    "năm": {
        "mỗi",
        "hàng",
        "các",
        "những",
        "cả",
        "trong",
        "của",
        "vào",
        "từng",
        "/",
        "cùng",
        "đầu",
        "cuối",
        "giữa",
        "lâu",
        "nhiều",
        "là",
        "tháng",
    },
}

_DIGITS = r"(?<![\d.,])(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?(?![\d])"
_SCALE = r"(?:\s*(?P<scale>nghìn tỷ|ngàn tỷ|tỷ|tỉ|triệu|nghìn|ngàn)(?!\s*lệ)(?![\wÀ-ỹ]))?"
_RANGE = r"(?:\s*[-–]\s*(?P<high>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<hdec>\d+))?(?![\d]))?"
_NUM_RE = re.compile(_DIGITS + _RANGE + _SCALE)
_WORD_RE = re.compile(
    r"(?<![\wÀ-ỹ])(?P<word>"
    + "|".join(_WORDS)
    + r")(?![\wÀ-ỹ])"
    + r"(?:\s+(?P<scale>nghìn tỷ|ngàn tỷ|tỷ|tỉ|triệu|nghìn|ngàn)(?![\wÀ-ỹ]))?",
    re.IGNORECASE,
)
_DOUBLE_RE = re.compile(r"(?<![\wÀ-ỹ])(?:gấp|tăng) đôi(?![\wÀ-ỹ])", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[\wÀ-ỹ]+|/", re.UNICODE)


@dataclass(frozen=True)
class VNNumber:
    """A number found in a text: its value with the scale applied.

    ``high`` is the scaled upper end when the number opens a range (``700-1000``,
    ``2-3 lần``, ``20-30 triệu``); the upper end is also returned on its own.
    """

    value: float
    text: str
    start: int
    end: int
    scale: float = 1.0
    percent: bool = False
    high: float | None = None


def parse_vn_numeral(digits: str) -> float:
    """Read one Vietnamese numeral without scale: ``4.162`` -> 4162, ``30,86`` -> 30.86."""
    digits = digits.strip()
    if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", digits):
        raise ValueError(f"not a Vietnamese numeral: {digits!r}")
    return float(digits.replace(".", "").replace(",", "."))


def _number(integer: str, decimals: str | None) -> float:
    """The float of an integer part with thousands dots and optional decimals."""
    text = integer.replace(".", "")
    return float(f"{text}.{decimals}") if decimals else float(text)


def _word_is_number(text: str, match: re.Match[str]) -> bool:
    """Whether a number word is used as a number here (heuristic)."""
    word = match.group("word").lower()
    after = _TOKEN_RE.findall(text[match.end("word") :])[:1]
    before = _TOKEN_RE.findall(text[: match.start("word")])[-1:]
    if after and after[0].lower() in _NOT_NUMBER_AFTER.get(word, set()):
        return False
    if before and before[0].lower() in _NOT_NUMBER_BEFORE.get(word, set()):
        return False
    if word == "năm":
        # a year follows ("năm 2020") or a number precedes ("5 năm")
        if after and after[0].isdigit():
            return False
        if before and before[0].isdigit():
            return False
        if not after:
            return False
    return True


def parse_numbers(text: str) -> list[VNNumber]:
    """Every number in ``text``, in order of appearance, with scales applied."""
    found: list[VNNumber] = []
    for m in _NUM_RE.finditer(text):
        scale = SCALES[m.group("scale")] if m.group("scale") else 1.0
        tail = text[m.end() : m.end() + 2].lstrip()
        percent = tail.startswith("%")
        high = None
        if m.group("high"):
            high = _number(m.group("high"), m.group("hdec")) * scale
        found.append(
            VNNumber(
                value=_number(m.group("int"), m.group("dec")) * scale,
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                scale=scale,
                percent=percent,
                high=high,
            )
        )
        if high is not None:
            found.append(
                VNNumber(
                    value=high,
                    text=m.group(0),
                    start=m.start("high"),
                    end=m.end(),
                    scale=scale,
                    percent=percent,
                )
            )
    for m in _WORD_RE.finditer(text):
        if not _word_is_number(text, m):
            continue
        scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1.0
        found.append(
            VNNumber(
                value=_WORDS[m.group("word").lower()] * scale,
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                scale=scale,
            )
        )
    for m in _DOUBLE_RE.finditer(text):
        found.append(VNNumber(value=2.0, text=m.group(0), start=m.start(), end=m.end()))
    return sorted(found, key=lambda n: (n.start, n.end))


def unit_scale(unit: str) -> float:
    """Multiplier that turns a value stored in ``unit`` into a plain number."""
    return UNIT_SCALES.get(unit, 1.0)


def contains_value(text: str, value: float, unit: str = "count", rel_tol: float = 1e-9) -> bool:
    """Whether ``abs(value)`` in ``unit`` is among the numbers of ``text``."""
    wanted = abs(value) * unit_scale(unit)
    return any(math.isclose(n.value, wanted, rel_tol=rel_tol) for n in parse_numbers(text))
