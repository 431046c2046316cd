"""Findings 8 and 9: KEDA wake-up separate from scale-out, authenticated Prometheus, budgets,
scale-up speed, alerts during rollouts, double scraping and the labels queries select on."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.charts import (
    new_build,
    new_chart,
    of_kind,
    old_build,
    old_chart,
    render,
    server_container,
)

WAKE = re.compile(r"max\(\((?P<query>.+)\) > bool (?P<threshold>[0-9.]+)\)")


def wake_value(query: str, traffic: float) -> float:
    """The value KEDA reads from a wake trigger's query when the underlying traffic query
    returns `traffic`: PromQL `x > bool t` is 1 when x > t, else 0."""
    found = WAKE.fullmatch(query)
    if found:
        return 1.0 if traffic > float(found.group("threshold")) else 0.0
    return traffic


def replicas_asked_by_wake_trigger(objs: list[dict[str, Any]], traffic: float) -> int:
    """What the wake trigger alone makes the HPA ask for (AverageValue: ceil(value / threshold))."""
    (scaled,) = of_kind(objs, "ScaledObject")
    wake = scaled["spec"]["triggers"][-1]["metadata"]
    assert "envoy_cluster_upstream_rq_total" in wake["query"]
    value = wake_value(wake["query"], traffic)
    assert value > float(wake.get("activationThreshold", 0)), "traffic must wake the service"
    return math.ceil(value / float(wake["threshold"]))


def test_wake_trigger_asks_for_one_replica(helm3: Path) -> None:
    objs = render(helm3, new_chart("qwen-on-demand"))
    assert replicas_asked_by_wake_trigger(objs, 3.0) == 1
    assert replicas_asked_by_wake_trigger(objs, 300.0) == 1


def test_wake_trigger_drove_scale_out_before(helm3: Path, tmp_path: Path) -> None:
    old = render(helm3, old_chart("qwen-on-demand", tmp_path))
    assert replicas_asked_by_wake_trigger(old, 3.0) == 3  # 3 GPU replicas for 3 req/s


AUTH_SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata: {name: keda-auth}
spec:
  runtime: vllm
  model: {source: 'hf://Qwen/Qwen2.5-7B-Instruct@main', sizeGiB: 15}
  resources: {gpu: {count: 1, product: A10G}}
  autoscaling:
    enabled: true
    scaleToZero: true
    maxReplicas: 3
    prometheusAuth: {secretName: prometheus-token}
    activation: {query: 'sum(rate(http_requests_total[2m]))'}
"""


def assert_triggers_authenticate(objs: list[dict[str, Any]]) -> None:
    (scaled,) = of_kind(objs, "ScaledObject")
    (auth,) = of_kind(objs, "TriggerAuthentication")
    for trigger in scaled["spec"]["triggers"]:
        assert trigger["authenticationRef"]["name"] == auth["metadata"]["name"]
        assert trigger["metadata"]["authModes"] == "bearer"
    (ref,) = auth["spec"]["secretTargetRef"]
    assert ref == {"parameter": "bearerToken", "name": "prometheus-token", "key": "token"}


