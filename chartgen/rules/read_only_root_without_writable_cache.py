"""Read-only root filesystem without writable mounts for the ML runtime's caches."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, ObjectSet, Workload
from chartgen.rules.support.runtimes import runtime_of
from chartgen.rules.support.volumes import writable_mount_for

ID = "read-only-root-without-writable-cache"
SEVERITY = Severity.ERROR
SUMMARY = (
    "ML containers with a read-only root filesystem need writable mounts for /tmp and their caches"
)
RATIONALE = (
    "`readOnlyRootFilesystem: true` is the right security default (kube-linter `no-read-only-root-fs`, "
    "Polaris `notReadOnlyRootFilesystem`), but ML runtimes write to /tmp, the Hugging Face cache "
    "(HF_HOME), ~/.cache (torch, Triton and vLLM compile caches) and the paths in their cache "
    "variables. Without writable emptyDirs there they fail at start-up, and users switch the "
    "security setting off instead. Mount emptyDirs (or the cache volume) and the two rules agree."
)
REFERENCES = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
    "vllm-project/vllm#40275",
)
FIX = "Mount an emptyDir at /tmp and at every cache directory (HF_HOME, HOME/.cache, XDG_CACHE_HOME...)."
EXAMPLE = """\
securityContext:
  readOnlyRootFilesystem: true
env:
  - {name: HOME, value: /tmp}
  - {name: HF_HOME, value: /cache}
volumeMounts:
  - {name: tmp, mountPath: /tmp}
  - {name: cache, mountPath: /cache}
"""
TAGS = ("kubernetes", "ml", "security")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"
CACHE_VARIABLES = (
    "HF_HOME",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "XDG_CACHE_HOME",
    "TRITON_CACHE_DIR",
    "VLLM_CACHE_ROOT",
    "TORCHINDUCTOR_CACHE_DIR",
    "NUMBA_CACHE_DIR",
    "NIM_CACHE_PATH",
)
SCRATCH = "/tmp"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    for workload, container in objects.containers(init=False):
        if container.security.get("readOnlyRootFilesystem") is not True:
            continue
        if container.gpus <= 0 and runtime_of(workload, container, ctx) is None:
            continue
        missing = [
            path
            for path in _needed(workload, container, ctx)
            if not writable_mount_for(container, path)
        ]
        if missing:
            message = f"container {container.name!r} has a read-only root but nothing writable at {', '.join(missing)}"
            yield Issue(
                ID,
                f"{container.pointer}/securityContext/readOnlyRootFilesystem",
                message,
                obj=workload.obj,
            )


def _needed(workload: Workload, container: Container, ctx: RuleContext) -> list[str]:
    paths = [SCRATCH]
    paths += [str(container.env_value(v)) for v in CACHE_VARIABLES if container.env_value(v)]
    home = container.env_value("HOME")
    if home:
        paths.append(posixpath.join(home, ".cache"))
    elif not container.env_value("HF_HOME"):
        runtime = runtime_of(workload, container, ctx)
        paths += [runtime.image_cache_dir] if runtime and runtime.image_cache_dir else []
    return list(dict.fromkeys(paths))
