"""Probe arithmetic with the Kubernetes defaults filled in."""

from __future__ import annotations

from typing import Any

from chartgen.rules.support.objects import mapping
from chartgen.rules.support.quantities import integer

PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "periodSeconds": 10,
    "failureThreshold": 3,
    "timeoutSeconds": 1,
}
HANDLERS = ("httpGet", "tcpSocket", "grpc")


def timing(probe: dict[str, Any], field: str) -> int:
    value = integer(probe.get(field))
    return PROBE_DEFAULTS[field] if value is None else value


def budget_seconds(probe: dict[str, Any]) -> int:
    """How long a container may stay unhealthy before this probe acts on it."""
    return timing(probe, "initialDelaySeconds") + timing(probe, "periodSeconds") * timing(
        probe, "failureThreshold"
    )


def http_path(probe: dict[str, Any]) -> str | None:
    get = probe.get("httpGet")
    return str(mapping(get).get("path") or "/") if isinstance(get, dict) else None


def port(probe: dict[str, Any]) -> tuple[str, Any] | None:
    """(handler, port value) of an httpGet, tcpSocket or grpc probe."""
    for handler in HANDLERS:
        section = probe.get(handler)
        if isinstance(section, dict) and "port" in section:
            return handler, section["port"]
    return None


_NO_OP_PROGRAMS = frozenset({"echo", "true", ":"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash"})


def cannot_fail(probe: dict[str, Any]) -> bool:
    """An exec probe that always succeeds (`echo TBD`, `true`, `sh -c 'echo ok'`): a chart's
    placeholder; it never kills the container, whatever its timing."""
    command = probe.get("exec", {}).get("command") if isinstance(probe.get("exec"), dict) else None
    if not isinstance(command, list) or not command:
        return False
    words = [str(word) for word in command]
    if words[0].rsplit("/", 1)[-1] in _SHELLS and len(words) == 3 and words[1] == "-c":
        script = words[2].strip()
        if any(mark in script for mark in (";", "&", "|", "$(", "`", "\n")):
            return False
        words = script.split() or [""]
    return words[0].rsplit("/", 1)[-1] in _NO_OP_PROGRAMS
