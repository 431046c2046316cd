"""Hostile and careless `chartgen build` inputs and outputs: file names that inject YAML,
characters YAML readers reject, odd revisions and targets, permissions, kills, races, -o trouble."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.chart.helpers import helm_template, objects
from tests.hostile.conftest import chartgen

BASE: dict[str, Any] = {
    "apiVersion": "chartgen/v1",
    "kind": "ModelService",
    "metadata": {"name": "demo"},
    "spec": {
        "runtime": "vllm",
        "model": {"source": "hf://org/model", "sizeGiB": 2},
        "resources": {"cpu": "2", "memory": "16Gi", "gpu": {"count": 1, "product": "L4"}},
    },
}


def _spec(tmp_path: Path, name: str = "demo.yaml", **spec: Any) -> Path:
    document = json.loads(json.dumps(BASE))
    for dotted, value in spec.items():
        node = document
        *parents, last = dotted.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _build(spec: Path, out: Path, *extra: str) -> None:
    done = chartgen("build", str(spec), "-o", str(out), *extra)
    assert done.code == 0, done.err


def test_file_name_with_newline_injects_nothing(tmp_path: Path, helm4: Path) -> None:
    spec = _spec(tmp_path, "x\ndependencies:\n- name: evil\n  repository: evil.example\n#.yaml")
    _build(spec, tmp_path / "out")
    chart = tmp_path / "out" / "demo"
    for name in ("Chart.yaml", "values.yaml"):
        data = yaml.safe_load((chart / name).read_text(encoding="utf-8"))
        assert "dependencies" not in data, name
    assert helm_template(helm4, chart).returncode == 0


def test_emoji_metadata_is_utf8_helm_reads(tmp_path: Path, helm_cli: Path) -> None:
    text = "Serves 🤖 models — für alle"
    spec = _spec(
        tmp_path, metadata__description=text, metadata__team="ml 🚀", metadata__owner="ö@x.io"
    )
    _build(spec, tmp_path / "out")
    chart_yaml = (tmp_path / "out" / "demo" / "Chart.yaml").read_text(encoding="utf-8")
    assert "\\ud83e" not in chart_yaml and "🤖" in chart_yaml
    done = subprocess.run(
        [str(helm_cli), "show", "chart", str(tmp_path / "out" / "demo")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown = yaml.safe_load(done.stdout)
    assert shown["description"] == text
    assert shown["maintainers"][0]["name"] == "ml 🚀"


@pytest.mark.parametrize("revision", ["refs/pr/1", "feature/x", "a/b/c"])
def test_hf_revision_with_slash_gives_one_marker_file(
    tmp_path: Path, helm4: Path, revision: str
) -> None:
    spec = _spec(
        tmp_path,
        spec__model={
            "source": f"hf://org/model@{revision}",
            "sizeGiB": 2,
            "cache": {"type": "pvc", "download": "job"},
        },
    )
    _build(spec, tmp_path / "out")
    values = yaml.safe_load((tmp_path / "out" / "demo" / "values.yaml").read_text(encoding="utf-8"))
    marker = (
        values["download"]["marker"]
        if "download" in values
        else values["model"]["download"]["marker"]
    )
    assert "/" not in marker.rsplit("/", 1)[1] and marker.endswith(revision.replace("/", "_"))
    assert marker.rsplit("/", 2)[-2] != revision.split("/")[0]


def _find(data: Any, key: str) -> Any:
    if isinstance(data, dict):
        if key in data:
            return data[key]
        for value in data.values():
            found = _find(value, key)
            if found is not None:
                return found
    return None


def test_fractional_cpu_target_is_rejected_at_its_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, spec__autoscaling={"enabled": True, "signal": "cpu", "target": 70.5})
    done = chartgen("build", str(spec), "-o", str(tmp_path / "out"))
    assert done.code == 2 and "autoscaling.target" in done.err and "whole number" in done.err
    assert "Traceback" not in done.err


def test_whole_float_cpu_target_is_an_integer(tmp_path: Path, helm4: Path) -> None:
    spec = _spec(
        tmp_path,
        spec__runtime="tgi",
        spec__autoscaling={"enabled": True, "signal": "cpu", "target": 70.0},
    )
    _build(spec, tmp_path / "out")
    done = helm_template(helm4, tmp_path / "out" / "demo")
    hpa = next(o for o in objects(done.stdout) if o["kind"] == "HorizontalPodAutoscaler")
    utilization = hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"]
    assert utilization == 70 and isinstance(utilization, int)


def test_tls_secret_without_host_is_a_spec_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, spec__exposure={"type": "ingress", "tlsSecret": "cert"})
    done = chartgen("build", str(spec), "-o", str(tmp_path / "out"))
    assert done.code == 2 and "tlsSecret needs exposure.host" in done.err, done.err


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_chart_directories_follow_umask(tmp_path: Path, umask: int) -> None:
    spec = _spec(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os,sys; os.umask({umask}); from chartgen.cli import main; "
            f"main(['build', {str(spec)!r}, '-o', {str(tmp_path / 'out')!r}])",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for directory in (tmp_path / "out" / "demo", tmp_path / "out" / "demo" / "templates"):
        assert directory.stat().st_mode & 0o777 == 0o777 & ~umask, directory
    assert (tmp_path / "out" / "demo" / "Chart.yaml").stat().st_mode & 0o777 == 0o666 & ~umask


def test_user_files_are_kept_and_stale_templates_removed(tmp_path: Path) -> None:
    spec, out = _spec(tmp_path), tmp_path / "out"
    _build(spec, out)
    chart = out / "demo"
    (chart / "ci" / "prod-values.yaml").write_text("replicaCount: 3\n", encoding="utf-8")
    (chart / "NOTES.md").write_text("ours\n", encoding="utf-8")
    (chart / "templates" / "old-generated.yaml").write_text("# stale\n", encoding="utf-8")
    done = chartgen("build", str(spec), "-o", str(out))
    assert done.code == 0 and "ci/prod-values.yaml" in done.err and "NOTES.md" in done.err
    assert (chart / "ci" / "prod-values.yaml").read_text(encoding="utf-8") == "replicaCount: 3\n"
    assert (chart / "NOTES.md").exists() and not (
        chart / "templates" / "old-generated.yaml"
    ).exists()
    assert chartgen("build", "--check", str(spec), "-o", str(out)).code == 0


def test_litter_of_killed_builds_is_cleaned_and_backup_restored(tmp_path: Path) -> None:
    spec, out = _spec(tmp_path), tmp_path / "out"
    _build(spec, out)
    # what a build killed at each step leaves: staging dirs (this and older versions) and, in the
    # fallback swap, a backup of the chart that was renamed away.
    for name in (".chartgen-staging-demo-abcd1234", ".demo-new-abcd1234", ".demo-old-abcd1234"):
        shutil.copytree(out / "demo", out / name / "chart")
    (out / "demo" / "ci" / "mine-values.yaml").write_text("{}\n", encoding="utf-8")
    (out / ".chartgen-backup-demo-zzzz9999").mkdir()
    (out / "demo").rename(out / ".chartgen-backup-demo-zzzz9999" / "chart")  # killed mid-swap
    _build(spec, out)
    assert sorted(p.name for p in out.iterdir()) == ["demo"]
    assert (out / "demo" / "ci" / "mine-values.yaml").exists()  # restored backup, user file kept


def test_killed_builds_never_leave_the_chart_missing(tmp_path: Path) -> None:
    spec, out = _spec(tmp_path), tmp_path / "out"
    _build(spec, out)
    command = [sys.executable, "-m", "chartgen", "build", str(spec), "-o", str(out)]
    for delay in (0.05, 0.15, 0.25, 0.35, 0.45, 0.6, 0.8):
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            assert (out / "demo" / "Chart.yaml").is_file()
            assert (out / "demo" / "values.yaml").is_file()
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert (out / "demo" / "Chart.yaml").is_file()
    _build(spec, out)
    assert sorted(p.name for p in out.iterdir()) == ["demo"]
    assert chartgen("build", "--check", str(spec), "-o", str(out)).code == 0


def test_concurrent_builds_of_one_chart_are_serialised(tmp_path: Path) -> None:
    spec, out = _spec(tmp_path), tmp_path / "out"
    command = [sys.executable, "-m", "chartgen", "build", str(spec), "-o", str(out)]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)
    ]
    results = [
        (c.wait(timeout=120), c.stderr.read().decode() if c.stderr else "") for c in children
    ]
    for child in children:
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    assert all(code == 0 for code, _ in results), results
    assert sorted(p.name for p in out.iterdir()) == ["demo"]
    assert chartgen("build", "--check", str(spec), "-o", str(out)).code == 0


def _mount_tmpfs(options: str) -> list[str]:
    if shutil.which("unshare") is None:
        if os.environ.get("CI"):
            raise RuntimeError("unshare (util-linux) is needed for the -o tests")
        pytest.skip("no unshare")
    return ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o {options} none "$0" && exec "$@"']


@pytest.mark.parametrize("case", ["file", "below-file", "read-only", "disk-full", "long-name"])
def test_output_problems_exit_2_naming_output(tmp_path: Path, case: str) -> None:
    spec = _spec(tmp_path)
    out = tmp_path / "out"
    prefix: list[str] = []
    if case == "file":
        out.write_text("", encoding="utf-8")
    elif case == "below-file":
        (tmp_path / "f").write_text("", encoding="utf-8")
        out = tmp_path / "f" / "out"
    elif case == "long-name":
        out = tmp_path / ("o" * 300)
    else:
        mount = tmp_path / "mnt"
        mount.mkdir()
        prefix = [*_mount_tmpfs("ro,size=1m" if case == "read-only" else "size=24k"), str(mount)]
        out = mount / "out"
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "chartgen", "build", str(spec), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if prefix and "mount" in done.stderr and "chartgen" not in done.stderr:
        if os.environ.get("CI"):
            raise RuntimeError(done.stderr)
        pytest.skip(done.stderr)
    assert done.returncode == 2, done.stderr
    assert "(-o)" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_spec_path_longer_than_name_max_exits_2(tmp_path: Path) -> None:
    done = chartgen("build", str(tmp_path / ("s" * 300 + ".yaml")), "-o", str(tmp_path / "out"))
    assert done.code == 2 and "Traceback" not in done.err, done.err
