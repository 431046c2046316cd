"""Which catalog runtime a container runs, recognised in any chart.

A runtime is named by the spec (RuleContext.runtime), by chartgen's pod annotation, or found from
the container image (the runtime's image repository, its vendor builds or one of its
`image_families`, all catalog data) and then its command. Every fact about a runtime is read from its catalog profile.
"""

from __future__ import annotations

import functools

from chartgen import catalog, chart_facts
from chartgen.catalog.profiles import RuntimeProfile
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.images import parse_image
from chartgen.rules.support.objects import Container, Workload
from chartgen.rules.support.quantities import quantity

# Endpoints that only say "ready" whatever the runtime (KServe v2, NIM, Kubernetes convention).
READINESS_ONLY_PATHS = ("/v2/health/ready", "/v1/health/ready", "/readyz")
_LAUNCHERS = frozenset({"python", "python3", "-m", "serve", "sh", "bash", "-c"})
_WRAPPERS = frozenset({"env", "tini", "dumb-init", "nvidia_entrypoint.sh", "entrypoint.sh"})


@functools.cache
def profiles() -> tuple[RuntimeProfile, ...]:
    """Catalog runtimes a chart can be recognised by (the custom runtime names no image)."""
    return tuple(
        profile
        for profile in map(catalog.runtime, catalog.runtime_names())
        if profile.image_repository
    )


def by_name(name: str) -> RuntimeProfile | None:
    return next((p for p in profiles() if p.name == name), None)


def _repository_path(repository: str) -> str:
    """`ghcr.io/org/name` -> `org/name`: registries mirror images under the same path."""
    first, _, rest = repository.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return rest.removeprefix("library/")
    return repository.removeprefix("library/")


def runs_image_of(profile: RuntimeProfile, image: str) -> bool:
    path = _repository_path(parse_image(image).repository)
    vendor_builds = (parse_image(image).repository for image in profile.vendor_images.values())
    families = (profile.image_repository, *profile.image_families, *vendor_builds)
    return any(
        path == family or path.endswith("/" + family) for family in map(_repository_path, families)
    )


def launcher_word(profile: RuntimeProfile) -> str | None:
    """The command word that starts this runtime (`vllm`, `sglang.launch_server`, ...)."""
    return next((w for w in profile.command if w not in _LAUNCHERS), None)


def detect(container: Container) -> RuntimeProfile | None:
    """The runtime a container runs, found from its image, then its command. An image of a
    runtime whose `command` starts another program (lmcache/vllm-openai running
    `lmcache_server`) does not run that runtime."""
    for profile in profiles():
        if runs_image_of(profile, container.image) and _may_run(profile, container):
            return profile
    words = {word.rsplit("/", 1)[-1] for _, word in container.argv}
    return next((p for p in profiles() if launcher_word(p) in words), None)


def _may_run(profile: RuntimeProfile, container: Container) -> bool:
    command = container.data.get("command")
    if not isinstance(command, list) or not command:
        return True  # the image's own entrypoint
    words = str(command[0]).split()
    program = words[0].rsplit("/", 1)[-1] if words else ""
    launcher = (launcher_word(profile) or "").rsplit("/", 1)[-1]
    return program in _LAUNCHERS or program in _WRAPPERS or program == launcher


def serving_container(workload: Workload) -> Container | None:
    """The container serving the model: the first one with accelerators, else the first one."""
    containers = workload.containers
    return next((c for c in containers if c.gpus > 0), containers[0] if containers else None)


def runtime_of(workload: Workload, container: Container, ctx: RuleContext) -> RuntimeProfile | None:
    annotations = workload.annotations
    # An empty runtime annotation marks a helper beside the server (the endpoint picker): the
    # spec's runtime is not its runtime.
    named = annotations.get(chart_facts.RUNTIME, ctx.runtime)
    serving = serving_container(workload)
    if named and workload.serves and serving is not None and serving.pointer == container.pointer:
        return by_name(named) or detect(container)
    return detect(container)


def path_prefixes(paths: tuple[str, ...]) -> tuple[str, ...]:
    """Catalog endpoint paths as prefixes: `/v2/models/{served_name}/ready` -> `/v2/models/`."""
    return tuple(path.split("{", 1)[0] for path in paths)


def model_size_gib(workload: Workload, ctx: RuleContext) -> float | None:
    annotated = quantity(workload.annotations.get(chart_facts.MODEL_SIZE_GIB))
    if annotated is not None:
        return annotated
    return ctx.model_size_gib if workload.serves else None


def spare_gpus(workload: Workload, ctx: RuleContext) -> int:
    annotated = quantity(workload.annotations.get(chart_facts.SPARE_GPUS))
    if annotated is not None:
        return int(annotated)
    return ctx.spare_gpus or 0


def is_model_server(workload: Workload, container: Container, ctx: RuleContext) -> bool:
    """A container of a long-running workload that serves a model (GPU or known runtime)."""
    if not workload.serves or container.init:
        return False
    return container.gpus > 0 or runtime_of(workload, container, ctx) is not None
