"""What rules may know beyond the manifests: facts from a chartgen spec, and the lint config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chartgen.rules.support.config import LintConfig

if TYPE_CHECKING:  # the plan module loads only for spec inputs
    from chartgen.model.plan import ServingPlan


@dataclass(frozen=True)
class RuleContext:
    """Spec facts are optional: rules fall back to annotations and heuristics without them."""

    runtime: str | None = None  # a catalog runtime name (chartgen/catalog/runtimes/NAME.yaml)
    model_size_gib: float | None = None  # weights on disk
    startup_budget_seconds: int | None = None  # how long the model may take to load
    max_request_seconds: int | None = None  # longest generation a client may wait for
    gpu_count: int | None = None  # accelerators per replica
    platform: str | None = None  # a catalog platform name (--platform, or the chart says)
    node_pool: str | None = None  # its node-pool variant; None: the platform's default one
    default_values: bool = True  # False for a chart's extra values variants (ci/*-values.yaml)
    spare_gpus: int | None = None  # free accelerators a surge rollout may use
    config: LintConfig = field(default_factory=LintConfig)

    @classmethod
    def from_plan(cls, plan: ServingPlan, config: LintConfig) -> RuleContext:
        """The facts the generator decided for a spec: rules judge its chart by the same plan."""
        return cls(
            runtime=plan.runtime.name,
            model_size_gib=plan.model.size_gib,
            startup_budget_seconds=plan.probes.startup_budget_seconds,
            max_request_seconds=plan.drain.drain_seconds,
            gpu_count=plan.gpu.count,
            platform=plan.platform.name,
            node_pool=plan.gpu.node_pool,
            spare_gpus=plan.scaling.spare_gpus,
            config=config,
        )

    def options(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        """A rule's options: its declared defaults overridden by the config file."""
        return self.config.options(rule_id, defaults)
