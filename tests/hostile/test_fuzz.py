"""Seeded fuzzers: mutated manifests, specs, values files, .chartgen.yaml and chart archives.
Every case ends with exit 0, 1 or 2 (never 3, never a crash), within its time bound."""

from __future__ import annotations

import io
import random
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chartgen.cli import _run
from tests.hostile.charts import chart_members, pack

REPO = Path(__file__).resolve().parents[2]
SEED = 18
CASES = 60
PER_CASE_SECONDS = 30
TOKENS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!python/object ",
    "!!str ",
    "!!int ",
    "? ",
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "\t",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "'",
    '"',
    "|\n",
    ">-\n",
    "#",
    "y",
    "1e3",
    "0o17",
    "~",
    "kind: List\nitems:\n- ",
    "kind: ../../x\n",
    "{{",
    "}}",
    "\\",
    "\n    ",
    "é",
    "😀",
    "\udcff",
]


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        operation = rng.randrange(5)
        at = rng.randrange(len(chars) + 1)
        if operation == 0 and chars:
            del chars[at : at + rng.randint(1, 20)]
        elif operation == 1:
            chars[at:at] = list(rng.choice(TOKENS))
        elif operation == 2 and chars:
            line = "".join(chars).splitlines(keepends=True)
            if line:
                chars[at:at] = list(rng.choice(line) * rng.randint(1, 3))
        elif operation == 3:
            chars = chars[: max(1, at)]
        else:
            chars[at:at] = [chr(rng.randrange(1, 0x3000))]
    return "".join(chars)


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _check(capsys: pytest.CaptureFixture[str], args: list[str]) -> int:
    started = time.monotonic()
    code = _run(args)
    captured = capsys.readouterr()
    assert code in (0, 1, 2), (args, code, captured.err[-2000:])
    assert "internal error" not in captured.err, captured.err[-2000:]
    assert time.monotonic() - started < PER_CASE_SECONDS, args
    return code


def _seeds(folder: Path, pattern: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob(pattern))]


def _fuzz(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    seeds: list[str],
    name: str,
    args: Callable[[Path], list[str]],
    salt: int,
) -> None:
    rng = random.Random(SEED * 1000 + salt)
    codes: dict[int, int] = {}
    for case in range(CASES):
        path = tmp_path / f"case{case}" / name
        path.parent.mkdir()
        _write(path, _mutate(rng.choice(seeds), rng))
        code = _check(capsys, args(path))
        codes[code] = codes.get(code, 0) + 1
    assert sum(codes.values()) == CASES


def test_fuzz_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = _seeds(REPO / "tests" / "validate" / "corpus" / "valid", "*.yaml")[:20]
    seeds += _seeds(REPO / "tests" / "lint" / "fixtures" / "manifests", "*.yaml")
    _fuzz(tmp_path, capsys, seeds, "m.yaml", lambda p: ["lint", "--schema-only", str(p)], 1)


def test_fuzz_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = _seeds(REPO / "examples", "*.yaml")
    _fuzz(
        tmp_path,
        capsys,
        seeds,
        "spec.yaml",
        lambda p: ["build", str(p), "-o", str(p.parent / "out")],
        2,
    )


def test_fuzz_values_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = REPO / "generated-charts" / "embeddings"
    seeds = [(chart / "values.yaml").read_text(encoding="utf-8")]
    _fuzz(
        tmp_path,
        capsys,
        seeds,
        "v.yaml",
        lambda p: ["lint", "--schema-only", str(chart), "-f", str(p)],
        3,
    )


def test_fuzz_lint_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", encoding="utf-8")
    seeds = [
        "rules:\n  image-tag-floating: error\n  liveness-without-startup-budget:\n"
        "    severity: warning\n    min-startup-seconds: 600\nexclude:\n  - charts/legacy/**\n"
    ]
    _fuzz(
        tmp_path,
        capsys,
        seeds,
        ".chartgen.yaml",
        lambda p: ["lint", "--config", str(p), str(manifest)],
        4,
    )


def test_fuzz_chart_archives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED * 1000 + 5)
    original = pack(tmp_path / "seed.tgz", chart_members("demo")).read_bytes()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as bundle:
        for name, data in chart_members("demo").items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    for case in range(CASES):
        data = bytearray(original if case % 2 else raw.getvalue())
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            data[at] = rng.randrange(256)
        if case % 5 == 0:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"case{case}.tgz"
        path.write_bytes(bytes(data))
        _check(capsys, ["lint", "--schema-only", str(path)])
