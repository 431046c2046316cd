"""YAML 1.2 scalars to JSON values; a ValueError carries the message for the user."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def integer(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        pass
    try:
        return int(text.replace("_", ""), 10)  # YAML 1.2 reads 017 as decimal 17
    except ValueError:
        raise ValueError(f"invalid integer {text!r}") from None


def finite_float(text: str) -> float:
    if text.lstrip("+-").lower() in (".inf", ".nan"):
        raise ValueError(f"{text!r} is not a finite number (JSON has no infinity or NaN)")
    try:
        number = float(text.replace("_", ""))
    except ValueError:
        raise ValueError(f"invalid number {text!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number (JSON has no infinity or NaN)")
    return number


def null(text: str) -> None:
    return None


SCALAR_READERS: dict[str, Callable[[str], Any]] = {  # YAML core tag suffix -> reader
    "str": str,
    "int": integer,
    "float": finite_float,
    "bool": lambda text: text.lower() == "true",
    "null": null,
    "timestamp": str,  # dates stay the text the user wrote
}
