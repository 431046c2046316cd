"""Where the model weights live: cache volume, writable dirs for a read-only root, pre-download."""

from __future__ import annotations

import hashlib
import math
from typing import Any

from chartgen import catalog
from chartgen.catalog.profiles import RuntimeProfile
from chartgen.model.plan import CachePlan, DownloadPlan, EnvVar, LoraPlan, WritableDir
from chartgen.model.source import MODELS_MOUNT, ModelSource

DOWNLOAD_MARKER = ".chartgen-downloaded"
# Set on the server when a Job pre-downloads, never on the Job itself ("offline mode is enabled"
# refusal); the variables are catalog facts (model_stores.yaml hub_offline_env).
OFFLINE_ENV = catalog.model_stores().hub_offline_env
# Python's getpass.getuser() reads LOGNAME, USER, LNAME, USERNAME before the passwd database, which
# has no entry for an arbitrary UID (OpenShift restricted-v2) or a UID the image does not define;
# torch (inductor cache dir) and the runtimes call it at start-up.
IDENTITY_ENV = ("USER", "LOGNAME")
IDENTITY_NAME = "model-server"
DOWNLOAD_BACKOFF_LIMIT = 4
DOWNLOAD_TTL_SECONDS = 86400  # a finished Job stays a day for its logs


def plan_cache(
    spec_cache: dict[str, Any],
    source: ModelSource,
    size_gib: float,
    max_replicas: int,
    cache_dir: str,
    native: bool = False,
) -> CachePlan:
    """The cache volume. `native`: the runtime reads the source's scheme itself, so nothing is
    downloaded into a cache and none is made unless the spec asks."""
    default_type = "per-replica" if max_replicas > 1 else "pvc"
    if native:
        default_type = "none"
    cache_type = str(
        spec_cache.get("type", default_type if source.downloads_at_runtime else "emptyDir")
    )
    # Never ReadWriteMany by default: no cloud's default class provides it (issue 11 finding 4);
    # a spec asking for it names the class (chartgen.spec checks).
    access = spec_cache.get("accessMode", "ReadWriteOnce")
    return CachePlan(
        type=cache_type,
        size=str(spec_cache.get("size", f"{max(10, math.ceil(2 * size_gib))}Gi")),
        storage_class=str(spec_cache.get("storageClass", "")),
        access_mode=str(access),
        existing_claim=str(spec_cache.get("existingClaim", "")),
        model_claim=source.claim or "",
        model_image=source.location if source.scheme == "oci" else "",
        models_mount=MODELS_MOUNT,
        mount_path=cache_dir,
    )


def writable_dirs(runtime: RuntimeProfile, read_only_root: bool) -> tuple[WritableDir, ...]:
    if not read_only_root:
        return ()
    return tuple(
        WritableDir(f"writable-{i}", path) for i, path in enumerate(runtime.writable_paths)
    )


def marker_suffix(revision: str) -> str:
    """A revision as one file name: branches such as `refs/pr/1` or `feature/x` hold slashes."""
    return revision.replace("/", "_")


def plan_download(
    spec_cache: dict[str, Any],
    source: ModelSource,
    cache_dir: str,
    loras: tuple[LoraPlan, ...] = (),
) -> DownloadPlan:
    wanted = spec_cache.get("download") == "job" and source.scheme == "hf"
    revision = source.revision or "main"
    marker = f"{cache_dir}/{DOWNLOAD_MARKER}-{marker_suffix(revision)}{_adapters_suffix(loras)}"
    # Adapters go to a fixed directory each (--local-dir), the path the runtime is given.
    steps = [f"hf download {source.location} --revision {revision} --cache-dir {cache_dir}/hub"]
    steps += [
        f"hf download {lora.repository} --revision {lora.revision} --local-dir {lora.path}"
        for lora in loras
    ]
    command = " && ".join([*steps, f"touch {marker}"])
    return DownloadPlan(
        enabled=wanted,
        marker=marker,
        command=("sh", "-c", command) if wanted else (),
        backoff_limit=DOWNLOAD_BACKOFF_LIMIT,
        ttl_seconds_after_finished=DOWNLOAD_TTL_SECONDS,
    )


def _adapters_suffix(loras: tuple[LoraPlan, ...]) -> str:
    """A marker for this set of adapters too: servers restarted for a changed adapter list must
    wait for the Job that fetches it, not start on the previous marker."""
    if not loras:
        return ""
    listed = "\n".join(f"{lora.module}@{lora.revision}" for lora in loras)
    return "-" + hashlib.sha256(listed.encode()).hexdigest()[:12]


def identity_env(spec: dict[str, Any]) -> list[EnvVar]:
    """USER and LOGNAME, unless the spec sets them itself."""
    own = {str(item.get("name")) for item in spec.get("env", [])}
    return [EnvVar(name, IDENTITY_NAME) for name in IDENTITY_ENV if name not in own]


def download_env(server_env: tuple[EnvVar, ...]) -> tuple[EnvVar, ...]:
    """The server's env for the download Job, less what would stop it downloading: the offline
    switches, and the GPU visibility the Job sets itself (it requests no GPU)."""
    dropped = {*OFFLINE_ENV, "NVIDIA_VISIBLE_DEVICES"}
    kept = (item for item in server_env if item.name not in dropped)
    return (EnvVar("NVIDIA_VISIBLE_DEVICES", "none"), *kept)
