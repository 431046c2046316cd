"""Write the bundled schemas in kubeconform's standalone layout (kubeconform backend, users).

Layout (point kubeconform at both locations):
  DIR/v1.34.0-standalone[-strict]/deployment-apps-v1.json  (-schema-location DIR)
  DIR/monitoring.coreos.com/servicemonitor_v1.json
      (-schema-location 'DIR/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json')
Every file is self-contained: the `$defs` it needs are inlined, refs point at `#/$defs/...`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chartgen.validate.crds import CrdVersion, all_bundled_crds
from chartgen.validate.k8s import definitions, load_schema_file, resource_schema_names
from chartgen.validate.naming import crd_schema_path, safe_tokens
from chartgen.validate.standalone import standalone
from chartgen.validate.store import crd_schema
from chartgen.validate.versions import KubeVersion, parse_kube_version

LAYOUT_VERSION = 1  # bump when what is written changes, so cached exports are rebuilt
CRD_LOCATION = "{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"


def builtin_folder_name(version: KubeVersion, strict: bool) -> str:
    return f"v{version.schema_version}-standalone{'-strict' if strict else ''}"


def kubeconform_locations(directory: Path) -> list[str]:
    """The `-schema-location` values that make kubeconform read an exported layout."""
    return [str(directory), f"{directory}/{CRD_LOCATION}"]


def export_kubeconform_layout(
    directory: Path,
    kube_version: KubeVersion | str,
    strict: bool,
    crds: Sequence[CrdVersion] = (),
    *,
    builtin: bool = True,
    bundled: bool = True,
) -> list[Path]:
    """Write built-in kinds, bundled CRDs (unless disabled) and `crds`; returns what it wrote."""
    version = (
        kube_version if isinstance(kube_version, KubeVersion) else parse_kube_version(kube_version)
    )
    written = _export_builtin(directory, version, strict) if builtin else []
    for crd in _unique([*crds, *(all_bundled_crds() if bundled else [])]):
        if not safe_tokens(crd.group, crd.version, crd.kind):
            continue  # never a path from untrusted names; such objects have no schema here
        written.append(
            _write(
                directory / crd_schema_path(crd.group, crd.version, crd.kind),
                crd_schema(crd, version, strict),
            )
        )
    return written


def _export_builtin(directory: Path, version: KubeVersion, strict: bool) -> list[Path]:
    folder = directory / builtin_folder_name(version, strict)
    defs = definitions(version, strict)
    return [
        _write(folder / name, standalone(load_schema_file(version, strict, name), defs))
        for name in resource_schema_names(version, strict)
    ]


def _unique(crds: Sequence[CrdVersion]) -> list[CrdVersion]:
    """First definition of a group/version/kind wins, as in the built-in backend."""
    seen: dict[tuple[str, str, str], CrdVersion] = {}
    for crd in crds:
        seen.setdefault((crd.group, crd.version, crd.kind), crd)
    return list(seen.values())


def _write(path: Path, schema: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, separators=(",", ":")), encoding="utf-8")
    return path
