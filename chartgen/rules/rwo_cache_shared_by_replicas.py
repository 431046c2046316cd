"""ReadWriteOnce volume mounted by several replicas (or by a surging rollout)."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, Workload, lookup, mapping, sequence
from chartgen.rules.support.rollout import surge_and_unavailable
from chartgen.rules.support.scaling import replica_range

ID = "rwo-cache-shared-by-replicas"
SEVERITY = Severity.WARNING
SUMMARY = "A ReadWriteOnce claim cannot be shared by several replicas or a surging rollout"
RATIONALE = (
    "A ReadWriteOnce volume attaches to one node. Replicas (or the surge pod of a rolling update) "
    "scheduled elsewhere fail with Multi-Attach errors and never start "
    "(vllm-project/production-stack#107, SeldonIO/seldon-core#5128, llm-d/llm-d-modelservice#243). "
    "Model caches shared by replicas need ReadWriteMany (or ReadOnlyMany when pre-filled), or one "
    "claim per replica through a StatefulSet volumeClaimTemplate."
)
REFERENCES = (
    "vllm-project/production-stack#107",
    "SeldonIO/seldon-core#5128",
    "llm-d/llm-d-modelservice#243",
)
FIX = "Use a ReadWriteMany/ReadOnlyMany claim, a StatefulSet volumeClaimTemplate per replica, or `strategy: Recreate` for one replica."
EXAMPLE = """\
kind: PersistentVolumeClaim
spec:
  accessModes: [ReadWriteMany]
"""
TAGS = ("kubernetes", "ml", "storage", "rollout")
DEFAULTS: dict[str, object] = {}
SCOPE = "set"
SINGLE_NODE_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod"})


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        replicas = replica_range(objects, workload)[1]
        surge = surge_and_unavailable(workload, replicas)[0]
        if replicas <= 1 and not surge:
            continue
        for index, claim in _claims(objects, workload):
            why = f"{replicas} replicas" if replicas > 1 else "a surging rolling update"
            message = f"PersistentVolumeClaim {claim.name!r} is ReadWriteOnce but mounted by {why}"
            yield Issue(ID, f"{workload.pod_pointer}/volumes/{index}", message, obj=workload.obj)


def _claims(objects: ObjectSet, workload: Workload) -> Iterator[tuple[int, ManifestObject]]:
    for index, volume in enumerate(sequence(workload.pod.get("volumes"))):
        name = lookup(volume, "/persistentVolumeClaim/claimName")
        claim = objects.find("PersistentVolumeClaim", str(name)) if name else None
        modes = (
            {str(m) for m in sequence(mapping(claim.data.get("spec")).get("accessModes"))}
            if claim
            else set()
        )
        if claim is not None and modes and modes <= SINGLE_NODE_MODES:
            yield index, claim
