"""Reading rule fixtures: manifests whose failing lines carry `# expect: <rule-id>` markers."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from chartgen.findings import Finding
from chartgen.lint.documents import parse_stream
from chartgen.manifests import ManifestObject
from chartgen.rules import RuleContext, run_rules

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9, -]+?)\s*$")


def load(path: Path) -> list[ManifestObject]:
    """Like a manifest input of `chartgen lint`: `# Source:` comments mark Helm-rendered objects."""
    parsed = parse_stream(path.read_text(encoding="utf-8"), path.name)
    assert parsed.problems == [], parsed.problems
    return parsed.objects


def context_for(directory: Path) -> RuleContext:
    """Spec facts for a fixture, from an optional context.yaml beside it."""
    facts = directory / "context.yaml"
    return RuleContext(**yaml.safe_load(facts.read_text())) if facts.exists() else RuleContext()


def expected_lines(path: Path, rule_id: str) -> list[int]:
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(text)
        if match and rule_id in [part.strip() for part in match.group(1).split(",")]:
            lines.append(number)
    return lines


def findings(path: Path, context: RuleContext | None = None) -> list[Finding]:
    return run_rules(load(path), context or context_for(path.parent))


def lines_of(found: list[Finding], rule_id: str) -> list[int]:
    return sorted(f.location.line for f in found if f.rule_id == rule_id)
