"""How schemas are named: kubeconform's file-name conventions for built-in kinds and CRDs."""

from __future__ import annotations

import re


def split_api_version(api_version: str) -> tuple[str, str]:
    """`apps/v1` -> ("apps", "v1"); core `v1` -> ("", "v1")."""
    group, _, version = api_version.rpartition("/")
    return group, version


_TOKEN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


def safe_tokens(*parts: str) -> bool:
    """Group, version and kind as Kubernetes spells them (DNS labels, CamelCase): nothing that
    could name another file when a schema file name is built from them (`..`, `/`, NUL)."""
    return all(part == "" or (_TOKEN_RE.fullmatch(part) and ".." not in part) for part in parts)


def builtin_schema_name(api_version: str, kind: str) -> str:
    """kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`, e.g. `deployment-apps-v1.json`."""
    group, version = split_api_version(api_version)
    suffix = f"-{group.split('.')[0].lower()}" if group else ""
    return f"{kind.lower()}{suffix}-{version.lower()}.json"


def crd_schema_path(group: str, version: str, kind: str) -> str:
    """kubeconform's `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`."""
    return f"{group}/{kind.lower()}_{version}.json"
