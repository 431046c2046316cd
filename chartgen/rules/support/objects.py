"""Views over one chart's (or manifest set's) objects: workloads, their pods and containers, and
the objects that point at them (Services, autoscalers, PDBs, NetworkPolicies).

Where pods live in each kind (Deployments and CRDs alike) is catalog data: chartgen/catalog/
workloads.yaml. One object may hold several pod templates (a RayCluster's head and worker groups):
each is its own Workload."""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import PodTemplateSite, WorkloadKind
from chartgen.manifests import ManifestObject, escape_pointer
from chartgen.rules.support.gpus import gpu_count
from chartgen.rules.support.quantities import integer
from chartgen.rules.support.selectors import label_selector_matches, map_matches, string_map

AUTOSCALER_KINDS = ("HorizontalPodAutoscaler", "ScaledObject")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ClaimGpus = dict[str, float | None]  # request name ("" for all) -> accelerators (None: unknown)


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


def _present(obj: ManifestObject, pointer: str) -> bool:
    return bool(pointer) and lookup(obj.data, pointer) is not None


def api_group(api_version: str) -> str:
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def workload_kind(obj: ManifestObject) -> WorkloadKind | None:
    """The catalog row of the object's kind and API group (kind alone when apiVersion is unset)."""
    table = catalog.workloads()
    if not obj.api_version:
        return next((k for k in table.kinds if k.kind == obj.kind), None)
    return table.kind(api_group(obj.api_version), obj.kind)


def expand(data: Any, pattern: str) -> list[tuple[str, tuple[str, ...]]]:
    """(pointer, keys) of every place a pointer pattern reaches: each `*` step goes through every
    list item or map value, and `keys` are the (unescaped) keys those steps took."""
    reached: list[tuple[str, Any, tuple[str, ...]]] = [("", data, ())]
    for token in (t for t in pattern.split("/") if t):
        following: list[tuple[str, Any, tuple[str, ...]]] = []
        for pointer, node, keys in reached:
            if token == "*":
                items = (
                    [(str(k), v) for k, v in node.items()]
                    if isinstance(node, dict)
                    else list(enumerate(node))
                    if isinstance(node, list)
                    else []
                )
                following += [
                    (f"{pointer}/{escape_pointer(str(k))}", v, (*keys, str(k))) for k, v in items
                ]
            elif isinstance(node, dict) and node.get(_unescape(token)) is not None:
                following.append((f"{pointer}/{token}", node[_unescape(token)], keys))
        reached = following
    return [(pointer, keys) for pointer, _, keys in reached]


def bind(pattern: str, keys: Sequence[str]) -> str:
    """The pattern with its `*` steps replaced by `keys`, in order."""
    tokens = pattern.split("/")
    remaining = iter(keys)
    return "/".join(escape_pointer(next(remaining, "*")) if t == "*" else t for t in tokens)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def template_annotation_pointers(obj: ManifestObject) -> list[str]:
    """Pointers of the annotation maps an object's pod templates carry (for suppressions)."""
    kind = workload_kind(obj)
    found: list[str] = []
    for site in kind.templates if kind else ():
        patterns = [*site.annotations, *([site.metadata + "/annotations"] if site.metadata else [])]
        for pattern in patterns:
            found += [p for p, _ in expand(obj.data, pattern) if p != "/metadata/annotations"]
    return found


@functools.lru_cache(maxsize=4096)
def shell_words(text: str) -> tuple[str, ...]:
    """A command line split into words; every workload repeats the same few args."""
    if not any(ch.isspace() for ch in text):
        return (text,)
    try:
        return tuple(shlex.split(text, comments=False))
    except ValueError:
        return tuple(text.split())


