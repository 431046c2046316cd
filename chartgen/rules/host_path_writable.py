"""hostPath volumes mounted read-write."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import ObjectSet, mapping

ID = "host-path-writable"
SEVERITY = Severity.WARNING
SUMMARY = "hostPath volumes should be mounted readOnly"
RATIONALE = (
    "A writable hostPath lets the container change the node's files: with a path like /, /etc, "
    "/var/lib/kubelet or the container runtime's socket it is a node takeover, and even a model "
    "cache directory on the host is shared, unaccounted disk that any pod on the node can poison. "
    "Kubernetes: 'HostPath volumes present many security risks ... If restricting HostPath access "
    "to specific directories ... volumeMounts MUST be required to use readOnly mounts'. Pod "
    "Security 'baseline' forbids hostPath altogether. kube-linter `writable-host-mount`."
)
REFERENCES = (
    "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
    "https://docs.kubelinter.io/#/generated/checks?id=writable-host-mount",
)
FIX = "Mount it with `readOnly: true`, or use a PersistentVolumeClaim (a local PV) or an emptyDir."
EXAMPLE = """\
volumeMounts:
  - name: models
    mountPath: /models
    readOnly: true
volumes:
  - name: models
    hostPath: {path: /mnt/models, type: Directory}
"""
TAGS = ("kubernetes", "security", "storage")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers():
        for index, mount in container.mounts:
            volume = workload.volume(str(mount.get("name")))
            if volume is None or "hostPath" not in volume or mount.get("readOnly") is True:
                continue
            path = mapping(volume.get("hostPath")).get("path")
            message = (
                f"container {container.name!r} mounts hostPath {path!r} read-write "
                f"at {mount.get('mountPath')!r}"
            )
            yield Issue(ID, f"{container.pointer}/volumeMounts/{index}", message, obj=workload.obj)
