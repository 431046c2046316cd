"""The hook for best-practice rules: `chartgen.rules`, when it is importable, joins every lint.

Contract, all optional (nothing is called that is not there):
- `run_rules(objects: list[ManifestObject], context) -> list[Finding]`, once per lint unit (a
  chart values variant, a manifest file, stdin);
- `RuleContext(config=LintConfig)` builds that context; the config is `--config` or the nearest
  `.chartgen.yaml` above the input (`chartgen.lint.config.resolve_config`);
- `all_rules() -> list[RuleInfo]` describes the rules for reporters.
A finding whose location is its object's rendered file moves to the template (or spec) line,
like the schema findings.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from pathlib import Path
from typing import Any

from chartgen.findings import Finding, RuleInfo
from chartgen.lint.units import LintUnit

RULES_MODULE = "chartgen.rules"


@functools.cache
def rules_module() -> Any:
    try:
        return importlib.import_module(RULES_MODULE)
    except ImportError:
        return None


def rule_findings(unit: LintUnit, config: Path | None) -> list[Finding]:
    module = rules_module()
    run_rules = getattr(module, "run_rules", None)
    if not callable(run_rules) or not unit.objects:
        return []
    found = run_rules([item.obj for item in unit.objects], _context(module, unit.source, config))
    return [relocate(finding, unit) for finding in found]


def rule_infos() -> dict[str, RuleInfo]:
    describe = getattr(rules_module(), "all_rules", None)
    infos = describe() if callable(describe) else []
    return {info.id: info for info in infos if isinstance(info, RuleInfo)}


def _context(module: Any, source: Path | None, explicit: Path | None) -> Any:
    factory = getattr(module, "RuleContext", None)
    if factory is None:
        return None
    config = _config(source, explicit)
    return factory() if config is None else factory(config=config)


@functools.lru_cache(maxsize=256)
def _config(source: Path | None, explicit: Path | None) -> Any:
    try:
        from chartgen.lint.config import resolve_config
    except ImportError:
        return None
    return resolve_config(source or Path.cwd(), explicit)


def relocate(finding: Finding, unit: LintUnit) -> Finding:
    for item in unit.objects:
        if item.obj.ref == finding.obj and item.obj.file == finding.location.file:
            location, rendered = item.locator.locate(finding.json_path)
            return dataclasses.replace(
                finding, location=location, rendered=finding.rendered or rendered
            )
    return finding
