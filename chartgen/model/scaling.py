"""Replicas, autoscaling, rollout strategy, disruption budget and spreading — decided together
so a rollout can never wait forever for a GPU that does not exist."""

from __future__ import annotations

from typing import Any

from chartgen.catalog.profiles import RuntimeProfile
from chartgen.model.plan import Obj, ScalingPlan

DEFAULT_TARGETS = {"queue-depth": 5, "cpu": 70, "memory": 80, "rps": 10}


def plan_scaling(
    runtime: RuntimeProfile,
    spec: dict[str, Any],
    *,
    gpus: int,
    rwo_shared_cache: bool,
    stateful: bool,
    startup_budget: int,
    keda_server: str,
) -> ScalingPlan:
    replicas = int(spec.get("replicas", 1))
    autoscaling = _autoscaling(runtime, spec.get("autoscaling", {}), startup_budget, keda_server)
    floor = int(autoscaling["minReplicas"]) if autoscaling["enabled"] else replicas
    ceiling = int(autoscaling["maxReplicas"]) if autoscaling["enabled"] else replicas
    strategy, reason = _strategy(
        spec, gpus=gpus, replicas=ceiling, rwo_shared_cache=rwo_shared_cache, stateful=stateful
    )
    disruption = spec.get("disruption", {})
    pdb_enabled = bool(disruption.get("enabled", floor >= 2))
    pdb = {"enabled": pdb_enabled, "maxUnavailable": int(disruption.get("maxUnavailable", 1))}
    spread_default = ceiling >= 2
    spread = (
        _topology_spread()
        if spec.get("scheduling", {}).get("topologySpread", spread_default)
        else []
    )
    return ScalingPlan(replicas, autoscaling, strategy, reason, pdb, spread, _spare_gpus(spec))


def _spare_gpus(spec: dict[str, Any]) -> int:
    return int(spec.get("rollout", {}).get("spareGpus", 0))


def _autoscaling(
    runtime: RuntimeProfile, spec: dict[str, Any], budget: int, keda_server: str
) -> Obj:
    signal = str(
        spec.get("signal", "queue-depth" if runtime.llm and runtime.queue_metric else "cpu")
    )
    to_zero = bool(spec.get("scaleToZero", False))
    activation = spec.get("activation", {})
    return {
        "enabled": bool(spec.get("enabled", False)),
        "engine": str(spec.get("engine", "keda" if to_zero else "hpa")),
        "minReplicas": 0 if to_zero else int(spec.get("minReplicas", 1)),
        "maxReplicas": int(spec.get("maxReplicas", max(2, int(spec.get("minReplicas", 1))))),
        "signal": signal,
        "metric": runtime.queue_metric if signal == "queue-depth" else "",
        "target": _target(signal, spec.get("target", DEFAULT_TARGETS[signal])),
        "prometheusAddress": str(spec.get("prometheusAddress", keda_server)),
        "activation": {
            "query": str(activation.get("query", "")),
            "threshold": activation.get("threshold", 1),
            "serverAddress": str(
                activation.get("prometheusAddress", spec.get("prometheusAddress", keda_server))
            ),
        },
        "prometheusAuth": {
            "secretName": str(spec.get("prometheusAuth", {}).get("secretName", "")),
            "mode": str(spec.get("prometheusAuth", {}).get("mode", "bearer")),
        },
        # New pods need the whole startup budget before they take load: one scale-up decision
        # per budget window, and keep pods that were expensive to load for at least as long.
        "scaleUpPeriodSeconds": min(budget, 1800),
        "scaleDownStabilizationSeconds": max(300, min(budget, 3600)),
        "cooldownPeriod": max(300, min(budget, 3600)),
    }


def _target(signal: str, target: float) -> float:
    """Utilisation targets are integer percents in the HPA API: 70.0 is written 70."""
    if signal in ("cpu", "memory") and float(target).is_integer():
        return int(target)
    return target


def _strategy(
    spec: dict[str, Any], *, gpus: int, replicas: int, rwo_shared_cache: bool, stateful: bool
) -> tuple[Obj, str]:
    if stateful:
        return {
            "type": "RollingUpdate"
        }, "StatefulSet replaces one pod at a time: never needs a spare GPU"
    spare = _spare_gpus(spec)
    if gpus and spare >= gpus and not rwo_shared_cache:
        return _rolling(
            surge=1, unavailable=0
        ), f"{spare} spare GPUs declared: surge one replica at a time"
    if rwo_shared_cache or (gpus and replicas <= 1):
        why = (
            "ReadWriteOnce cache cannot attach twice"
            if rwo_shared_cache
            else "one GPU replica and no spare GPU"
        )
        return {"type": "Recreate"}, f"{why}: replace the pod in place"
    if gpus:
        return _rolling(
            surge=0, unavailable=1
        ), "no spare GPU: take one replica down, then start its successor"
    return _rolling(surge="25%", unavailable=0), "CPU-only: surge without losing capacity"


def _rolling(*, surge: int | str, unavailable: int | str) -> Obj:
    return {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
    }


def _topology_spread() -> list[Obj]:
    return [
        {
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "ScheduleAnyway",
        },
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
        },
    ]
