"""Memory-backed /dev/shm without a size limit."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping, sequence
from chartgen.rules.support.volumes import SHM_PATH, is_memory_empty_dir

ID = "shm-without-size-limit"
SEVERITY = Severity.WARNING
SUMMARY = "A memory-backed /dev/shm should set sizeLimit"
RATIONALE = (
    "A `medium: Memory` emptyDir is tmpfs charged to the container's memory: without `sizeLimit` "
    "it may grow until the pod is OOM-killed or evicted, and the memory limit cannot be sized "
    "for it. Runtimes document their needs: vLLM/SGLang several GiB with tensor parallelism, TGI 1 "
    "GiB when sharded, Triton's Python backend 64 MiB per instance (triton-inference-server/server#4869)."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
    "triton-inference-server/server#4869",
    "huggingface/text-generation-inference#869",
)
FIX = "Set `emptyDir.sizeLimit` on the /dev/shm volume and include it in the memory limit."
EXAMPLE = """\
volumes:
  - name: shm
    emptyDir:
      medium: Memory
      sizeLimit: 2Gi
"""
TAGS = ("kubernetes", "gpu", "reliability")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload in objects.workloads:
        names = {
            str(mount.get("name"))
            for container in workload.all_containers
            for _, mount in container.mounts
            if str(mount.get("mountPath")).rstrip("/") == SHM_PATH
        }
        for index, volume in enumerate(sequence(workload.pod.get("volumes"))):
            if volume_is_unbounded_shm(volume, names):
                pointer = f"{workload.pod_pointer}/volumes/{index}/emptyDir"
                yield Issue(
                    ID,
                    pointer,
                    f"/dev/shm volume {volume.get('name')!r} has no sizeLimit",
                    obj=workload.obj,
                )


def volume_is_unbounded_shm(volume: object, shm_names: set[str]) -> bool:
    item = mapping(volume)
    return (
        str(item.get("name")) in shm_names
        and is_memory_empty_dir(item)
        and not mapping(item.get("emptyDir")).get("sizeLimit")
    )
