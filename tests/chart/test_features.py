"""Per-feature assertions on the rendered objects of the example charts (not only golden files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chartgen.quantity import gib
from tests.chart.helpers import (
    GENERATED,
    find,
    helm_template,
    objects,
    pod_spec,
    pod_template,
    workload_of,
)


@pytest.fixture(scope="module")
def rendered(helm3: Path) -> dict[str, list[dict[str, Any]]]:
    charts = sorted(p for p in GENERATED.iterdir() if (p / "Chart.yaml").exists())
    out = {}
    for chart in charts:
        done = helm_template(helm3, chart)
        assert done.returncode == 0, done.stderr
        out[chart.name] = objects(done.stdout)
    return out


def server(objs: list[dict[str, Any]]) -> dict[str, Any]:
    container: dict[str, Any] = pod_spec(objs)["containers"][0]
    return container


def test_four_gpu_vllm_is_consistent(rendered: dict[str, list[dict[str, Any]]]) -> None:
    objs = rendered["llama-70b"]
    container, pod = server(objs), pod_spec(objs)
    args = container["args"]
    assert args[args.index("--tensor-parallel-size") + 1] == "4"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 4
    assert container["resources"]["requests"]["nvidia.com/gpu"] == 4
    shm = next(v for v in pod["volumes"] if v["name"] == "shm")
    assert shm["emptyDir"]["medium"] == "Memory"
    assert {"name": "shm", "mountPath": "/dev/shm"} in container["volumeMounts"]
    memory_limit = gib(container["resources"]["limits"]["memory"])
    assert memory_limit == 200 + gib(shm["emptyDir"]["sizeLimit"])


def test_single_gpu_replica_rolls_out_without_a_spare_gpu(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    deployment = find(rendered["llama-70b"], "Deployment")
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert deployment["spec"]["replicas"] == 1


def test_autoscaled_workload_omits_replicas_and_scales_on_queue(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    objs = rendered["llama-8b"]  # per-replica cache claims (issue 11 finding 4): a StatefulSet
    workload = find(objs, "StatefulSet")
    assert "replicas" not in workload["spec"]
    assert workload["spec"]["updateStrategy"]["type"] == "RollingUpdate"
    hpa = find(objs, "HorizontalPodAutoscaler")
    assert hpa["spec"]["metrics"][0]["pods"]["metric"]["name"] == "vllm:num_requests_waiting"
    assert find(objs, "PodDisruptionBudget")["spec"]["maxUnavailable"] == 1


def test_probe_budgets_cover_model_load(rendered: dict[str, list[dict[str, Any]]]) -> None:
    for name, objs in rendered.items():
        workload = workload_of(objs)
        container = server(objs)
        startup = container["startupProbe"]
        budget = startup["periodSeconds"] * startup["failureThreshold"]
        assert budget >= 300, name
        if workload["kind"] == "Deployment":
            assert workload["spec"]["progressDeadlineSeconds"] >= budget, name
        grace = pod_template(workload)["spec"]["terminationGracePeriodSeconds"]
        handler = container["lifecycle"]["preStop"]
        pre_stop = int(
            handler["sleep"]["seconds"] if "sleep" in handler else handler["exec"]["command"][1]
        )
        assert grace > pre_stop, name


def test_mig_resource_names_per_platform(rendered: dict[str, list[dict[str, Any]]]) -> None:
    operator = server(rendered["phi-mig"])["resources"]["limits"]
    assert operator.get("nvidia.com/mig-3g.40gb") == 1 and "nvidia.com/gpu" not in operator
    gke_pod = pod_spec(rendered["phi-gke-mig"])
    assert server(rendered["phi-gke-mig"])["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert gke_pod["nodeSelector"]["cloud.google.com/gke-gpu-partition-size"] == "3g.40gb"


def test_platform_scheduling(rendered: dict[str, list[dict[str, Any]]]) -> None:
    aks = pod_spec(rendered["mistral-tgi"])
    assert any(t.get("key") == "sku" and t.get("value") == "gpu" for t in aks["tolerations"])
    for name in ("qwen-sglang", "qwen-on-demand", "llama-70b"):
        assert "runtimeClassName" not in pod_spec(rendered[name]), name
    assert "runAsUser" not in pod_spec(rendered["bert-tfserving"])["securityContext"]


def test_scale_to_zero_uses_keda_with_an_activation_trigger(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    scaled = find(rendered["qwen-on-demand"], "ScaledObject")
    assert scaled["spec"]["minReplicaCount"] == 0
    queries = [t["metadata"]["query"] for t in scaled["spec"]["triggers"]]
    assert any("vllm:num_requests_waiting" in q for q in queries)
    assert any("envoy_cluster_upstream_rq_total" in q for q in queries)


def test_per_replica_cache_uses_a_statefulset(rendered: dict[str, list[dict[str, Any]]]) -> None:
    statefulset = find(rendered["gemma-spot"], "StatefulSet")
    claims = statefulset["spec"]["volumeClaimTemplates"]
    assert claims[0]["metadata"]["name"] == "cache"
    assert statefulset["spec"]["replicas"] == 3


def test_restricted_security_defaults(rendered: dict[str, list[dict[str, Any]]]) -> None:
    for name, objs in rendered.items():
        pod, container = pod_spec(objs), server(objs)
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name
        env = container.get("env", [])
        assert not [e for e in env if "TOKEN" in e["name"] and "value" in e], name


def test_ingress_allows_streaming(rendered: dict[str, list[dict[str, Any]]]) -> None:
    ingress = find(rendered["qwen-sglang"], "Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 300
    route = find(rendered["llama-70b"], "HTTPRoute")
    assert route["spec"]["rules"][0]["timeouts"]["request"].endswith("s")
