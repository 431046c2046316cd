"""A Job (or bare pod) that mounts the ReadWriteOnce volume a model server mounts."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, lookup, mapping, sequence
from chartgen.rules.support.selectors import label_selector_matches, string_map

ID = "rwo-volume-shared-with-job"
SEVERITY = Severity.ERROR
SUMMARY = "A Job must not mount the model server's ReadWriteOnce volume"
RATIONALE = (
    "A pre-download Job that mounts the server's ReadWriteOnce claim decides where the volume "
    "lives: with WaitForFirstConsumer (the default on GKE, EKS and AKS) the Job, scheduled on any "
    "CPU node, fixes the disk's zone before the GPU pod is placed, so the server may never find "
    "a GPU node in that zone; and a Job created again on `helm upgrade` cannot attach the volume "
    "the running server holds (Multi-Attach error). Download in an init container of the server, "
    "or place the Job like the server: its node selector, and required pod affinity to the "
    "server's pods once they run."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode",
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
)
FIX = (
    "Give the Job the server's node selector (and pod affinity to the running server), move the "
    "download into an init container, or use a ReadWriteMany class."
)
EXAMPLE = """\
initContainers:
  - name: download
    command: [sh, -c, "hf download org/model --cache-dir /cache/hub"]
    volumeMounts: [{name: cache, mountPath: /cache}]
"""
TAGS = ("kubernetes", "ml", "storage", "model-download", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"
SINGLE_NODE_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod"})
_REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    servers = {name: w for w in objects.serving_workloads if w.gpus > 0 for _, name in _claims(w)}
    for workload in objects.workloads:
        if workload.serves:
            continue
        for index, name in _claims(workload):
            claim = objects.find("PersistentVolumeClaim", name)
            server = servers.get(name)
            if (
                server is not None
                and claim is not None
                and _single_node(claim)
                and not _placed_like(workload, server)
            ):
                message = (
                    f"{workload.kind} {workload.obj.name!r} mounts ReadWriteOnce claim {name!r} "
                    "that the model server mounts too"
                )
                yield Issue(
                    ID, f"{workload.pod_pointer}/volumes/{index}", message, obj=workload.obj
                )


def _claims(workload: Workload) -> list[tuple[int, str]]:
    found = []
    for index, volume in enumerate(sequence(workload.pod.get("volumes"))):
        name = lookup(volume, "/persistentVolumeClaim/claimName")
        if name:
            found.append((index, str(name)))
    return found


def _placed_like(job: Workload, server: Workload) -> bool:
    """The Job lands where the server's volume can live: on the server's node (required pod
    affinity to its pods) or on the server's kind of node (its node selector, every pair)."""
    for term in sequence(lookup(job.pod, "/affinity/podAffinity/" + _REQUIRED)):
        if label_selector_matches(mapping(term).get("labelSelector"), server.labels):
            return True
    wanted = string_map(server.pod.get("nodeSelector"))
    given = string_map(job.pod.get("nodeSelector"))
    return bool(wanted) and all(given.get(k) == v for k, v in wanted.items())


def _single_node(claim: ManifestObject) -> bool:
    modes = {str(m) for m in sequence(mapping(claim.data.get("spec")).get("accessModes"))}
    return bool(modes) and modes <= SINGLE_NODE_MODES
