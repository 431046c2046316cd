"""The kubeconform backend: the real binary, pointed at the same schemas exported offline.

The built-in kinds and bundled CRDs are exported once per (Kubernetes version, strictness) into a
cache directory and reused; CRDs given with --crd or found in charts go to a per-run directory.
Objects are written as JSON, one file each, so results map back to objects by file name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from chartgen._version import __version__
from chartgen.errors import ToolError
from chartgen.manifests import ManifestObject
from chartgen.validate.crds import bundled_root
from chartgen.validate.export import (
    CRD_LOCATION,
    LAYOUT_VERSION,
    export_kubeconform_layout,
    kubeconform_locations,
)
from chartgen.validate.issues import (
    RULE_SCHEMA_INVALID,
    RULE_VALIDATOR_ERROR,
    Issue,
    missing_schema,
    unknown_field,
)
from chartgen.validate.naming import safe_tokens, split_api_version
from chartgen.validate.store import SchemaStore

_ADDITIONAL_RE = re.compile(r"^additional properties (.+) not allowed$")
# kubeconform's msg is the whole error tree on one line: " - at '/p': m   - at '/p/q': m2 ..."
_TREE_RE = re.compile(r"( +)- at '([^']*)': (.*?)(?= +- at '|$)")
_GROUPING_MESSAGES = ("validation failed",)
_ALTERNATIVES_PREFIXES = ("oneOf failed", "anyOf failed", "allOf failed")
_QUOTED_RE = re.compile(r"'((?:[^'\\]|\\.)*)'")
_MISSING_PREFIX = "could not find schema for "
_COMPLETE_MARKER = ".complete"


def find_kubeconform(binary: str | None = None) -> str | None:
    return shutil.which(binary or "kubeconform")


def cache_root() -> Path:
    explicit = os.environ.get("CHARTGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chartgen"


class KubeconformBackend:
    name = "kubeconform"

    def __init__(self, store: SchemaStore, binary: str | None = None) -> None:
        found = find_kubeconform(binary)
        if not found:
            raise ToolError(
                f"kubeconform binary not found: {binary or 'kubeconform'} (use --validator builtin)"
            )
        self.binary = found
        self.store = store

    def check(self, objects: Sequence[ManifestObject]) -> list[list[Issue]]:
        """kubeconform builds schema paths from kinds: an object whose group, version or kind
        could name another file never reaches it (it has no schema here anyway)."""
        sendable = [
            index
            for index, obj in enumerate(objects)
            if safe_tokens(*split_api_version(obj.api_version), obj.kind)
        ]
        results = self._check([objects[i] for i in sendable])
        issues = [
            [missing_schema(obj.api_version, obj.kind, self.store.version.minor_version)]
            for obj in objects
        ]
        for index, found in zip(sendable, results, strict=True):
            issues[index] = found
        return issues

    def _check(self, objects: Sequence[ManifestObject]) -> list[list[Issue]]:
        if not objects:
            return []
        cached = cached_layout(self.store)
        with tempfile.TemporaryDirectory(prefix="chartgen-kubeconform-") as scratch:
            extra = Path(scratch) / "crds"
            export_kubeconform_layout(
                extra,
                self.store.version,
                self.store.strict,
                list(self.store.extra_crds.values()),
                builtin=False,
                bundled=False,
            )
            documents = _write_documents(Path(scratch) / "docs", objects)
            report = self._run(
                documents,
                [
                    *kubeconform_locations(cached)[:1],
                    f"{extra}/{CRD_LOCATION}",
                    f"{cached}/{CRD_LOCATION}",
                ],
            )
        return self._issues(report, objects)

    def _run(self, documents: Path, locations: list[str]) -> dict[str, Any]:
        command = [
            self.binary,
            "-output",
            "json",
            "-kubernetes-version",
            self.store.version.schema_version,
        ]
        command += ["-strict"] if self.store.strict else []
        for location in locations:
            command += ["-schema-location", location]
        done = subprocess.run(
            [*command, str(documents)], capture_output=True, text=True, check=False
        )
        try:
            report: dict[str, Any] = json.loads(done.stdout)
        except json.JSONDecodeError as exc:
            raise ToolError(
                f"kubeconform failed (exit {done.returncode}): "
                f"{done.stderr.strip() or done.stdout.strip()}"
            ) from exc
        return report

    def _issues(
        self, report: dict[str, Any], objects: Sequence[ManifestObject]
    ) -> list[list[Issue]]:
        issues: list[list[Issue]] = [[] for _ in objects]
        for resource in report.get("resources") or []:
            index = int(Path(str(resource.get("filename"))).stem)
            issues[index].extend(self._resource_issues(resource, objects[index]))
        return issues

    def _resource_issues(self, resource: dict[str, Any], obj: ManifestObject) -> list[Issue]:
        message = str(resource.get("msg") or "")
        if resource.get("status") == "statusInvalid":
            leaves = error_leaves(message) or [
                (str(e.get("path") or ""), str(e.get("msg") or ""))
                for e in resource.get("validationErrors") or []
            ]
            found = [issue for path, text in leaves for issue in _validation_issues(path, text)]
            return found or [Issue(RULE_SCHEMA_INVALID, "", message)]
        if message.startswith(_MISSING_PREFIX):
            return [missing_schema(obj.api_version, obj.kind, self.store.version.minor_version)]
        return [Issue(RULE_VALIDATOR_ERROR, "", f"kubeconform: {message}")]


def error_leaves(message: str) -> list[tuple[str, str]]:
    """(pointer, message) of the errors that say what is wrong, from kubeconform's error tree."""
    entries = [
        (len(m.group(1)) // 2, m.group(2), m.group(3).strip()) for m in _TREE_RE.finditer(message)
    ]
    leaves: list[tuple[str, str]] = []
    skip_deeper_than: int | None = None
    for depth, pointer, text in entries:
        if skip_deeper_than is not None and depth > skip_deeper_than:
            continue
        skip_deeper_than = None
        if text.startswith(_ALTERNATIVES_PREFIXES):
            children = [t for d, _, t in entries if d == depth + 1]
            leaves.append((pointer, f"{text} ({'; '.join(children)})" if children else text))
            skip_deeper_than = depth
        elif text not in _GROUPING_MESSAGES:
            leaves.append((pointer, text))
    return leaves


def _validation_issues(pointer: str, message: str) -> list[Issue]:
    additional = _ADDITIONAL_RE.match(message)
    if additional:
        return [unknown_field(pointer, field) for field in _QUOTED_RE.findall(additional.group(1))]
    return [Issue(RULE_SCHEMA_INVALID, pointer, message)]


def _write_documents(folder: Path, objects: Sequence[ManifestObject]) -> Path:
    folder.mkdir(parents=True)
    for index, obj in enumerate(objects):
        (folder / f"{index:06d}.json").write_text(
            json.dumps(obj.data, default=str), encoding="utf-8"
        )
    return folder


def _layout_key() -> str:
    """Changes whenever what the export writes can change: tool, schemas, bundled CRDs."""
    sources = bundled_root() / "SOURCES.txt"
    crds = sources.read_bytes() if sources.is_file() else b""
    digest = hashlib.sha256(crds + f"{LAYOUT_VERSION}".encode()).hexdigest()[:12]
    return f"chartgen-{__version__}-kv-{metadata.version('kubernetes-validate')}-{digest}"


def cached_layout(store: SchemaStore) -> Path:
    """Built-in kinds and bundled CRDs for this version and strictness, exported once and reused."""
    flavour = f"v{store.version.schema_version}-{'strict' if store.strict else 'loose'}"
    target = cache_root() / "kubeconform" / _layout_key() / flavour
    if (target / _COMPLETE_MARKER).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{flavour}-", dir=target.parent))
    export_kubeconform_layout(staging, store.version, store.strict)
    (staging / _COMPLETE_MARKER).write_text("", encoding="utf-8")
    try:
        staging.rename(target)
    except OSError:  # another run finished first: use its copy
        shutil.rmtree(staging, ignore_errors=True)
    return target