@dataclass(frozen=True)
class Container:
    data: dict[str, Any]
    pointer: str
    init: bool
    claimed_gpus: float = 0.0  # accelerators from DRA resource claims (resources.claims)
    gpus_known: bool = True  # False: a claim the chart lacks, or resources set by another object
    added_probes: frozenset[str] = frozenset()  # probes the workload's controller adds when unset

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")

    @property
    def image(self) -> str:
        return str(self.data.get("image") or "")

    @property
    def resources(self) -> dict[str, Any]:
        return mapping(self.data.get("resources"))

    @cached_property
    def gpus(self) -> float:
        return gpu_count(self.data.get("resources")) + self.claimed_gpus

    @cached_property
    def env(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, e) for i, e in enumerate(sequence(self.data.get("env"))) if isinstance(e, dict)]

    def env_value(self, name: str) -> str | None:
        """The literal value of an env var (None when unset or taken from a reference)."""
        for _, item in self.env:
            if item.get("name") == name and "value" in item:
                return str(item["value"])
        return None

    @cached_property
    def argv(self) -> list[tuple[str, str]]:
        """(pointer, text) of every command and args entry, in order."""
        words: list[tuple[str, str]] = []
        for name in ("command", "args"):
            for i, word in enumerate(sequence(self.data.get(name))):
                words.append((f"{self.pointer}/{name}/{i}", str(word)))
        return words

    @cached_property
    def words(self) -> list[tuple[str, str]]:
        """(pointer, word) of `argv`, shell lines (`sh -c "vllm serve ..."`) split like a shell
        would; each word keeps the pointer of the entry it came from."""
        return [(pointer, part) for pointer, text in self.argv for part in shell_words(text)]

    def probe(self, kind: str) -> dict[str, Any] | None:
        probe = self.data.get(f"{kind}Probe")
        return probe if isinstance(probe, dict) else None

    def has_probe(self, kind: str) -> bool:
        """Whether the running container has this probe: its own, or one its controller adds."""
        return self.probe(kind) is not None or kind in self.added_probes

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
    """One pod template of an object: where its pod spec is, and what its pods get."""

    obj: ManifestObject
    pod_pointer: str
    serves: bool = (
        True  # a long-running server (not a Job, CronJob or bare Pod such as a helm test)
    )
    meta_pointer: str = ""  # the pod template's metadata ("" when the pod spec is inlined)
    label_pointers: tuple[str, ...] = ()  # further label maps copied onto the pods
    annotation_pointers: tuple[str, ...] = ()
    container_pointers: tuple[str, ...] = ()  # single containers inlined beside the pod spec
    replicas_pointer: str = ""
    added_labels: dict[str, str] = field(default_factory=dict)  # the controller's own labels
    claims: dict[str, ClaimGpus | None] = field(default_factory=dict)  # pod resourceClaims
    added_probes: tuple[str, ...] = ()  # probes the controller adds (KubeRay, Knative)
    probes_target: str = "first"
    resources_elsewhere: bool = False  # resources set by the objects that use this template
    claim_pointer: str = ""  # volumeClaimTemplates of the pods ("": a StatefulSet's own)
    group_size_pointer: str = ""  # pods sharding one model together (LeaderWorkerSet size)

    @property
    def kind(self) -> str:
        return self.obj.kind

    @cached_property
    def pod(self) -> dict[str, Any]:
        return mapping(lookup(self.obj.data, self.pod_pointer))

    @property
    def template_pointer(self) -> str:
        if self.meta_pointer.endswith("/metadata"):
            return self.meta_pointer[: -len("/metadata")]
        return self.pod_pointer

    @property
    def template_meta(self) -> dict[str, Any]:
        return mapping(lookup(self.obj.data, self.meta_pointer)) if self.meta_pointer else {}

    @property
    def labels(self) -> dict[str, str]:
        merged = string_map(self.template_meta.get("labels"))
        for pointer in self.label_pointers:
            merged.update(string_map(lookup(self.obj.data, pointer)))
        return {**merged, **self.added_labels}

    @property
    def annotations(self) -> dict[str, str]:
        """Pod template annotations over the object's own (charts often expose only the former)."""
        merged = string_map(mapping(self.obj.data.get("metadata")).get("annotations"))
        merged.update(string_map(self.template_meta.get("annotations")))
        for pointer in self.annotation_pointers:
            merged.update(string_map(lookup(self.obj.data, pointer)))
        return merged

    @property
    def replicas(self) -> int:
        """The template's pod count as rendered; Kubernetes defaults a missing value to 1."""
        value = (
            integer(lookup(self.obj.data, self.replicas_pointer)) if self.replicas_pointer else None
        )
        return 1 if value is None else value

    @cached_property
    def containers(self) -> list[Container]:
        inlined = [(p, mapping(lookup(self.obj.data, p))) for p in self.container_pointers]
        listed = self._containers("containers", init=False)
        return listed + [self._container(data, p, init=False) for p, data in inlined if data]

    @cached_property
    def init_containers(self) -> list[Container]:
        return self._containers("initContainers", init=True)

    @cached_property
    def all_containers(self) -> list[Container]:
        return self.init_containers + self.containers

    def _containers(self, field_name: str, *, init: bool) -> list[Container]:
        items = sequence(self.pod.get(field_name))
        base = f"{self.pod_pointer}/{field_name}"
        found = [
            self._container(c, f"{base}/{i}", init)
            for i, c in enumerate(items)
            if isinstance(c, dict)
        ]
        if init or not self.added_probes:
            return found
        targets = [
            i
            for i, c in enumerate(found)
            if (i == 0 if self.probes_target == "first" else len(found) == 1 or c.ports)
        ]
        probes = frozenset(self.added_probes)
        return [replace(c, added_probes=probes) if i in targets else c for i, c in enumerate(found)]

    def _container(self, data: dict[str, Any], pointer: str, init: bool) -> Container:
        gpus, known = 0.0, not self.resources_elsewhere
        for ref in sequence(mapping(data.get("resources")).get("claims")):
            name = str(mapping(ref).get("name") or "")
            if name not in self.claims:
                continue
            claim = self.claims[name]
            wanted = str(mapping(ref).get("request") or "")
            counts = [] if claim is None else [n for r, n in claim.items() if wanted in ("", r)]
            known = known and claim is not None and None not in counts
            gpus += sum(n for n in counts if n is not None)
        return Container(data, pointer, init, gpus, known)

    @cached_property
    def gpus(self) -> float:
        return sum(c.gpus for c in self.containers)

    @property
    def gpus_known(self) -> bool:
        """False when a container claims devices through a claim the chart does not define."""
        return all(c.gpus_known for c in self.containers)

    def volume(self, name: str) -> dict[str, Any] | None:
        for volume in sequence(self.pod.get("volumes")):
            if isinstance(volume, dict) and volume.get("name") == name:
                return volume
        return None

    @property
    def group_size(self) -> int:
        """Pods that serve one model together (a LeaderWorkerSet group), else 1: a container's
        GPUs times this is what the model is sharded over."""
        size = integer(lookup(self.obj.data, self.group_size_pointer))
        return 1 if not self.group_size_pointer or size is None else max(size, 1)

    def claim_template_names(self) -> set[str]:
        pointer = self.claim_pointer or "/spec/volumeClaimTemplates"
        templates = sequence(lookup(self.obj.data, pointer))
        return {
            str(mapping(t.get("metadata")).get("name")) for t in templates if isinstance(t, dict)
        }


