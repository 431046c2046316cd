"""The YAML blocks of docs/ci.md, found by the HTML comment marker just above each."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CI_DOC = REPO / "docs" / "ci.md"


def block(marker: str) -> str:
    """The ```yaml block right after `<!-- marker... -->`."""
    text = CI_DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)}[^>]*-->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/ci.md has no yaml block marked {marker!r}"
    return match.group(1)


def yaml_block(marker: str) -> Any:
    return yaml.safe_load(block(marker))
