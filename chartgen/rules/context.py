"""What rules may know beyond the manifests: facts from a chartgen spec, and the lint config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chartgen.lint.config import LintConfig


@dataclass(frozen=True)
class RuleContext:
    """Spec facts are optional: rules fall back to annotations and heuristics without them."""

    runtime: str | None = (
        None  # vllm | sglang | tgi | triton | nim | tfserving | torchserve | custom
    )
    model_size_gib: float | None = None  # weights on disk
    startup_budget_seconds: int | None = None  # how long the model may take to load
    max_request_seconds: int | None = None  # longest generation a client may wait for
    gpu_count: int | None = None  # accelerators per replica
    platform: str | None = None  # generic | gke | eks | aks | openshift
    spare_gpus: int | None = None  # free accelerators a surge rollout may use
    config: LintConfig = field(default_factory=LintConfig)

    def options(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        """A rule's options: its declared defaults overridden by the config file."""
        return self.config.options(rule_id, defaults)