class ObjectSet:
    """Every object of one chart render or manifest set, with the cross-object look-ups rules need."""

    def __init__(
        self, objects: Sequence[ManifestObject], among: Sequence[ManifestObject] | None = None
    ) -> None:
        """`among`: the whole set when `objects` are some of it (the claims pods name are
        looked up there)."""
        self.objects = list(objects)
        self._among = self.objects if among is None else list(among)

    def of_kind(self, *kinds: str) -> list[ManifestObject]:
        return [obj for obj in self.objects if obj.kind in kinds]

    @cached_property
    def workloads(self) -> list[Workload]:
        found: list[Workload] = []
        for obj in self.objects:
            kind = workload_kind(obj)
            if kind is not None and isinstance(obj.data.get("spec"), dict):
                for site in kind.templates:
                    found += self._templates(obj, kind, site)
        return found

    def _templates(
        self, obj: ManifestObject, kind: WorkloadKind, site: PodTemplateSite
    ) -> list[Workload]:
        found = []
        for pointer, keys in expand(obj.data, site.pod):
            pod = lookup(obj.data, pointer)
            if not isinstance(pod, dict):
                continue
            found.append(
                Workload(
                    obj,
                    pointer,
                    serves=kind.serves and not _present(obj, site.serves_without),
                    meta_pointer=bind(site.metadata, keys) if site.metadata else "",
                    label_pointers=tuple(bind(p, keys) for p in site.labels),
                    annotation_pointers=tuple(bind(p, keys) for p in site.annotations),
                    container_pointers=tuple(bind(p, keys) for p in site.containers),
                    replicas_pointer=bind(site.replicas, keys) if site.replicas else "",
                    added_labels=_added_labels(obj, site, keys),
                    claims=self._pod_claims(pod),
                    added_probes=site.added_probes,
                    probes_target=site.probes_target,
                    resources_elsewhere=site.resources_elsewhere,
                    claim_pointer=bind(site.claim_templates, keys) if site.claim_templates else "",
                    group_size_pointer=site.group_size,
                )
            )
        return found

    def _pod_claims(self, pod: Mapping[str, Any]) -> dict[str, ClaimGpus | None]:
        """Each pod resource claim: accelerators per request, None when the chart lacks it."""
        claims: dict[str, ClaimGpus | None] = {}
        for entry in sequence(pod.get("resourceClaims")):
            entry = mapping(entry)
            source = {**mapping(entry.get("source")), **entry}  # `source` before Kubernetes 1.31
            template = source.get("resourceClaimTemplateName")
            claim = source.get("resourceClaimName")
            found = (
                self._claim_requests("ResourceClaimTemplate", str(template), "/spec/spec")
                if template
                else self._claim_requests("ResourceClaim", str(claim), "/spec")
                if claim
                else None
            )
            claims[str(entry.get("name") or "")] = found
        return claims

    def _claim_requests(self, kind: str, name: str, spec: str) -> ClaimGpus | None:
        obj = self.find(kind, name)
        if obj is None:
            return None
        requests = sequence(lookup(obj.data, f"{spec}/devices/requests"))
        return {str(mapping(r).get("name") or ""): _accelerators(mapping(r)) for r in requests}

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
        return next((o for o in self._among if o.kind == kind and o.name == name), None)

    def reads_others(self, obj: ManifestObject) -> bool:
        """Whether the views of `obj` depend on other objects: its pods' resource claims."""
        return any(w.claims for w in self.workloads if w.obj is obj)

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


