"""GPU scheduling rules judge the node-pool variant: its labels, its taints, its GPU selector.

The variant is declared (`--platform P/VARIANT`, the chart's chartgen.dev/node-pool, the spec),
or detected from the GPU labels the pod selects, or else every variant of the platform is tried
and a finding is made only when none admits the pod.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from chartgen.manifests import ManifestObject
from chartgen.rules import RuleContext, run_rules

LABEL, TOLERATION, TARGETING = (
    "node-label-not-on-platform",
    "gpu-toleration-missing",
    "gpu-node-targeting-missing",
)
KARPENTER_SELECTOR = {"karpenter.k8s.aws/instance-gpu-name": "a10g"}
GPU_TAINT = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
AKS_TAINT = {"key": "sku", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}


def _deployment(selector: dict[str, str], tolerations: list[dict[str, str]]) -> ManifestObject:
    pod: dict[str, Any] = {
        "containers": [
            {
                "name": "server",
                "image": "vllm/vllm-openai:v0.25.0",
                "resources": {"limits": {"nvidia.com/gpu": 1}},
            }
        ]
    }
    if selector:
        pod["nodeSelector"] = selector
    if tolerations:
        pod["tolerations"] = tolerations
    text = yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "server"},
            "spec": {"template": {"spec": pod}},
        }
    )
    from chartgen.lint.documents import parse_stream

    parsed = parse_stream(text, "deployment.yaml")
    return parsed.objects[0]


def _messages(
    rule: str,
    platform: str | None,
    pool: str | None,
    selector: dict[str, str],
    tolerations: list[dict[str, str]],
) -> list[str]:
    context = RuleContext(platform=platform, node_pool=pool)
    found = run_rules([_deployment(selector, tolerations)], context)
    return [f.message for f in found if f.rule_id == rule]


def test_karpenter_label_on_a_declared_managed_node_group_names_the_variant_and_its_labels() -> (
    None
):
    [message] = _messages(LABEL, "eks", "managed-node-group", KARPENTER_SELECTOR, [GPU_TAINT])
    assert "eks managed-node-group GPU nodes do not carry" in message
    assert "they carry eks.amazonaws.com/capacityType, eks.amazonaws.com/nodegroup," in message
    assert "is on: eks/karpenter" in message


def test_karpenter_label_is_fine_on_declared_karpenter_and_on_an_undeclared_eks_variant() -> None:
    assert _messages(LABEL, "eks", "karpenter", KARPENTER_SELECTOR, [GPU_TAINT]) == []
    assert _messages(LABEL, "eks", None, KARPENTER_SELECTOR, [GPU_TAINT]) == []


def test_labels_no_variant_carries_together_are_reported_against_the_closest_variant() -> None:
    selector = {**KARPENTER_SELECTOR, "eks.amazonaws.com/instance-gpu-name": "a10g"}
    messages = _messages(LABEL, "eks", None, selector, [GPU_TAINT])
    assert len(messages) == 1
    assert "eks karpenter GPU nodes do not carry" in messages[0]
    assert "'eks.amazonaws.com/instance-gpu-name'" in messages[0]


def test_a_label_from_another_platform_is_reported_without_a_declared_variant() -> None:
    [message] = _messages(LABEL, "eks", None, {"cloud.google.com/gke-accelerator": "nvidia-l4"}, [])
    assert "is on: gke/standard, gke/autopilot" in message


@pytest.mark.parametrize(
    ("pool", "tolerations", "reported"),
    [
        ("managed-node-group", [], False),  # managed node groups carry no taint by default
        ("karpenter", [], True),  # nvidia.com/gpu=true:NoSchedule
        ("karpenter", [GPU_TAINT], False),
        ("auto-mode", [], True),
    ],
)
def test_toleration_is_judged_by_the_declared_variant_taints(
    pool: str, tolerations: list[dict[str, str]], reported: bool
) -> None:
    messages = _messages(TOLERATION, "eks", pool, {}, tolerations)
    assert bool(messages) == reported
    if reported:
        assert messages[0].endswith(f"taints of eks {pool}: nvidia.com/gpu=true:NoSchedule")


def test_toleration_for_the_wrong_taint_on_aks_node_pools_is_reported() -> None:
    [message] = _messages(TOLERATION, "aks", "node-pool", {}, [GPU_TAINT])
    assert "sku=gpu:NoSchedule" in message
    assert _messages(TOLERATION, "aks", "node-pool", {}, [AKS_TAINT]) == []


def test_toleration_variant_is_detected_from_the_selected_labels() -> None:
    [message] = _messages(TOLERATION, "eks", None, KARPENTER_SELECTOR, [])
    assert message.endswith("taints of eks karpenter: nvidia.com/gpu=true:NoSchedule")
    # no GPU label: a managed node group (no taint) may take the pod
    assert _messages(TOLERATION, "eks", None, {}, []) == []


def test_every_detected_variant_refusing_the_pod_is_named() -> None:
    # karpenter.sh/nodepool: on Karpenter and Auto Mode nodes, both tainted
    [message] = _messages(TOLERATION, "eks", None, {"karpenter.sh/nodepool": "gpu"}, [])
    assert message.endswith(
        "taints of eks (karpenter or auto-mode): karpenter: nvidia.com/gpu=true:NoSchedule;"
        " auto-mode: nvidia.com/gpu=true:NoSchedule"
    )
    # an untainted variant with the selected labels admits the pod: no finding
    selector = {"kubernetes.azure.com/accelerator": "nvidia"}
    assert _messages(TOLERATION, "aks", None, selector, []) == []


def test_gke_adds_the_gpu_toleration_itself() -> None:
    assert _messages(TOLERATION, "gke", "standard", {}, []) == []


def test_unknown_platform_keeps_the_generic_taint_check() -> None:
    assert _messages(TOLERATION, None, None, {}, []) != []
    assert _messages(TOLERATION, None, None, {}, [GPU_TAINT]) == []


@pytest.mark.parametrize(
    ("platform", "pool", "reported"),
    [
        ("aks", "node-pool", True),  # kubernetes.azure.com/accelerator
        ("aks", "node-auto-provisioning", False),
        ("aks", None, False),  # node auto-provisioning lands it without a label
        ("gke", "autopilot", True),  # GPU nodes only for pods naming the accelerator
        ("gke", "standard", False),
        ("eks", None, False),
        ("generic", "gpu-operator", True),
        (None, None, True),
    ],
)
def test_targeting_is_needed_only_where_the_variant_needs_a_label(
    platform: str | None, pool: str | None, reported: bool
) -> None:
    messages = _messages(TARGETING, platform, pool, {}, [GPU_TAINT, AKS_TAINT])
    assert bool(messages) == reported


def test_targeting_finding_names_the_variant_labels() -> None:
    [message] = _messages(TARGETING, "gke", "autopilot", {}, [])
    assert message.endswith(
        "gke autopilot GPU nodes are selected by cloud.google.com/gke-accelerator"
    )
