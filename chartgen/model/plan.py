"""The resolved serving plan: every decision made, every default filled, ready to become values.

Spec data flows in, plain Kubernetes-shaped dicts flow out; the chart writer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chartgen.catalog.profiles import PlatformProfile, RuntimeProfile

Obj = dict[str, Any]


@dataclass(frozen=True)
class GpuPlan:
    count: int
    resource: str | None  # extended resource name, None for CPU-only
    vendor: str
    product: str | None
    mig: str | None
    node_selector: dict[str, str]
    tolerations: list[Obj]
    runtime_class: str | None
    memory_gib: int | None  # per-GPU memory, when the product is known
    node_pool: str  # the platform's node-pool variant the placement is for
    instance_types: tuple[str, ...] = ()  # required node.kubernetes.io/instance-type values


@dataclass(frozen=True)
class ProbePlan:
    startup: Obj
    readiness: Obj
    liveness: Obj
    startup_budget_seconds: int
    progress_deadline_seconds: int
    budget_explanation: str


@dataclass(frozen=True)
class DrainPlan:
    pre_stop_seconds: int
    drain_seconds: int
    grace_period_seconds: int
    sleep_action: bool = False  # preStop `sleep:` handler (Kubernetes >= 1.30) instead of exec


@dataclass(frozen=True)
class ScalingPlan:
    replicas: int
    autoscaling: Obj  # values `autoscaling:` block
    strategy: Obj  # Deployment strategy / StatefulSet updateStrategy
    strategy_reason: str
    pdb: Obj
    topology_spread: list[Obj]
    spare_gpus: int = 0  # free GPUs a surge rollout may use (spec rollout.spareGpus)


@dataclass(frozen=True)
class ImagePlan:
    """The server image: a digest, when set, pins it and wins over the tag."""

    repository: str
    tag: str
    digest: str
    pull_policy: str

    def values(self) -> Obj:
        """The chart's `image:` values block."""
        return {
            "repository": self.repository,
            "tag": self.tag,
            "digest": self.digest,
            "pullPolicy": self.pull_policy,
        }


@dataclass(frozen=True)
class ModelPlan:
    """The served model as decided: where it comes from, under which name, how big."""

    source: str  # URI as the spec gave it (hf://, s3://, gs://, https://, pvc://, image://)
    revision: str  # "" when not pinned
    served_name: str
    size_gib: float
    format: str

    def values(self) -> Obj:
        """The chart's `model:` values block."""
        return {
            "source": self.source,
            "revision": self.revision,
            "servedName": self.served_name,
            "sizeGiB": self.size_gib,
            "format": self.format,
        }


@dataclass(frozen=True)
class ServingPlan:
    name: str
    description: str
    team: str
    owner: str
    maintainers: list[Obj]  # Chart.yaml maintainers: name, and email/url when known
    icon: str  # Chart.yaml icon URL, "" for none
    runtime: RuntimeProfile
    platform: PlatformProfile
    kube_version: str
    image: ImagePlan
    image_pull_secrets: list[Obj]
    model: ModelPlan
    command: list[str]
    args: list[str]
    env: list[Obj]
    env_from: list[Obj]
    ports: dict[str, int]
    gpu: GpuPlan
    resources: Obj
    shm_gib: float
    cache: Obj
    writable_dirs: list[Obj]
    download: Obj
    workload_kind: str  # Deployment | StatefulSet
    probes: ProbePlan
    drain: DrainPlan
    scaling: ScalingPlan
    service: Obj
    ingress: Obj
    http_route: Obj
    monitoring: Obj
    network_policy: Obj
    pod_security_context: Obj
    security_context: Obj
    service_account: Obj
    node_selector: dict[str, str]
    tolerations: list[Obj]
    affinity: Obj
    priority_class: str
    common_labels: dict[str, str]
    common_annotations: dict[str, str]
    pod_annotations: dict[str, str]
    extra_volumes: list[Obj] = field(default_factory=list)
    extra_volume_mounts: list[Obj] = field(default_factory=list)
    extra_objects: list[Obj] = field(default_factory=list)