def _added_labels(
    obj: ManifestObject, site: PodTemplateSite, keys: Sequence[str]
) -> dict[str, str]:
    """The controller's labels, placeholders filled in ({name}, {key}, {key_lower}, {item.F})."""
    item = bind(site.pod.split("*", 1)[0] + "*", keys[:1]) if keys else ""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "name":
            return obj.name
        if name in ("key", "key_lower"):
            key = keys[0] if keys else ""
            return key.lower() if name == "key_lower" else key
        return str(lookup(obj.data, f"{item}/{name.removeprefix('item.')}") or "")

    return {label: _PLACEHOLDER.sub(fill, value) for label, value in site.added_labels.items()}


def _accelerators(request: Mapping[str, Any]) -> float | None:
    """Accelerators one DRA device request asks for (resource.k8s.io v1 `exactly` or the
    v1beta1 inline form; `firstAvailable`: its first choice), None when the count is open."""
    exact = mapping(request.get("exactly")) or request
    if not exact.get("deviceClassName") and sequence(request.get("firstAvailable")):
        exact = mapping(sequence(request.get("firstAvailable"))[0])
    classes = {c.name for c in catalog.workloads().accelerator_device_classes}
    if str(exact.get("deviceClassName") or "") not in classes:
        return 0.0
    if exact.get("allocationMode") == "All":
        return None
    count = integer(exact.get("count"))
    return 1.0 if count is None else float(count)
