"""Whether the lead has wired this issue's pieces into the CLI (tests that need it skip until then)."""

from __future__ import annotations

import subprocess

from chartgen.commands import _COMMANDS
from tests.rules.doc_blocks import REPO

NEW_FORMATS = ("sarif", "junit", "github")


def lint_registered() -> bool:
    return "lint" in _COMMANDS


def formats_registered() -> bool:
    from chartgen.report import REPORTERS

    return all(name in REPORTERS for name in NEW_FORMATS)


def pre_commit_flag() -> bool:
    from chartgen.commands.lint_cmd import lint

    return any("--pre-commit" in param.opts for param in lint.params)


def hooks_committed() -> bool:
    """pre-commit installs hooks from a commit: the manifest must be in HEAD."""
    done = subprocess.run(
        ["git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0
