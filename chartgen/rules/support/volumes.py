"""Which volume backs a path inside a container, and what kind of storage it is."""

from __future__ import annotations

from typing import Any

from chartgen.rules.support.objects import Container, Workload, mapping

PERSISTENT_SOURCES = ("persistentVolumeClaim", "csi", "hostPath", "nfs", "image", "iscsi", "cephfs")
SHM_PATH = "/dev/shm"


def covers(mount_path: str, path: str) -> bool:
    base = mount_path.rstrip("/") or "/"
    return path == base or path.startswith(base + "/") or base == "/"


def mount_for(container: Container, path: str) -> tuple[int, dict[str, Any]] | None:
    """The deepest volume mount that holds `path`."""
    found = [(i, m) for i, m in container.mounts if covers(str(m.get("mountPath") or "/"), path)]
    return max(found, key=lambda item: len(str(item[1].get("mountPath")))) if found else None


def writable_mount_for(container: Container, path: str) -> bool:
    found = mount_for(container, path)
    return found is not None and not found[1].get("readOnly")


def mounted_volume(workload: Workload, container: Container, path: str) -> dict[str, Any] | None:
    found = mount_for(container, path)
    return workload.volume(str(found[1].get("name"))) if found else None


def is_persistent(workload: Workload, container: Container, path: str) -> bool:
    """A volume that keeps its content across pod restarts holds `path`."""
    found = mount_for(container, path)
    if found is None:
        return False
    name = str(found[1].get("name"))
    volume = workload.volume(name) or {}
    return name in workload.claim_template_names() or any(s in volume for s in PERSISTENT_SOURCES)


def is_memory_empty_dir(volume: dict[str, Any] | None) -> bool:
    return volume is not None and mapping(volume.get("emptyDir")).get("medium") == "Memory"
