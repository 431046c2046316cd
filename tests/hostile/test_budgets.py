"""One budget (size, nesting, nodes after aliases) for every YAML/JSON reader of lint: manifest
files, stdin, rendered templates, -f values files, ci/*-values.yaml, .chartgen.yaml, crds/.
Bombs stop at the budget with a finding or a one-line exit 2, never a crash or exit 3."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import pytest

from chartgen.limits import INPUT_BUDGET
from tests.hostile.charts import make_chart
from tests.hostile.conftest import lint, one_line_error

LEVELS = "abcdefghij"


def alias_bomb(levels: int = 9) -> str:
    """Each level repeats the previous one 9 times: 9**9 (387 million) nodes once expanded."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in itertools.pairwise(LEVELS[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join(f"*{previous}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


DEEP = "a: " + "[" * 5000 + "]" * 5000 + "\n"
RECURSIVE = "a: &a [*a]\n"
BOMBS = {"alias bomb": alias_bomb(), "deep nesting": DEEP, "recursive alias": RECURSIVE}
MANIFEST_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"


def _reported(done_out: str, done_err: str) -> bool:
    text = done_out + done_err
    return any(
        word in text for word in ("alias bomb", "nested deeper than", "recursive alias", "nodes")
    )


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_manifest_file(tmp_path: Path, bomb: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        MANIFEST_HEAD + "data:\n  " + BOMBS[bomb].replace("\n", "\n  "), encoding="utf-8"
    )
    started = time.monotonic()
    done = lint(str(path))
    assert done.code == 1 and _reported(done.out, done.err), done.out + done.err
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_stdin(bomb: str) -> None:
    done = lint("-", stdin=BOMBS[bomb].encode())
    assert done.code == 1 and _reported(done.out, done.err), done.out + done.err


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_values_file(tmp_path: Path, bomb: str) -> None:
    chart = make_chart(tmp_path)
    values = tmp_path / "v.yaml"
    values.write_text(BOMBS[bomb], encoding="utf-8")
    line = one_line_error(lint(str(chart), "-f", str(values)))
    assert str(values) in line and _reported(line, "")


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_ci_values_variant(tmp_path: Path, bomb: str) -> None:
    chart = make_chart(tmp_path)
    (chart / "ci").mkdir()
    (chart / "ci" / "bomb-values.yaml").write_text(BOMBS[bomb], encoding="utf-8")
    done = lint(str(chart))
    assert done.code in (1, 2) and _reported(done.out, done.err), done.out + done.err
    assert "Traceback" not in done.err and "internal error" not in done.err


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_config_file(tmp_path: Path, bomb: str) -> None:
    chart = make_chart(tmp_path)
    (tmp_path / ".chartgen.yaml").write_text(BOMBS[bomb], encoding="utf-8")
    line = one_line_error(lint(str(chart)))
    assert ".chartgen.yaml" in line and _reported(line, "")


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_rendered_template(tmp_path: Path, bomb: str) -> None:
    chart = make_chart(
        tmp_path, template=MANIFEST_HEAD + "data:\n  " + BOMBS[bomb].replace("\n", "\n  ")
    )
    done = lint(str(chart))
    assert done.code == 1 and _reported(done.out, done.err), done.out + done.err


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_chart_crds_folder(tmp_path: Path, bomb: str) -> None:
    chart = make_chart(tmp_path)
    (chart / "crds").mkdir()
    (chart / "crds" / "bomb.yaml").write_text(BOMBS[bomb], encoding="utf-8")
    done = lint(str(chart))
    assert done.code == 1 and _reported(done.out, done.err), done.out + done.err


def test_kind_list_expansion_is_linear(tmp_path: Path) -> None:
    items = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"c{i}"}, "data": {"a": "b"}}
        for i in range(20_000)
    ]
    path = tmp_path / "list.json"
    path.write_text(
        json.dumps({"apiVersion": "v1", "kind": "List", "items": items}), encoding="utf-8"
    )
    started = time.monotonic()
    done = lint("--schema-only", str(path))
    elapsed = time.monotonic() - started
    assert done.code == 0 and "20000 objects" in done.out, done.out + done.err
    assert elapsed < 90, elapsed  # quadratic expansion took 271 s


def test_stdin_is_read_up_to_the_budget_only() -> None:
    done = lint("-", stdin=b"a: b\n" * (INPUT_BUDGET.max_bytes // 5 + 10))
    assert "more than 64 MiB" in one_line_error(done)


def test_dev_zero_on_stdin_ends(tmp_path: Path) -> None:
    import subprocess
    import sys

    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "chartgen", "lint", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2 and "more than 64 MiB" in done.stderr, done.stderr


def test_fifo_input_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    line = one_line_error(lint(str(fifo), timeout=60))
    assert "not a regular file (a FIFO)" in line


def test_device_input_is_refused(tmp_path: Path) -> None:
    line = one_line_error(lint("/dev/zero", timeout=60))
    assert "/dev/zero" in line and "not a regular file (a device)" in line


def test_large_manifest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as out:
        out.truncate(INPUT_BUDGET.max_bytes + 1)
    line = one_line_error(lint(str(path)))
    assert "larger than 64 MiB" in line
