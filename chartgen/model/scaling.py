"""Replicas, autoscaling, rollout strategy, disruption budget and spreading — decided together
so a rollout can never wait forever for a GPU that does not exist."""

from __future__ import annotations

from typing import Any

from chartgen.catalog.profiles import RuntimeProfile
from chartgen.model.plan import (
    ActivationPlan,
    AutoscalingPlan,
    DisruptionBudgetPlan,
    ScalingPlan,
    SpreadConstraint,
    StrategyPlan,
)

DEFAULT_TARGETS = {"queue-depth": 5, "cpu": 70, "memory": 80, "rps": 10}
# Zones first, then nodes; ScheduleAnyway: GPU pools are often in one zone.
SPREAD = (
    SpreadConstraint("topology.kubernetes.io/zone"),
    SpreadConstraint("kubernetes.io/hostname"),
)


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
    floor = autoscaling.min_replicas if autoscaling.enabled else replicas
    ceiling = autoscaling.max_replicas if autoscaling.enabled else replicas
    strategy, reason = _strategy(
        spec, gpus=gpus, replicas=ceiling, rwo_shared_cache=rwo_shared_cache, stateful=stateful
    )
    disruption = spec.get("disruption", {})
    pdb_enabled = bool(disruption.get("enabled", floor >= 2))
    pdb = DisruptionBudgetPlan(pdb_enabled, int(disruption.get("maxUnavailable", 1)))
    spread_default = ceiling >= 2
    spread = SPREAD if spec.get("scheduling", {}).get("topologySpread", spread_default) else ()
    return ScalingPlan(replicas, autoscaling, strategy, reason, pdb, spread, _spare_gpus(spec))


def _spare_gpus(spec: dict[str, Any]) -> int:
    return int(spec.get("rollout", {}).get("spareGpus", 0))


def _autoscaling(
    runtime: RuntimeProfile, spec: dict[str, Any], budget: int, keda_server: str
) -> AutoscalingPlan:
    signal = str(
        spec.get("signal", "queue-depth" if runtime.llm and runtime.queue_metric else "cpu")
    )
    to_zero = bool(spec.get("scaleToZero", False))
    activation = spec.get("activation", {})
    auth = spec.get("prometheusAuth", {})
    return AutoscalingPlan(
        enabled=bool(spec.get("enabled", False)),
        engine=str(spec.get("engine", "keda" if to_zero else "hpa")),
        min_replicas=0 if to_zero else int(spec.get("minReplicas", 1)),
        max_replicas=int(spec.get("maxReplicas", max(2, int(spec.get("minReplicas", 1))))),
        signal=signal,
        metric=runtime.queue_metric if signal == "queue-depth" else "",
        target=_target(signal, spec.get("target", DEFAULT_TARGETS[signal])),
        prometheus_address=str(spec.get("prometheusAddress", keda_server)),
        activation=ActivationPlan(
            query=str(activation.get("query", "")),
            threshold=activation.get("threshold", 1),
            server_address=str(
                activation.get("prometheusAddress", spec.get("prometheusAddress", keda_server))
            ),
        ),
        prometheus_auth_secret=str(auth.get("secretName", "")),
        prometheus_auth_mode=str(auth.get("mode", "bearer")),
        # New pods need the whole startup budget before they take load: one scale-up decision
        # per budget window, and keep pods that were expensive to load for at least as long.
        scale_up_period_seconds=min(budget, 1800),
        scale_down_stabilization_seconds=max(300, min(budget, 3600)),
        cooldown_period_seconds=max(300, min(budget, 3600)),
    )


def _target(signal: str, target: float) -> float:
    """Utilisation targets are integer percents in the HPA API: 70.0 is written 70."""
    if signal in ("cpu", "memory") and float(target).is_integer():
        return int(target)
    return target


def _strategy(
    spec: dict[str, Any], *, gpus: int, replicas: int, rwo_shared_cache: bool, stateful: bool
) -> tuple[StrategyPlan, str]:
    if stateful:
        return StrategyPlan(
            "RollingUpdate"
        ), "StatefulSet replaces one pod at a time: never needs a spare GPU"
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
        return StrategyPlan("Recreate"), f"{why}: replace the pod in place"
    if gpus:
        return _rolling(
            surge=0, unavailable=1
        ), "no spare GPU: take one replica down, then start its successor"
    return _rolling(surge="25%", unavailable=0), "CPU-only: surge without losing capacity"


def _rolling(*, surge: int | str, unavailable: int | str) -> StrategyPlan:
    return StrategyPlan("RollingUpdate", max_surge=surge, max_unavailable=unavailable)
