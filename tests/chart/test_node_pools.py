"""Issue 11 finding 1: every GPU example chart's pod fits a GPU node of the node-pool variant its
spec targets, as that variant really labels, taints and sizes its nodes (chartgen.catalog.nodes).
The charts before issue 11 pinned EKS and AKS products with Karpenter-only labels: the same check
fails on them."""

from __future__ import annotations

import subprocess
import tarfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml

from chartgen.catalog.nodes import FakeNode, gpu_node
from chartgen.model.resolve import resolve
from chartgen.spec import load_specs
from tests.chart.helpers import GENERATED, REPO, example_specs, helm_template, objects, pod_spec

BEFORE_ISSUE_11 = "2471155"


def _gpu_examples() -> list[tuple[str, Path]]:
    found = []
    for path in example_specs():
        (doc,) = load_specs([path])
        if doc.data["spec"].get("resources", {}).get("gpu", {}).get("count", 0):
            found.append((str(doc.data["metadata"]["name"]), path))
    return found


GPU_EXAMPLES = _gpu_examples()


def target_node(spec_path: Path) -> FakeNode:
    """The GPU node the spec's platform and node pool would give this workload."""
    (doc,) = load_specs([spec_path])
    plan = resolve(doc.data)
    gpu = doc.data["spec"]["resources"]["gpu"]
    from chartgen import catalog

    sharing = gpu.get("sharing", "none")
    return gpu_node(
        plan.platform.name,
        plan.gpu.node_pool,
        catalog.gpu_product(plan.gpu.product) if plan.gpu.product else None,
        plan.gpu.count,
        plan.gpu.mig,
        None if sharing == "none" else sharing,
        mig_strategy=gpu.get("migStrategy", "mixed"),
        rename=gpu.get("renameByDefault"),
        spot=bool(doc.data["spec"].get("scheduling", {}).get("spot", False)),
    )


def misfits(pod: dict[str, Any], node: FakeNode) -> list[str]:
    """Why kube-scheduler would not bind `pod` to `node` (node selector, required node affinity,
    taints, extended resources); [] when it would."""
    reasons = [
        f"nodeSelector {key}={value} not on the node"
        for key, value in pod.get("nodeSelector", {}).items()
        if node.labels.get(key) != value
    ]
    affinity = pod.get("affinity", {}).get("nodeAffinity", {})
    terms = affinity.get("requiredDuringSchedulingIgnoredDuringExecution", {}).get(
        "nodeSelectorTerms", []
    )
    if terms and not any(_term_matches(term, node.labels) for term in terms):
        reasons.append("no required node affinity term matches the node")
    tolerated = {(t.get("key"), t.get("effect")) for t in pod.get("tolerations", [])}
    reasons += [
        f"taint {t['key']}:{t['effect']} not tolerated"
        for t in node.taints
        if (t["key"], t["effect"]) not in tolerated
    ]
    for container in pod["containers"]:
        for name, amount in container["resources"].get("limits", {}).items():
            if "/" in name and int(node.allocatable.get(name, 0)) < int(amount):
                reasons.append(f"node has no {amount} {name}")
    return reasons


def _term_matches(term: dict[str, Any], labels: dict[str, str]) -> bool:
    for expression in term.get("matchExpressions", []):
        value = labels.get(expression["key"])
        if expression["operator"] == "In" and value not in expression["values"]:
            return False
        if expression["operator"] == "Exists" and value is None:
            return False
    return True


def rendered_pod(helm: Path, chart: Path) -> dict[str, Any]:
    result = helm_template(helm, chart)
    assert result.returncode == 0, result.stderr
    return pod_spec(objects(result.stdout))


@pytest.mark.parametrize(("name", "spec"), GPU_EXAMPLES, ids=[n for n, _ in GPU_EXAMPLES])
def test_example_gpu_pod_fits_its_node_pool(helm3: Path, name: str, spec: Path) -> None:
    assert misfits(rendered_pod(helm3, GENERATED / name), target_node(spec)) == []


def old_chart(name: str, into: Path) -> Path:
    """generated-charts/<name> as committed before issue 11."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", BEFORE_ISSUE_11, f"generated-charts/{name}"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "generated-charts" / name


KARPENTER_PINNED = ["qwen-sglang", "mistral-tgi", "gemma-spot"]


@pytest.mark.parametrize("name", KARPENTER_PINNED)
def test_charts_before_issue_11_never_matched_the_default_pool(
    helm3: Path, name: str, tmp_path: Path
) -> None:
    spec = dict(GPU_EXAMPLES)[name]
    reasons = misfits(rendered_pod(helm3, old_chart(name, tmp_path)), target_node(spec))
    assert any("karpenter." in reason for reason in reasons), reasons


def test_chart_names_its_node_pool() -> None:
    for name, spec in GPU_EXAMPLES:
        chart = yaml.safe_load((GENERATED / name / "Chart.yaml").read_text(encoding="utf-8"))
        (doc,) = load_specs([spec])
        assert chart["annotations"]["chartgen.dev/node-pool"] == resolve(doc.data).gpu.node_pool


@pytest.mark.parametrize("platform", ["generic", "openshift"])
@pytest.mark.parametrize("rename", [None, False, True])
def test_time_sliced_pod_fits_the_device_plugin_setting(
    platform: str, rename: bool | None, tmp_path: Path
) -> None:
    """Issue 11 finding 6: nvidia.com/gpu.shared only under renameByDefault true (not NVIDIA's
    default); without renaming the product label gains -SHARED, which the pod must select."""
    from chartgen import catalog
    from chartgen.chart.build import build_chart
    from chartgen.helm import get_engine
    from chartgen.helm.engine import RenderOptions

    gpu: dict[str, Any] = {"count": 1, "product": "L4", "sharing": "time-slicing"}
    if rename is not None:
        gpu["renameByDefault"] = rename
    spec = {
        "apiVersion": "chartgen/v1",
        "kind": "ModelService",
        "metadata": {"name": "shared"},
        "spec": {
            "runtime": "vllm",
            "platform": platform,
            "model": {"source": "hf://org/m", "sizeGiB": 4},
            "engine": {"gpuMemoryUtilization": 0.4},
            "resources": {"gpu": gpu},
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    chart = build_chart(load_specs([path])[0], tmp_path / "out")
    docs = get_engine("embedded").render(chart, RenderOptions())
    pod = pod_spec([o for d in docs for o in yaml.safe_load_all(d.text) if o])
    node = gpu_node(
        platform, None, catalog.gpu_product("L4"), 1, sharing="time-slicing", rename=rename
    )
    assert misfits(pod, node) == []
    shared_name = "nvidia.com/gpu.shared" if rename else "nvidia.com/gpu"
    assert shared_name in pod["containers"][0]["resources"]["limits"]
