"""Each runtime's example chart and each platform's GPU scheduling, checked against the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen import catalog
from chartgen.model.resolve import declared_runtime
from tests.chart.helpers import GENERATED, find, helm_template, objects, pod_spec

RUNTIME_EXAMPLES = {
    "vllm": "llama-8b",
    "sglang": "qwen-sglang",
    "triton": "yolo-detector",
    "tgi": "mistral-tgi",
    "torchserve": "resnet-cpu",
    "tfserving": "bert-tfserving",
    "custom": "embeddings",
}


def render_chart(helm: Path, chart: Path) -> list[dict[str, Any]]:
    done = helm_template(helm, chart)
    assert done.returncode == 0, done.stderr
    return objects(done.stdout)


@pytest.mark.parametrize("runtime_name", sorted(RUNTIME_EXAMPLES))
def test_runtime_example_matches_profile(helm3: Path, runtime_name: str) -> None:
    chart = GENERATED / RUNTIME_EXAMPLES[runtime_name]
    spec = yaml.safe_load(
        next(
            p
            for p in (GENERATED.parent / "examples").glob("*.yaml")
            if yaml.safe_load(p.read_text())["metadata"]["name"] == chart.name
        ).read_text()
    )
    # runtime custom: the spec's declared ports and paths replace the profile's placeholders
    profile = declared_runtime(catalog.runtime(runtime_name), spec["spec"].get("custom", {}))
    objs = render_chart(helm3, chart)
    container = pod_spec(objs)["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    custom_ports = spec["spec"].get("custom", {}).get("ports", {})
    assert ports["http"] == custom_ports.get("http", profile.ports.http)
    for probe, endpoint in (
        ("startupProbe", profile.startup),
        ("readinessProbe", profile.readiness),
        ("livenessProbe", profile.liveness),
    ):
        served = spec["spec"]["model"].get("servedName", chart.name)
        assert container[probe]["httpGet"]["path"] == endpoint.path.replace(
            "{served_name}", served
        ), probe
        assert container[probe]["httpGet"]["port"] in ports, probe
    assert container["livenessProbe"]["httpGet"]["path"] not in profile.never_liveness
    monitor = next(o for o in objs if o["kind"] in ("ServiceMonitor", "PodMonitor"))
    endpoint = (monitor["spec"].get("endpoints") or monitor["spec"]["podMetricsEndpoints"])[0]
    assert endpoint["path"] == profile.metrics.path
    if runtime_name != "custom":
        assert_model_args(profile, container, spec)


def assert_model_args(
    profile: catalog.RuntimeProfile, container: dict[str, Any], spec: dict[str, Any]
) -> None:
    args, env = (
        container.get("args", []),
        {e["name"]: e.get("value") for e in container.get("env", [])},
    )
    model_key = "model" if "model" in profile.args else "model_repository"
    mapping = profile.args[model_key]
    if mapping.env:
        assert mapping.env in env
    elif mapping.style == "equals":
        assert any(a.startswith(f"{mapping.flag}=") for a in args)
    elif mapping.style != "positional":
        assert mapping.flag in args
    gpus = spec["spec"].get("resources", {}).get("gpu", {}).get("count", 0)
    tp = profile.args.get("tensor_parallel")
    if gpus > 1 and tp:
        if tp.env:
            assert env[tp.env] == str(gpus)
        else:
            assert args[args.index(tp.flag) + 1] == str(gpus)


def test_llm_autoscaling_metric_is_the_profile_queue_metric(helm3: Path) -> None:
    objs = render_chart(helm3, GENERATED / "llama-8b")
    hpa = find(objs, "HorizontalPodAutoscaler")
    assert (
        hpa["spec"]["metrics"][0]["pods"]["metric"]["name"] == catalog.runtime("vllm").queue_metric
    )


GPU_VARIANTS = {
    "1-gpu": {"count": 1, "product": "A100-80GB"},
    "4-gpu": {"count": 4, "product": "A100-80GB"},
    "mig": {"count": 1, "product": "A100-80GB", "mig": "3g.40gb"},
}


POOLS = [
    (platform, pool)
    for platform in catalog.platform_names()
    for pool in catalog.platform(platform).node_pools
]


@pytest.mark.parametrize("variant", sorted(GPU_VARIANTS))
@pytest.mark.parametrize(("platform_name", "pool_name"), POOLS, ids=[f"{p}-{n}" for p, n in POOLS])
def test_gpu_pod_fits_a_node_of_each_pool_or_the_spec_is_refused(
    platform_name: str, pool_name: str, variant: str, tmp_path: Path
) -> None:
    """The rendered pod would be bound to the variant's GPU node (catalog.nodes.gpu_node): its
    node selector is among the node's labels, its instance-type affinity names the node's type,
    it tolerates the node's taints and the node has the resource it asks for. Where the variant
    has no such node, the spec is refused at the GPU field (exit 2), never a Pending pod."""
    from chartgen.catalog.nodes import Unplaceable, gpu_node
    from chartgen.chart.build import build_chart
    from chartgen.errors import SpecErrors
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions
    from chartgen.spec import load_specs

    gpu = GPU_VARIANTS[variant]
    spec = {
        "apiVersion": "chartgen/v1",
        "kind": "ModelService",
        "metadata": {"name": "gpu-test"},
        "spec": {
            "runtime": "vllm",
            "platform": platform_name,
            "model": {"source": "hf://org/m", "sizeGiB": 10, "cache": {"storageClass": "fast"}},
            "resources": {"gpu": gpu},
            "scheduling": {"nodePool": pool_name},
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    product = catalog.gpu_product(str(gpu["product"]))
    try:
        node = gpu_node(platform_name, pool_name, product, int(gpu["count"]), gpu.get("mig"))
    except Unplaceable as problem:
        with pytest.raises(SpecErrors, match=str(problem.message)[:40]):
            load_specs([path])
        return
    chart = build_chart(load_specs([path])[0], tmp_path / "out")
    docs = get_engine("embedded").render(chart, RenderOptions())
    pod = pod_spec([o for d in docs for o in yaml.safe_load_all(d.text) if o])
    assert pod.get("nodeSelector", {}).items() <= node.labels.items()
    for term in _required_terms(pod):
        for expression in term["matchExpressions"]:
            assert node.labels.get(expression["key"]) in expression["values"]
    tolerated = {(t["key"], t["effect"]) for t in pod.get("tolerations", [])}
    assert {(t["key"], t["effect"]) for t in node.taints} <= tolerated
    limits = pod["containers"][0]["resources"]["limits"]
    gpu_limits = {k: v for k, v in limits.items() if k.startswith("nvidia.com/")}
    assert gpu_limits and all(int(node.allocatable[k]) >= int(v) for k, v in gpu_limits.items())
    assert pod.get("runtimeClassName") == catalog.platform(platform_name).runtime_class


def _required_terms(pod: dict[str, Any]) -> list[dict[str, Any]]:
    node_affinity = pod.get("affinity", {}).get("nodeAffinity", {})
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution", {})
    terms: list[dict[str, Any]] = required.get("nodeSelectorTerms", [])
    return terms
