"""Computed, not guessed, timing: startup budget from model size, probes, drain and deadlines."""

from __future__ import annotations

import math
from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import Endpoint, RuntimeProfile
from chartgen.model.plan import DrainPlan, HttpProbe, ProbePlan

STARTUP_PERIOD_SECONDS = 10
SAFETY_FACTOR = 1.5
MIN_STARTUP_SECONDS = 300
IMAGE_PULL_SECONDS = (
    600  # serving images are 5-20 GB; a cold pull on a fresh GPU node takes minutes
)
PRE_STOP_SECONDS = 15  # lets endpoints and load balancers stop routing before the drain starts
GRACE_MARGIN_SECONDS = 15


def startup_budget(runtime: RuntimeProfile, size_gib: float, *, downloads: bool) -> tuple[int, str]:
    """Seconds a pod may take to become ready, and the arithmetic behind it (for a comment)."""
    load = size_gib * 1024 / runtime.load_throughput_mib_s
    speed = catalog.model_stores().download_mib_s
    fetch = size_gib * 1024 / speed if downloads else 0.0
    raw = (runtime.startup_base_seconds + load + fetch) * SAFETY_FACTOR
    budget = max(MIN_STARTUP_SECONDS, math.ceil(raw / 60) * 60)
    why = (
        f"({runtime.startup_base_seconds}s warm-up + {size_gib:g} GiB at {runtime.load_throughput_mib_s} MiB/s"
        + (f" + download at {speed} MiB/s" if downloads else "")
        + f") x {SAFETY_FACTOR}, at least {MIN_STARTUP_SECONDS}s"
    )
    return budget, why


def plan_probes(
    runtime: RuntimeProfile,
    spec: dict[str, Any],
    served_name: str,
    size_gib: float,
    downloads: bool,
    predownload: bool = False,
    join_seconds: int = 0,
) -> ProbePlan:
    """Probes and deadlines. `downloads`: the server fetches the weights itself, inside its startup
    budget. `predownload`: a Job fetches them while the pod waits in an init container, before any
    probe runs, so only the rollout's progress deadline covers that time."""
    probes = spec.get("probes", {})
    budget, why = startup_budget(runtime, size_gib, downloads=downloads)
    if join_seconds:  # a multi-node leader is ready only once every worker has joined
        budget, why = budget + join_seconds, f"{why}, + {join_seconds}s for the workers to join"
    if "startupBudgetSeconds" in probes:
        budget, why = int(probes["startupBudgetSeconds"]), "set in the spec"
    startup = _http_probe(
        runtime.startup,
        served_name,
        period=STARTUP_PERIOD_SECONDS,
        timeout=5,
        failures=math.ceil(budget / STARTUP_PERIOD_SECONDS),
    )
    readiness = _http_probe(
        runtime.readiness, served_name, **_timings(probes.get("readiness", {}), 10, 5, 3)
    )
    liveness = _http_probe(
        runtime.liveness, served_name, **_timings(probes.get("liveness", {}), 15, 5, 4)
    )
    speed = catalog.model_stores().download_mib_s
    fetch = math.ceil(size_gib * 1024 / speed * SAFETY_FACTOR / 60) * 60 if predownload else 0
    deadline = IMAGE_PULL_SECONDS + fetch + budget
    return ProbePlan(startup, readiness, liveness, budget, deadline, why)


def _timings(override: dict[str, Any], period: int, timeout: int, failures: int) -> dict[str, int]:
    return {
        "period": int(override.get("periodSeconds", period)),
        "timeout": int(override.get("timeoutSeconds", timeout)),
        "failures": int(override.get("failureThreshold", failures)),
    }


def _http_probe(
    endpoint: Endpoint, served_name: str, *, period: int, timeout: int, failures: int
) -> HttpProbe:
    return HttpProbe(
        path=endpoint.path.replace("{served_name}", served_name),
        port=endpoint.port,
        period_seconds=period,
        timeout_seconds=timeout,
        failure_threshold=failures,
    )


SLEEP_ACTION_SINCE = (1, 30)  # PodLifecycleSleepAction: beta and on by default in 1.30 (KEP-3960)


def plan_drain(runtime: RuntimeProfile, spec: dict[str, Any], kube_version: str) -> DrainPlan:
    """`exec sleep` fails on images without a sleep binary (distroless); the kubelet's own sleep
    handler needs no binary, from Kubernetes 1.30 on."""
    drain = int(spec.get("drain", {}).get("maxRequestSeconds", runtime.drain_seconds))
    major, minor = (int(part) for part in kube_version.split(".")[:2])
    grace = PRE_STOP_SECONDS + drain + GRACE_MARGIN_SECONDS
    return DrainPlan(PRE_STOP_SECONDS, drain, grace, (major, minor) >= SLEEP_ACTION_SINCE)
