"""Every bundled upstream CRD is recorded in schemas/crds/SOURCES.txt with its source and hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from chartgen.validate.crds import bundled_crds

CRDS = Path(__file__).resolve().parents[2] / "schemas" / "crds"


def source_rows() -> dict[str, list[str]]:
    lines = (CRDS / "SOURCES.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {row[3]: row for row in rows}


def test_every_bundled_crd_has_a_source_row_with_its_sha256() -> None:
    rows = source_rows()
    files = sorted(path.relative_to(CRDS).as_posix() for path in CRDS.glob("*/*.yaml"))
    assert sorted(rows) == files
    for name, (module, version, path, _file, sha256, licence) in rows.items():
        assert module and version.startswith("v") and path.endswith(Path(name).name)
        assert hashlib.sha256((CRDS / name).read_bytes()).hexdigest() == sha256, name
        assert (CRDS / f"LICENSE-{licence}.txt").is_file()


def test_leaderworkerset_crd_is_bundled_from_the_lws_release() -> None:
    row = source_rows()["leaderworkerset.x-k8s.io/leaderworkerset.x-k8s.io_leaderworkersets.yaml"]
    assert row[:2] == ["github.com/kubernetes-sigs/lws", "v0.9.0"]
    versions = bundled_crds("leaderworkerset.x-k8s.io")
    assert [(crd.kind, crd.version) for crd in versions] == [("LeaderWorkerSet", "v1")]
