"""Model weights cached on an emptyDir that has no size limit."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.downloads import HUB_CACHE_VARIABLES, download_dir, hub_download
from chartgen.rules.support.objects import Container, ObjectSet, Workload, mapping

ID = "model-cache-on-unbounded-emptydir"
SEVERITY = Severity.WARNING
SUMMARY = "A model cache on an emptyDir needs a sizeLimit"
RATIONALE = (
    "Weights downloaded into an emptyDir without `sizeLimit` fill the node's ephemeral storage "
    "(tens to hundreds of GiB). The kubelet then evicts pods under disk pressure - often other "
    "tenants' pods first - and the scheduler cannot account for the space because nothing was "
    "requested. A size limit makes the pod request what it uses and fail alone when it overflows."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir-configuration-example",
    "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
)
FIX = (
    "Set `emptyDir.sizeLimit` above the model size (and request `ephemeral-storage`), or use a PVC."
)
EXAMPLE = """\
volumes:
  - name: model-cache
    emptyDir:
      sizeLimit: 40Gi
"""
TAGS = ("kubernetes", "ml", "storage", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
EXPLICIT_CACHE_VARIABLES = (*HUB_CACHE_VARIABLES, "HF_HOME")


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.serving_workloads:
        for container in workload.containers:
            if not _caches_models(workload, container):
                continue
            cache = download_dir(workload, container, ctx)
            mounted = _mount_of(workload, container, cache)
            if mounted is None:
                continue
            index, volume = mounted
            if "emptyDir" in volume and not mapping(volume.get("emptyDir")).get("sizeLimit"):
                message = (
                    f"container {container.name!r} caches models in {cache}, on emptyDir "
                    f"{volume.get('name')!r} without a sizeLimit"
                )
                yield Issue(
                    ID, f"{workload.pod_pointer}/volumes/{index}", message, obj=workload.obj
                )


def _caches_models(workload: Workload, container: Container) -> bool:
    explicit = any(container.env_value(name) for name in EXPLICIT_CACHE_VARIABLES)
    return explicit or hub_download(workload, container) is not None


def _mount_of(
    workload: Workload, container: Container, path: str
) -> tuple[int, dict[str, object]] | None:
    """(index in pod volumes, volume) of the deepest mount holding `path`."""
    holding = [
        (len(where), str(mount.get("name")))
        for _, mount in container.mounts
        for where in [posixpath.normpath(str(mount.get("mountPath") or ""))]
        if path == where or path.startswith(where.rstrip("/") + "/")
    ]
    if not holding:
        return None
    name = max(holding)[1]
    volumes = workload.pod.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(volume, dict) and volume.get("name") == name:
            return index, volume
    return None
