"""What `chartgen lint` was asked to do (the command line, parsed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from chartgen.helm.engine import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from chartgen.limits import RENDER_MEMORY_MIB, RENDER_SECONDS
from chartgen.validate.versions import KubeVersion, newest_bundled


@dataclass(frozen=True)
class LintOptions:
    kube_version: KubeVersion = field(default_factory=newest_bundled)
    strict: bool = True
    validator: str = "builtin"  # builtin | kubeconform | auto
    kubeconform: str | None = None  # binary path or name
    crds: tuple[Path, ...] = ()
    engine: str = "embedded"  # embedded | cli
    helm: str | None = None
    value_files: tuple[Path, ...] = ()
    set_values: tuple[str, ...] = ()
    release: str = DEFAULT_RELEASE
    namespace: str = DEFAULT_NAMESPACE
    rules: bool = True  # False: schema stage only (chartgen.rules not run)
    platform: str | None = None  # catalog platform the charts target (rules about node labels)
    node_pool: str | None = None  # the platform's node-pool variant; None: the chart's or default
    config: Path | None = None  # .chartgen.yaml for the rules; None: found upward from each input
    server: bool = False  # also dry-run every object on the cluster of kubeconfig/context
    kubeconfig: Path | None = None
    context: str | None = None
    render_seconds: float = RENDER_SECONDS  # bounds of one Helm render (chartgen/limits.py)
    render_memory_mib: int = RENDER_MEMORY_MIB
    # False: the reference path (every variant rendered, parsed and checked on its own, one
    # process); True shares identical renders, documents and objects between a chart's variants.
    # Both give byte-identical reports (tests/lint/test_fast_path.py).
    shared: bool = True
    jobs: int = 0  # processes for many inputs; 0: one per core (only with `shared`)
