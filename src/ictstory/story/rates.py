"""Arithmetic on growth rates that chapters explain in prose."""

from __future__ import annotations

import math


def doubling_years(rate_percent: float) -> float:
    """Years for a quantity growing ``rate_percent`` a year to double: 15 -> 4.96."""
    return math.log(2) / math.log(1 + rate_percent / 100)
