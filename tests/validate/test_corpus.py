"""The shared corpus: builtin and kubeconform give the same verdict on every document, and the
real kubeconform binary agrees when run directly on the files with the exported schemas."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from chartgen.findings import LintResult, Severity
from chartgen.lint.engine import lint_paths
from chartgen.lint.options import LintOptions
from chartgen.validate.export import export_kubeconform_layout, kubeconform_locations
from chartgen.validate.versions import newest_bundled

CORPUS = Path(__file__).resolve().parent / "corpus"
VALID = sorted((CORPUS / "valid").glob("*.yaml"))
INVALID = sorted((CORPUS / "invalid").glob("*.yaml"))
ALL = VALID + INVALID


@pytest.fixture(autouse=True)
def _isolated_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("CHARTGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "schema-cache"))


def _lint(validator: str, kubeconform: Path | None = None) -> LintResult:
    options = LintOptions(
        validator=validator,
        kubeconform=str(kubeconform) if kubeconform else None,
        rules=False,
    )
    return lint_paths([str(p) for p in ALL], options)


def _per_document(result: LintResult) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(file, object) -> {(rule, JSON pointer)} for every error; every document gets a key."""
    verdicts: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for finding in result.findings:
        if finding.severity == Severity.ERROR:
            key = (finding.location.file, str(finding.obj))
            verdicts.setdefault(key, set()).add((finding.rule_id, finding.json_path))
    return verdicts


def test_corpus_is_large_enough() -> None:
    assert len(VALID) >= 25 and len(INVALID) >= 25 and len(ALL) >= 50


def test_builtin_verdicts_match_the_folders() -> None:
    result = _lint("builtin")
    failing = {Path(file) for file, _ in _per_document(result)}
    assert failing == set(INVALID)
    warnings = [f for f in result.findings if f.severity != Severity.ERROR]
    assert warnings == []


def test_kubeconform_backend_agrees_document_by_document(kubeconform: Path) -> None:
    builtin = _per_document(_lint("builtin"))
    external = _per_document(_lint("kubeconform", kubeconform))
    assert external == builtin
    assert len(builtin) >= len(INVALID)


def test_kubeconform_binary_agrees_on_the_raw_files(kubeconform: Path, tmp_path: Path) -> None:
    """No chartgen parsing in between: kubeconform reads the YAML itself (-strict: duplicates)."""
    version = newest_bundled()
    export_kubeconform_layout(tmp_path, version, strict=True)
    command = [str(kubeconform), "-strict", "-output", "json", "-kubernetes-version"]
    command.append(version.schema_version)
    for location in kubeconform_locations(tmp_path):
        command += ["-schema-location", location]
    done = subprocess.run([*command, *map(str, ALL)], capture_output=True, text=True, check=False)
    resources = json.loads(done.stdout)["resources"]
    failing = {
        Path(r["filename"]) for r in resources if r["status"] in ("statusInvalid", "statusError")
    }
    assert failing == set(INVALID), [r for r in resources if Path(r["filename"]) not in INVALID]
