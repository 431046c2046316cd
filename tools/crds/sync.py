#!/usr/bin/env python3
"""Copy the upstream CRDs chartgen bundles into schemas/crds/, from the modules pinned in go.mod.

Usage: python tools/crds/sync.py [--check]

Each module is fetched with `go mod download -json MODULE@VERSION` (checksums verified against
go.sum by the go command), and the listed CRD files are copied verbatim to
schemas/crds/<spec.group>/<file>. Projects the Go module proxy does not serve (GITHUB_FILES) are
read from the project's own repository at a release tag's commit and must match a pinned sha256;
--check verifies their committed copies against that pin without the network. schemas/crds/SOURCES.txt records module, version, path,
sha256 and license of every file. --check verifies the committed copies instead of writing.
To bump a version: edit go.mod, run `GOFLAGS=-mod=mod go mod download MODULE@VERSION` here to
refresh go.sum, then run this script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TARGET = REPO / "schemas" / "crds"
SOURCES_FILE = TARGET / "SOURCES.txt"

# module -> CRD files inside the module zip (verified against the real module contents)
CRD_FILES: dict[str, tuple[str, ...]] = {
    "github.com/prometheus-operator/prometheus-operator": (
        "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
        "example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml",
        "example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml",
    ),
    "github.com/kedacore/keda/v2": (
        "config/crd/bases/keda.sh_scaledobjects.yaml",
        "config/crd/bases/keda.sh_triggerauthentications.yaml",
    ),
    "sigs.k8s.io/gateway-api": ("config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",),
}


@dataclass(frozen=True)
class GithubFile:
    """One CRD file of a repository at a release, pinned by commit and content hash."""

    repo: str
    version: str
    commit: str
    path: str
    sha256: str
    license: str  # SPDX id of the repository's LICENSE at that commit (read on review)


# proxy.golang.org answers 403 "not available" for sigs.k8s.io/lws, so the YAML comes from GitHub.
GITHUB_FILES: tuple[GithubFile, ...] = (
    GithubFile(
        "kubernetes-sigs/lws",
        "v0.9.0",
        "f056f611ae7721f9983ac35f26bfbae8547fd9f3",
        "config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml",
        "92382b4a4eac032dbbce7eb9bb1e4e7e99880a30656f90649aeb284ce9dc732a",
        "Apache-2.0",
    ),
    # openshift/api tags no module version past v3.9.0+incompatible and no releases: its master
    # branch at a pinned commit. The Route CRD is generated from route/v1/types.go (MicroShift
    # installs it; OpenShift's API server serves the same schema).
    GithubFile(
        "openshift/api",
        "v0.0.0-20260822000325-2a3d73913b5a",  # Go pseudo-version of the commit
        "2a3d73913b5a7caec4c57d5c3d04f51106ec4da3",
        "route/v1/zz_generated.crd-manifests/routes.crd.yaml",
        "65e2171923f7596a2a7b7da21891e9ed5906da8108ce15145b61924b9db73d82",
        "Apache-2.0",
    ),
)
LICENSE_MARKERS = {
    "Apache License": "Apache-2.0",
    "MIT License": "MIT",
    "Mozilla Public License": "MPL-2.0",
}
_REQUIRE_RE = re.compile(r"^\s*(?:require\s+)?(\S+)\s+(v\S+)\s*(?://.*)?$")


@dataclass(frozen=True)
class Copied:
    module: str
    version: str
    path: str
    target: Path
    sha256: str
    license: str


def pinned_versions() -> dict[str, str]:
    """module -> version from go.mod's require lines."""
    pins: dict[str, str] = {}
    for line in (HERE / "go.mod").read_text(encoding="utf-8").splitlines():
        match = _REQUIRE_RE.match(line)
        if match and match.group(1) in CRD_FILES:
            pins[match.group(1)] = match.group(2)
    missing = set(CRD_FILES) - set(pins)
    if missing:
        sys.exit(f"go.mod does not pin: {', '.join(sorted(missing))}")
    return pins


