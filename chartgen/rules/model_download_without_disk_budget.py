"""Model downloaded into ephemeral storage with no (or too small a) size limit."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.downloads import download_dir, hub_download
from chartgen.rules.support.objects import Container, ObjectSet, Workload, mapping
from chartgen.rules.support.quantities import quantity_gib
from chartgen.rules.support.runtimes import model_size_gib
from chartgen.rules.support.volumes import is_persistent, mount_for

ID = "model-download-without-disk-budget"
SEVERITY = Severity.WARNING
SUMMARY = "Weights downloaded into an emptyDir or the container filesystem need a size limit that fits the model"
RATIONALE = (
    "Downloads into the container filesystem or an emptyDir use the node's ephemeral storage. "
    "Without `ephemeral-storage` limits or `emptyDir.sizeLimit`, tens of GiB of weights push the node "
    "into DiskPressure and the kubelet evicts other pods; a limit below the model size evicts the "
    "server itself mid-download. kube-score only checks that ephemeral-storage is set, never that it "
    "fits the model."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    "kserve/kserve#3869",
)
FIX = "Give the download volume a `sizeLimit` (or the container an `ephemeral-storage` limit) above the model size, or use a PVC."
EXAMPLE = """\
volumes:
  - name: cache
    emptyDir:
      sizeLimit: 40Gi
"""
TAGS = ("kubernetes", "ml", "storage", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            model = hub_download(workload, container)
            target = download_dir(workload, container, ctx)
            if model is None or is_persistent(workload, container, target):
                continue
            found = _budget(workload, container, target)
            size = model_size_gib(workload, ctx)
            pointer, limit = found
            if limit is None or (size is not None and limit < size):
                have = (
                    "no size limit"
                    if limit is None
                    else f"a {limit:g} GiB limit for a {size:g} GiB model"
                )
                yield Issue(
                    ID,
                    pointer,
                    f"container {container.name!r} downloads {model.value} into {target} with {have}",
                    obj=workload.obj,
                )


def _budget(workload: Workload, container: Container, target: str) -> tuple[str, float | None]:
    """(pointer, GiB) of the limit that bounds the download: emptyDir sizeLimit or ephemeral-storage."""
    mount = mount_for(container, target)
    volumes = workload.pod.get("volumes") or []
    for index, volume in enumerate(volumes if mount else []):
        if (
            isinstance(volume, dict)
            and mount
            and volume.get("name") == mount[1].get("name")
            and "emptyDir" in volume
        ):
            limit = quantity_gib(mapping(volume.get("emptyDir")).get("sizeLimit"))
            return f"{workload.pod_pointer}/volumes/{index}", limit
    limit = quantity_gib(mapping(container.resources.get("limits")).get("ephemeral-storage"))
    return f"{container.pointer}/resources", limit
