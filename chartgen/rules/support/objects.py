"""Views over one chart's (or manifest set's) objects: workloads, their pods and containers, and
the objects that point at them (Services, autoscalers, PDBs, NetworkPolicies)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from chartgen.manifests import ManifestObject
from chartgen.rules.support.gpus import gpu_count
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.selectors import label_selector_matches, map_matches, string_map

POD_SPEC_POINTERS = {  # kind -> JSON pointer of its pod spec
    "Deployment": "/spec/template/spec",
    "StatefulSet": "/spec/template/spec",
    "DaemonSet": "/spec/template/spec",
    "ReplicaSet": "/spec/template/spec",
    "Job": "/spec/template/spec",
    "CronJob": "/spec/jobTemplate/spec/template/spec",
    "Pod": "/spec",
}
SERVING_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
AUTOSCALER_KINDS = ("HorizontalPodAutoscaler", "ScaledObject")


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def lookup(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer of plain data, None when a step is missing."""
    for token in (t for t in pointer.split("/") if t):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


@dataclass(frozen=True)
class Container:
    data: dict[str, Any]
    pointer: str
    init: bool

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")

    @property
    def image(self) -> str:
        return str(self.data.get("image") or "")

    @property
    def resources(self) -> dict[str, Any]:
        return mapping(self.data.get("resources"))

    @property
    def gpus(self) -> float:
        return gpu_count(self.data.get("resources"))

    @property
    def env(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, e) for i, e in enumerate(sequence(self.data.get("env"))) if isinstance(e, dict)]

    def env_value(self, name: str) -> str | None:
        """The literal value of an env var (None when unset or taken from a reference)."""
        for _, item in self.env:
            if item.get("name") == name and "value" in item:
                return str(item["value"])
        return None

    @property
    def argv(self) -> list[tuple[str, str]]:
        """(pointer, text) of every command and args entry, in order."""
        words: list[tuple[str, str]] = []
        for field in ("command", "args"):
            for i, word in enumerate(sequence(self.data.get(field))):
                words.append((f"{self.pointer}/{field}/{i}", str(word)))
        return words

    def probe(self, kind: str) -> dict[str, Any] | None:
        probe = self.data.get(f"{kind}Probe")
        return probe if isinstance(probe, dict) else None

    @property
    def mounts(self) -> list[tuple[int, dict[str, Any]]]:
        items = sequence(self.data.get("volumeMounts"))
        return [(i, m) for i, m in enumerate(items) if isinstance(m, dict)]

    @property
    def port_names(self) -> set[str]:
        return {str(p.get("name")) for p in self.ports if p.get("name")}

    @property
    def port_numbers(self) -> set[int]:
        numbers = (integer(p.get("containerPort")) for p in self.ports)
        return {n for n in numbers if n is not None}

    @property
    def ports(self) -> list[dict[str, Any]]:
        return [p for p in sequence(self.data.get("ports")) if isinstance(p, dict)]

    @property
    def security(self) -> dict[str, Any]:
        return mapping(self.data.get("securityContext"))


