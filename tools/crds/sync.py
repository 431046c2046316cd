#!/usr/bin/env python3
"""Copy the upstream CRDs chartgen bundles into schemas/crds/, from the modules pinned in go.mod.

Usage: python tools/crds/sync.py [--check]

Each module is fetched with `go mod download -json MODULE@VERSION` (checksums verified against
go.sum by the go command), and the listed CRD files are bundled, trimmed (below), as
schemas/crds/<spec.group>/<file>. Projects the Go module proxy does not serve (GITHUB_FILES) are
read from the project's own repository at a release tag's commit and must match a pinned sha256;
--check verifies their committed copies against that pin without the network; --mirror DIR reads
them from local clones instead of downloading. Every file is bundled without its descriptions,
as compact JSON lines under a header naming the upstream file and its sha256 (chartgen reads JSON
far faster than YAML). schemas/crds/SOURCES.txt records module, version, path,
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
    # Google Cloud Managed Service for Prometheus: managed collection on GKE reads PodMonitoring
    "github.com/GoogleCloudPlatform/prometheus-engine": (
        "charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml",
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
    trim: bool = True  # bundle without descriptions, as compact JSON (see trimmed())


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
    # GKE Gateway's policy CRDs (GCPBackendPolicy, HealthCheckPolicy): not a module the Go proxy
    # serves; the repository's main branch after v1.4.0 (2024), as GKE serves them today.
    GithubFile(
        "GoogleCloudPlatform/gke-gateway-api",
        "v1.4.1-0.20260429155337-fc40d606a533",
        "fc40d606a5332f11a8883f85caff66b63c4e88ef",
        "config/crd/networking.gke.io_gcpbackendpolicies.yaml",
        "e696e138973d42ca54326403850c4518875053e5e8cf5238128bfc5ce5663668",
        "Apache-2.0",
    ),
    GithubFile(
        "GoogleCloudPlatform/gke-gateway-api",
        "v1.4.1-0.20260429155337-fc40d606a533",
        "fc40d606a5332f11a8883f85caff66b63c4e88ef",
        "config/crd/networking.gke.io_healthcheckpolicies.yaml",
        "94ea8b54cabad1e7c67f518de7394149e6ffb6b80ac2f8523650e3e70f6a9c94",
        "Apache-2.0",
    ),
    # InferencePool v1 of the Gateway API Inference Extension, at the last release whose endpoint
    # picker (the EPP chartgen deploys) is built from the same repository (v1.6.0 moved it to
    # llm-d/llm-d-router).
    GithubFile(
        "kubernetes-sigs/gateway-api-inference-extension",
        "v1.5.0",
        "df9f8909fe06fe2dfd4a6fc0bd0c01a0acabf849",
        "config/crd/bases/inference.networking.k8s.io_inferencepools.yaml",
        "0bc3ddd94db6f588a5cecc627c39e3d12b4343d51c48d47ffa68c50fa73c290c",
        "Apache-2.0",
    ),
)


def _trimmed_pin(repo: str, version: str, commit: str, path: str, sha256: str) -> GithubFile:
    return GithubFile(repo, version, commit, path, sha256, "Apache-2.0", trim=True)


# The CRDs of the workload kinds in chartgen/catalog/workloads.yaml. Their pod templates are
# inlined many times over (up to 2 MB each upstream), so they are bundled trimmed: descriptions
# dropped and written as one line of JSON (valid YAML) under a comment naming the upstream file
# and its sha256. Nothing that validates is removed. Releases read at their tag's commit.
GITHUB_FILES += (
    *(
        _trimmed_pin(
            "ray-project/kuberay",
            "v1.7.0",
            "59d663aeec13760646da3db9c1cf8cfe883e30b7",
            f"ray-operator/config/crd/bases/ray.io_{name}.yaml",
            sha,
        )
        for name, sha in (
            ("rayclusters", "c44704442eef0c6721ad40c1d66782c8bd3fdab9d3344306a5820910a679baa1"),
            ("rayservices", "0a8fc325e6e22b9231c1f282b309555e2ecf94227ca20a03df3d1d9a403907ab"),
            ("rayjobs", "01a5cf3b17c1769fda44af7e82debcd98722f0c27b9ab84d084681c6649121f5"),
        )
    ),
    *(
        _trimmed_pin(
            "kserve/kserve",
            "v0.20.0",
            "1fb781055dd1567164358233e1125142ca6ef1fe",
            f"config/crd/full/serving.kserve.io_{name}.yaml",
            sha,
        )
        for name, sha in (
            (
                "inferenceservices",
                "57c3bf13f77de94678bf2ae3748056ec071ad2b9e88d6a28f44fb4710758fcff",
            ),
            ("servingruntimes", "380a3e1e1444cef9b8b88819596692728868205a2147dc66423be469a4a7bbb1"),
            (
                "clusterservingruntimes",
                "c6f6bbb1b4b11afd1e38bd6d7255a8795b86efa2b7d14946ccff9d23592e6846",
            ),
        )
    ),
    _trimmed_pin(
        "kubeflow/training-operator",
        "v1.9.0",
        "6f74c7f6b2ed6c27aabd82d0a316b23f0646059c",
        "manifests/base/crds/kubeflow.org_pytorchjobs.yaml",
        "eb80e57a984cdc7ceefaaf3fc561e21b673c30cbb58589f2389528d2b2760d22",
    ),
    *(
        _trimmed_pin(
            "kubeflow/trainer",
            "v2.3.0",
            "658725bdae5c7e3a0854d93ac6ff492e109a22ab",
            f"manifests/base/crds/trainer.kubeflow.org_{name}.yaml",
            sha,
        )
        for name, sha in (
            ("trainjobs", "a742cafc5b5582640c7e0b7467c024fc237256fbca5ba0a9f0531dfb66d64416"),
            (
                "trainingruntimes",
                "69b8dbdf60a18e28cddcc2b8dfc4ce72a943e14b531b9389d593118faee4919f",
            ),
            (
                "clustertrainingruntimes",
                "ec84dc3388fcdbe8c61d3c247a773d14458dd9438e995bea8e50d2a18080eef9",
            ),
        )
    ),
    _trimmed_pin(
        "kubernetes-sigs/jobset",
        "v0.12.0",
        "f22e565ac3cc3265c7c45ef67ecffdc689af5d77",
        "config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml",
        "d022b87624512cf0b6741b31b24a2bea9945b5a838b50713af29332c878bb6fe",
    ),
    *(
        _trimmed_pin(
            "knative/serving",
            "v1.23.0",  # tag knative-v1.23.0
            "7ed4aa2ab601e3a33c6552285f6e0d910747351d",
            f"config/core/300-resources/{name}.yaml",
            sha,
        )
        for name, sha in (
            ("service", "2df2faa748f4d8e9470a2a5e9f208d7310aa89fc8cad1f2b1b9941fefe3def33"),
            ("configuration", "8ea24d5175e596cedc6df222759f86f1981b768ce9bc031a7af79a78f97195f5"),
        )
    ),
    _trimmed_pin(
        "argoproj/argo-rollouts",
        "v1.9.1",
        "b6bd3bcf8f60d717a98763d26acc983db7f97cb0",
        "manifests/crds/rollout-crd.yaml",
        "d79c0dab9bb386b1c9329fb69cf0d843fff2152b3f7916839755c1aabc7387f5",
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
        upstream_data = (module_dir / path).read_bytes()
        header = trim_header(
            f"{module}@{version} {path}", hashlib.sha256(upstream_data).hexdigest()
        )
        data = trimmed(header, upstream_data)
        target = TARGET / crd_group(data, path) / Path(path).name
        digest = hashlib.sha256(data).hexdigest()
        found.append((Copied(module, version, path, target, digest, spdx), data))
    return found


def github_item(pin: GithubFile, mirror: Path | None) -> tuple[Copied, bytes]:
    """The pinned file: the committed copy if it is the pinned one (or, trimmed, says it was made
    from it), else read from a local clone (--mirror) or downloaded, checked, and trimmed."""
    name = Path(pin.path).name
    committed = [path.read_bytes() for path in TARGET.glob(f"*/{name}") if path.is_file()]
    pinned = [data for data in committed if hashlib.sha256(data).hexdigest() == pin.sha256]
    if pin.trim:
        made = [data for data in committed if data.startswith(github_header(pin))]
        source = pinned[0] if pinned else None  # a verbatim copy, bundled before trim=True
        data = made[0] if made else trimmed(github_header(pin), source or upstream(pin, mirror))
        target = TARGET / crd_group(data, pin.path) / name
        digest = hashlib.sha256(data).hexdigest()
        return Copied(
            f"github.com/{pin.repo}", pin.version, pin.path, target, digest, pin.license
        ), data
    data = pinned[0] if pinned else upstream(pin, mirror)
    target = TARGET / crd_group(data, pin.path) / name
    return Copied(
        f"github.com/{pin.repo}", pin.version, pin.path, target, pin.sha256, pin.license
    ), data


def upstream(pin: GithubFile, mirror: Path | None) -> bytes:
    """The file as the repository has it at the pinned commit, sha256 checked."""
    if mirror is not None:
        clone = mirror / pin.repo.replace("/", "+") / "repo"
        done = subprocess.run(
            ["git", "-C", str(clone), "show", f"{pin.commit}:{pin.path}"],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{clone}: {done.stderr.decode(errors='replace').strip()}")
        data = done.stdout
    else:
        url = f"https://raw.githubusercontent.com/{pin.repo}/{pin.commit}/{pin.path}"
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pin.sha256:
        sys.exit(f"{pin.repo}@{pin.version} {pin.path}: sha256 {digest}, pinned {pin.sha256}")
    return bytes(data)


def trim_header(source: str, sha256: str) -> bytes:
    return (
        f"# {source} sha256:{sha256}, bundled by tools/crds/sync.py without descriptions, as JSON\n"
    ).encode()


def github_header(pin: GithubFile) -> bytes:
    return trim_header(f"{pin.repo}@{pin.version} ({pin.commit}) {pin.path}", pin.sha256)


def trimmed(header: bytes, data: bytes) -> bytes:
    """The CRD without `description` texts, one JSON line per document under `header`. chartgen
    reads such files with json.loads (chartgen/validate/crds.py): ~30x faster than a YAML parse
    of the verbatim file, and each lint run that meets a custom resource parses its CRD."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = [d for d in yaml.load_all(data, Loader=loader) if d]
    lines = [json.dumps(_without_descriptions(d), separators=(",", ":")) for d in documents]
    return header + "\n---\n".join(lines).encode() + b"\n"


def _without_descriptions(node: object) -> object:
    if isinstance(node, dict):
        return {
            k: _without_descriptions(v)
            for k, v in node.items()
            if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


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
    parser.add_argument(
        "--mirror",
        type=Path,
        help="directory of local clones (<owner>+<name>/repo) to read GITHUB_FILES from",
    )
    args = parser.parse_args()
    pins = pinned_versions()
    collected = [item for module in CRD_FILES for item in collect(module, pins[module])]
    collected += [github_item(pin, args.mirror) for pin in GITHUB_FILES]
    by_target = {copied.target: (copied, data) for copied, data in collected}
    items = list(by_target.values())  # one copy per license file: the last module's
    return check(items) if args.check else write(items)


if __name__ == "__main__":
    sys.exit(main())
