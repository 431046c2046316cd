"""The best-practice stage of `chartgen lint`: chartgen.rules over each lint unit's objects.

The rule context carries the lint config (`--config` or the nearest `.chartgen.yaml` above the
input), the platform and node pool (`--platform`, else the chart's `chartgen.dev/platform` and
`chartgen.dev/node-pool`) and, for a
spec, the plan the generator decided. A finding whose location is its object's rendered file
moves to the template (or spec) line, like the schema findings.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from chartgen.findings import Finding, RuleInfo
from chartgen.lint.units import LintUnit
from chartgen.rules import RuleContext, all_rules, run_rules
from chartgen.rules.support.config import LintConfig, resolve_config


def rule_findings(
    unit: LintUnit, config: Path | None, platform: str | None = None, node_pool: str | None = None
) -> list[Finding]:
    if not unit.objects:
        return []
    target = (unit.platform, unit.node_pool)
    if platform and (node_pool or platform != unit.platform):  # --platform wins; the chart's
        target = (platform, node_pool)  # variant stays when it names the same platform
    context = _context(unit, _config(unit.source, config), target)
    found = run_rules([item.obj for item in unit.objects], context, unit.rule_memo)
    return [relocate(finding, unit) for finding in found]


def rule_infos() -> dict[str, RuleInfo]:
    return {info.id: info for info in all_rules()}


def _context(
    unit: LintUnit, config: LintConfig, target: tuple[str | None, str | None]
) -> RuleContext:
    if unit.plan is not None:
        context = RuleContext.from_plan(unit.plan, config)
    else:
        context = RuleContext(platform=target[0], node_pool=target[1], config=config)
    return dataclasses.replace(context, default_values=not unit.summary.variant)


@functools.lru_cache(maxsize=256)
def _config(source: Path | None, explicit: Path | None) -> LintConfig:
    return resolve_config(source or Path.cwd(), explicit)


def relocate(finding: Finding, unit: LintUnit) -> Finding:
    for item in unit.objects:
        if item.obj.ref == finding.obj and item.obj.file == finding.location.file:
            location, rendered = item.locator.locate(finding.json_path)
            return dataclasses.replace(
                finding, location=location, rendered=finding.rendered or rendered
            )
    return finding