def download(module: str, version: str) -> Path:
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOWORK": "off"}
    done = subprocess.run(
        ["go", "mod", "download", "-json", f"{module}@{version}"],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    info = json.loads(done.stdout or "{}")
    if done.returncode != 0 or info.get("Error") or not info.get("Dir"):
        sys.exit(
            f"go mod download {module}@{version} failed: {info.get('Error') or done.stderr.strip()}"
        )
    return Path(info["Dir"])


def license_of(module_dir: Path) -> tuple[str, bytes]:
    """SPDX id and text of the module's license (shipped as schemas/crds/LICENSE-<id>.txt)."""
    for name in ("LICENSE", "LICENSE.txt", "LICENSE.md"):
        path = module_dir / name
        if path.is_file():
            text = path.read_bytes()
            decoded = text.decode("utf-8", errors="replace")
            spdx = next(
                (spdx for marker, spdx in LICENSE_MARKERS.items() if marker in decoded), None
            )
            if spdx:
                return spdx, text
    sys.exit(f"{module_dir}: no recognised license: add it to LICENSE_MARKERS after review")


def crd_group(data: bytes, path: str) -> str:
    document = yaml.safe_load(data)
    group = (document or {}).get("spec", {}).get("group")
    if document.get("kind") != "CustomResourceDefinition" or not group:
        sys.exit(f"{path}: not a CustomResourceDefinition")
    return str(group)


def collect(module: str, version: str) -> list[tuple[Copied, bytes]]:
    module_dir = download(module, version)
    spdx, license_text = license_of(module_dir)
    found = [
        (Copied(module, version, "LICENSE", TARGET / f"LICENSE-{spdx}.txt", "", spdx), license_text)
    ]
    for path in CRD_FILES[module]:
        data = (module_dir / path).read_bytes()
        target = TARGET / crd_group(data, path) / Path(path).name
        digest = hashlib.sha256(data).hexdigest()
        found.append((Copied(module, version, path, target, digest, spdx), data))
    return found


def github_item(pin: GithubFile) -> tuple[Copied, bytes]:
    """The pinned file: the committed copy if it has the pinned hash, else downloaded and checked."""
    name = Path(pin.path).name
    committed = [path.read_bytes() for path in TARGET.glob(f"*/{name}") if path.is_file()]
    pinned = [data for data in committed if hashlib.sha256(data).hexdigest() == pin.sha256]
    if pinned:
        data = pinned[0]
    else:
        url = f"https://raw.githubusercontent.com/{pin.repo}/{pin.commit}/{pin.path}"
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pin.sha256:
        sys.exit(f"{pin.repo}@{pin.version} {pin.path}: sha256 {digest}, pinned {pin.sha256}")
    target = TARGET / crd_group(data, pin.path) / name
    return Copied(
        f"github.com/{pin.repo}", pin.version, pin.path, target, digest, pin.license
    ), data


def sources_text(copied: list[Copied]) -> str:
    lines = [
        "# Upstream CRDs bundled by chartgen. Generated by tools/crds/sync.py: do not edit.",
        "# module\tversion\tpath-in-module\tfile\tsha256\tlicense",
    ]
    for item in copied:
        if not item.sha256:
            continue
        relative = item.target.relative_to(TARGET).as_posix()
        lines.append(
            f"{item.module}\t{item.version}\t{item.path}\t{relative}\t{item.sha256}\t{item.license}"
        )
    return "\n".join(lines) + "\n"


def check(items: list[tuple[Copied, bytes]]) -> int:
    stale = [
        c.target for c, data in items if not c.target.is_file() or c.target.read_bytes() != data
    ]
    expected = sources_text([c for c, _ in items])
    if not SOURCES_FILE.is_file() or SOURCES_FILE.read_text(encoding="utf-8") != expected:
        stale.append(SOURCES_FILE)
    for path in stale:
        print(f"out of date: {path.relative_to(REPO)}", file=sys.stderr)
    return 1 if stale else 0


def write(items: list[tuple[Copied, bytes]]) -> int:
    for copied, data in items:
        copied.target.parent.mkdir(parents=True, exist_ok=True)
        copied.target.write_bytes(data)
        print(
            f"{copied.module}@{copied.version} {copied.path} -> {copied.target.relative_to(REPO)}"
        )
    SOURCES_FILE.write_text(sources_text([c for c, _ in items]), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="verify the committed copies, write nothing"
    )
    args = parser.parse_args()
    pins = pinned_versions()
    collected = [item for module in CRD_FILES for item in collect(module, pins[module])]
    collected += [github_item(pin) for pin in GITHUB_FILES]
    by_target = {copied.target: (copied, data) for copied, data in collected}
    items = list(by_target.values())  # one copy per license file: the last module's
    return check(items) if args.check else write(items)


if __name__ == "__main__":
    sys.exit(main())
