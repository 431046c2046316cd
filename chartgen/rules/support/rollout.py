"""How a Deployment rolls out: extra pods it starts (surge) and pods it may stop (unavailable)."""

from __future__ import annotations

from typing import Any

from chartgen.rules.support.objects import Workload, lookup, mapping
from chartgen.rules.support.quantities import scaled

DEFAULT_SURGE = "25%"
DEFAULT_UNAVAILABLE = "25%"


def strategy(workload: Workload) -> dict[str, Any]:
    return mapping(lookup(workload.obj.data, "/spec/strategy"))


def surge_and_unavailable(workload: Workload, replicas: int) -> tuple[int, int]:
    """Pods started above / stopped below `replicas` during a Deployment rollout (0, 0 if none)."""
    current = strategy(workload)
    if workload.kind != "Deployment" or current.get("type", "RollingUpdate") != "RollingUpdate":
        return 0, 0
    rolling = mapping(current.get("rollingUpdate"))
    total = max(replicas, 1)
    surge = scaled(rolling.get("maxSurge", DEFAULT_SURGE), total, round_up=True) or 0
    unavailable = (
        scaled(rolling.get("maxUnavailable", DEFAULT_UNAVAILABLE), total, round_up=False) or 0
    )
    return surge, unavailable


def surge_pointer(workload: Workload) -> str:
    current = strategy(workload)
    if "maxSurge" in mapping(current.get("rollingUpdate")):
        return "/spec/strategy/rollingUpdate/maxSurge"
    return "/spec/strategy" if current else "/spec"
