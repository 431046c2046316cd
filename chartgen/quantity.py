"""Kubernetes resource quantities: parse to numbers, format back the way Kubernetes writes them."""

from __future__ import annotations

import math
import re

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": 1e-9,
    "u": 1e-6,
    "m": 1e-3,
    "": 1.0,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
}
_QUANTITY = re.compile(
    r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$"
)
GIB = 2**30


def parse_quantity(text: str | int | float) -> float:
    """`16Gi` -> 17179869184.0, `500m` -> 0.5; raises ValueError on malformed input."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    match = _QUANTITY.match(str(text).strip())
    if not match:
        raise ValueError(f"not a Kubernetes quantity: {text!r}")
    number, suffix = float(match.group(1)), match.group(2) or ""
    return number * (_BINARY.get(suffix) or _DECIMAL[suffix])


def gib(text: str | int | float) -> float:
    return parse_quantity(text) / GIB


def format_gib(value: float) -> str:
    """Bytes expressed in GiB, rounded up to whole Mi when not a whole GiB: `80Gi`, `1536Mi`."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value)}Gi"
    return f"{math.ceil(value * 1024)}Mi"