@dataclass(frozen=True)
class Workload:
    obj: ManifestObject
    pod_pointer: str

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def pod(self) -> dict[str, Any]:
        return mapping(lookup(self.obj.data, self.pod_pointer))

    @property
    def template_pointer(self) -> str:
        return self.pod_pointer.rsplit("/", 1)[0]

    @property
    def template_meta(self) -> dict[str, Any]:
        if self.kind == "Pod":
            return mapping(self.obj.data.get("metadata"))
        return mapping(lookup(self.obj.data, self.template_pointer + "/metadata"))

    @property
    def labels(self) -> dict[str, str]:
        return string_map(self.template_meta.get("labels"))

    @property
    def annotations(self) -> dict[str, str]:
        """Pod template annotations over the object's own (charts often expose only the former)."""
        own = string_map(mapping(self.obj.data.get("metadata")).get("annotations"))
        return {**own, **string_map(self.template_meta.get("annotations"))}

    @property
    def serves(self) -> bool:
        """A long-running workload (not a Job, CronJob or bare Pod such as a helm test)."""
        return self.kind in SERVING_KINDS

    @property
    def replicas(self) -> int:
        """spec.replicas as rendered; Kubernetes defaults a missing value to 1."""
        value = integer(mapping(self.obj.data.get("spec")).get("replicas"))
        return 1 if value is None else value

    @property
    def containers(self) -> list[Container]:
        return self._containers("containers", init=False)

    @property
    def init_containers(self) -> list[Container]:
        return self._containers("initContainers", init=True)

    @property
    def all_containers(self) -> list[Container]:
        return self.init_containers + self.containers

    def _containers(self, field: str, *, init: bool) -> list[Container]:
        items = sequence(self.pod.get(field))
        base = f"{self.pod_pointer}/{field}"
        return [
            Container(c, f"{base}/{i}", init) for i, c in enumerate(items) if isinstance(c, dict)
        ]

    @property
    def gpus(self) -> float:
        return sum(c.gpus for c in self.containers)

    def volume(self, name: str) -> dict[str, Any] | None:
        for volume in sequence(self.pod.get("volumes")):
            if isinstance(volume, dict) and volume.get("name") == name:
                return volume
        return None

    def claim_template_names(self) -> set[str]:
        templates = sequence(mapping(self.obj.data.get("spec")).get("volumeClaimTemplates"))
        return {
            str(mapping(t.get("metadata")).get("name")) for t in templates if isinstance(t, dict)
        }


class ObjectSet:
    """Every object of one chart render or manifest set, with the cross-object look-ups rules need."""

    def __init__(self, objects: Sequence[ManifestObject]) -> None:
        self.objects = list(objects)

    def of_kind(self, *kinds: str) -> list[ManifestObject]:
        return [obj for obj in self.objects if obj.kind in kinds]

    @cached_property
    def workloads(self) -> list[Workload]:
        return [
            Workload(obj, POD_SPEC_POINTERS[obj.kind])
            for obj in self.objects
            if obj.kind in POD_SPEC_POINTERS and isinstance(obj.data.get("spec"), dict)
        ]

    def of_kind_workloads(self, *kinds: str) -> list[Workload]:
        return [w for w in self.workloads if w.kind in kinds]

    @property
    def serving_workloads(self) -> list[Workload]:
        return [w for w in self.workloads if w.serves]

    def containers(self, *, init: bool = True) -> Iterator[tuple[Workload, Container]]:
        for workload in self.workloads:
            for container in workload.all_containers if init else workload.containers:
                yield workload, container

    def find(self, kind: str, name: str) -> ManifestObject | None:
        return next((o for o in self.objects if o.kind == kind and o.name == name), None)

    def workload_named(self, kind: str, name: str) -> Workload | None:
        return next((w for w in self.workloads if w.kind == kind and w.obj.name == name), None)

    def selected_by_map(self, selector: Mapping[str, str]) -> list[Workload]:
        return [w for w in self.workloads if map_matches(selector, w.labels)]

    def selected_by(self, selector: Any) -> list[Workload]:
        return [w for w in self.workloads if label_selector_matches(selector, w.labels)]

    def services_for(self, workload: Workload) -> list[ManifestObject]:
        return [
            svc
            for svc in self.of_kind("Service")
            if map_matches(
                string_map(mapping(svc.data.get("spec")).get("selector")), workload.labels
            )
        ]

    def autoscalers_for(self, workload: Workload) -> list[ManifestObject]:
        return [a for a in self.of_kind(*AUTOSCALER_KINDS) if self.autoscaler_target(a) is workload]

    def autoscaler_target(self, autoscaler: ManifestObject) -> Workload | None:
        ref = mapping(mapping(autoscaler.data.get("spec")).get("scaleTargetRef"))
        kind = str(ref.get("kind") or "Deployment")  # KEDA defaults the kind to Deployment
        return self.workload_named(kind, str(ref.get("name") or ""))

    def pdbs_for(self, workload: Workload) -> list[ManifestObject]:
        return [
            pdb
            for pdb in self.of_kind("PodDisruptionBudget")
            if label_selector_matches(
                mapping(pdb.data.get("spec")).get("selector"), workload.labels
            )
        ]