def test_authenticated_prometheus_gets_a_trigger_authentication(
    helm3: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(AUTH_SPEC)
    assert_triggers_authenticate(render(helm3, new_build(spec, tmp_path)))


def test_authenticated_prometheus_was_not_expressible(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(AUTH_SPEC)
    with pytest.raises(AssertionError, match="prometheusAuth"):
        old_build(spec, tmp_path)


def startup_seconds(objs: list[dict[str, Any]]) -> int:
    probe = server_container(objs)["startupProbe"]
    return int(probe["periodSeconds"]) * int(probe["failureThreshold"])


def test_startup_budget_leaves_the_download_to_the_job(helm3: Path) -> None:
    objs = render(helm3, new_chart("llama-70b"))  # 140 GiB, download: job
    assert of_kind(objs, "Job")
    load_only = math.ceil((180 + 140 * 1024 / 400) * 1.5 / 60) * 60
    assert startup_seconds(objs) == load_only == 840
    workload = next(o for o in objs if o["kind"] == "Deployment")
    assert workload["spec"]["progressDeadlineSeconds"] >= 600 + 140 * 1024 / 100 + load_only


def test_startup_budget_counted_the_download_before(helm3: Path, tmp_path: Path) -> None:
    assert startup_seconds(render(helm3, old_chart("llama-70b", tmp_path))) == 3000


def scale_up_seconds(objs: list[dict[str, Any]], start: int, goal: int) -> int:
    """Time the HPA's scale-up policies need to go from `start` to `goal` replicas."""
    (hpa,) = of_kind(objs, "HorizontalPodAutoscaler")
    policies = hpa["spec"]["behavior"]["scaleUp"]["policies"]
    seconds, replicas = 0, start
    while replicas < goal:
        step = max(
            p["value"] if p["type"] == "Pods" else math.ceil(replicas * p["value"] / 100)
            for p in policies
        )
        replicas = min(goal, replicas + step)
        seconds += 0 if replicas >= goal else min(p["periodSeconds"] for p in policies)
    return seconds


def test_scale_up_reaches_demand_in_one_decision(helm3: Path) -> None:
    objs = render(helm3, new_chart("llama-8b"))
    (hpa,) = of_kind(objs, "HorizontalPodAutoscaler")
    assert scale_up_seconds(objs, 1, hpa["spec"]["maxReplicas"]) == 0


def test_scale_up_added_one_pod_per_budget_before(helm3: Path, tmp_path: Path) -> None:
    old = render(helm3, old_chart("llama-8b", tmp_path))
    assert scale_up_seconds(old, 1, 3) >= 600


def no_ready_alert_for(objs: list[dict[str, Any]]) -> int:
    (rule,) = of_kind(objs, "PrometheusRule")
    alerts = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
    duration = alerts["ModelServerNoReadyReplicas"]["for"]
    assert duration.endswith("m")
    return int(duration[:-1]) * 60


def test_no_ready_alert_waits_out_a_recreate_rollout(helm3: Path) -> None:
    objs = render(helm3, new_chart("llama-70b"))
    workload = next(o for o in objs if o["kind"] == "Deployment")
    assert workload["spec"]["strategy"]["type"] == "Recreate"
    assert no_ready_alert_for(objs) > workload["spec"]["progressDeadlineSeconds"]


def test_no_ready_alert_fired_during_rollouts_before(helm3: Path, tmp_path: Path) -> None:
    old = render(helm3, old_chart("llama-70b", tmp_path))
    workload = next(o for o in old if o["kind"] == "Deployment")
    assert no_ready_alert_for(old) < workload["spec"]["progressDeadlineSeconds"]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Kubernetes label selector semantics (matchLabels and matchExpressions)."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def scraped_services(objs: list[dict[str, Any]]) -> list[str]:
    (monitor,) = of_kind(objs, "ServiceMonitor")
    return [
        s["metadata"]["name"]
        for s in of_kind(objs, "Service")
        if selects(monitor["spec"]["selector"], s["metadata"]["labels"])
    ]


def test_headless_service_is_not_scraped(helm3: Path) -> None:
    objs = render(helm3, new_chart("gemma-spot"))  # StatefulSet with a headless Service
    assert len(of_kind(objs, "Service")) == 2
    assert scraped_services(objs) == ["rel-gemma-spot"]


def test_headless_service_was_scraped_too_before(helm3: Path, tmp_path: Path) -> None:
    assert len(scraped_services(render(helm3, old_chart("gemma-spot", tmp_path)))) == 2


POD_MONITOR_SPEC = """\
apiVersion: chartgen/v1
kind: ModelService
metadata: {name: pod-scraped}
spec:
  runtime: vllm
  model: {source: 'hf://Qwen/Qwen2.5-7B-Instruct@main', sizeGiB: 15}
  resources: {gpu: {count: 1, product: A10G}}
  monitoring: {type: podmonitor}
"""


def assert_pod_series_carry_the_queried_service(objs: list[dict[str, Any]]) -> None:
    """Every `service="..."` the alerts and the dashboard select on is a label the PodMonitor
    puts on the series it scrapes."""
    (rule,) = of_kind(objs, "PrometheusRule")
    exprs = " ".join(r["expr"] for g in rule["spec"]["groups"] for r in g["rules"])
    (monitor,) = of_kind(objs, "PodMonitor")
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    added = {
        r["targetLabel"]: r["replacement"]
        for r in endpoint.get("relabelings", [])
        if not r.get("sourceLabels")
    }
    services = set(re.findall(r'service="([^"]+)"', exprs))
    assert services, "the vLLM alerts select on the service label"
    for service in services:
        assert added.get("service") == service, (services, added)
    dashboards = [c for c in of_kind(objs, "ConfigMap") if "dashboard" in c["metadata"]["name"]]
    text = "".join(v for d in dashboards for v in d["data"].values())
    assert 'service=\\"$service\\"' in text
    assert "service" in added


def test_pod_monitor_series_carry_the_service_label(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(POD_MONITOR_SPEC)
    assert_pod_series_carry_the_queried_service(render(helm3, new_build(spec, tmp_path)))


def test_pod_monitor_series_lacked_it_before(helm3: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(POD_MONITOR_SPEC)
    old = render(helm3, old_build(spec, tmp_path))
    with pytest.raises(AssertionError, match="service"):
        assert_pod_series_carry_the_queried_service(old)
