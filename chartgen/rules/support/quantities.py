"""Lenient readings of Kubernetes quantities, int-or-percent values and durations, as rules need them.

Rules read rendered manifests that may be wrong in any way, so every reader here returns None for a
value it cannot understand instead of raising: another rule or the schema check reports that.
"""

from __future__ import annotations

import math
import re
from typing import Any

from chartgen.quantity import GIB, parse_quantity

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_DURATION_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def quantity(value: Any) -> float | None:
    """`16Gi` -> 17179869184.0, `500m` -> 0.5, anything unreadable -> None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return parse_quantity(value)
    except ValueError:
        return None


def quantity_gib(value: Any) -> float | None:
    amount = quantity(value)
    return None if amount is None else amount / GIB


def integer(value: Any) -> int | None:
    """An integer field that templates may render as a string (`"30"`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def scaled(value: Any, total: int, *, round_up: bool) -> int | None:
    """An int-or-percent field (`maxSurge: 25%`) resolved against `total` the way Kubernetes does."""
    if isinstance(value, str) and value.endswith("%"):
        number = integer(value[:-1])
        if number is None:
            return None
        exact = number * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return integer(value)


_HAPROXY_TIME = re.compile(r"([1-9][0-9]*)(us|ms|s|m|h|d)?")
_HAPROXY_UNIT_SECONDS = {"us": 1e-6, "ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def haproxy_seconds(value: Any) -> float | None:
    """An OpenShift router timeout annotation in seconds, None where the router ignores it: it
    accepts `[1-9][0-9]*(us|ms|s|m|h|d)?` and HAProxy reads a bare number as milliseconds
    (openshift/router images/router/haproxy/conf/haproxy-config.template, $timeSpecPattern)."""
    match = _HAPROXY_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    return int(match.group(1)) * _HAPROXY_UNIT_SECONDS[match.group(2) or "ms"]


def duration_seconds(value: Any) -> float | None:
    """Gateway API / Go durations: `600s`, `10m`, `1h30m`; plain numbers are seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(number) * _DURATION_SECONDS[unit] for number, unit in parts)
