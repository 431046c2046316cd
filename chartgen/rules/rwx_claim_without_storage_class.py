"""A ReadWriteMany claim left to the cluster's default StorageClass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chartgen.findings import Issue, Severity
from chartgen.manifests import ManifestObject
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, lookup, mapping, sequence

ID = "rwx-claim-without-storage-class"
SEVERITY = Severity.ERROR
SUMMARY = "A ReadWriteMany claim must name a StorageClass that offers ReadWriteMany"
RATIONALE = (
    "The default StorageClasses of GKE (Persistent Disk), EKS (EBS) and AKS (Azure Disk) are "
    "block devices that only offer ReadWriteOnce. A ReadWriteMany claim without "
    "`storageClassName` gets the default class and stays Pending forever: the model cache never "
    "binds and the pods never start. Shared caches need a file class (Filestore, EFS, Azure Files, "
    "NFS) named explicitly."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
    "https://cloud.google.com/kubernetes-engine/docs/concepts/persistent-volumes#storageclasses",
    "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
    "https://learn.microsoft.com/en-us/azure/aks/concepts-storage#storage-classes",
)
FIX = "Set `storageClassName` to a ReadWriteMany class, or use one ReadWriteOnce claim per replica."
EXAMPLE = """\
kind: PersistentVolumeClaim
spec:
  accessModes: [ReadWriteMany]
  storageClassName: filestore-rwx
"""
TAGS = ("kubernetes", "ml", "storage", "correctness")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
SHARED_MODES = frozenset({"ReadWriteMany"})


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for claim in objects.of_kind("PersistentVolumeClaim"):
        yield from _check_spec(claim, mapping(claim.data.get("spec")), "/spec", claim.name)
    for workload in objects.of_kind_workloads("StatefulSet"):
        templates = sequence(lookup(workload.obj.data, "/spec/volumeClaimTemplates"))
        for index, template in enumerate(templates):
            name = str(lookup(template, "/metadata/name") or "")
            pointer = f"/spec/volumeClaimTemplates/{index}/spec"
            yield from _check_spec(workload.obj, mapping(lookup(template, "/spec")), pointer, name)


def _check_spec(
    obj: ManifestObject, spec: dict[str, Any], pointer: str, name: str
) -> Iterator[Issue]:
    modes = {str(m) for m in sequence(spec.get("accessModes"))}
    if modes & SHARED_MODES and spec.get("storageClassName") is None:
        message = f"claim {name!r} asks ReadWriteMany from the default StorageClass"
        yield Issue(ID, f"{pointer}/accessModes", message, obj=obj)
