"""The tool scripts (tools/, .ci/run) and the tests' own subprocesses are race-free.

`cmd | grep -q PATTERN` under `set -o pipefail` fails at random: grep exits at its first match,
and `cmd` dies of SIGPIPE if it writes again after that (issue 17: etcd --version, 1 run in 20,
more under load). The same holds for any reader that stops early (`head`, `grep -m`, `sed q`).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# A pipe into a reader that may stop before the writer is done.
EARLY_EXIT_READER = re.compile(
    r"\|\s*(?:grep\b[^|;&]*\s-[A-Za-z]*[qm]|grep\b[^|;&]*--(?:quiet|silent|max-count)|head\b"
    r"|sed\b[^|;&]*\bq\b|awk\b[^|;&]*\bexit\b|read\b)"
)
CHECKS = ("tools/install-tools.sh", "tools/k8s/build.sh", "tools/build-render-worker.sh")
ITERATIONS = 40
BUSY_LOOPS = 2
TIME_BUDGET_SECONDS = 45.0
MIN_ROUNDS = 5


def shell_scripts() -> list[Path]:
    found = [REPO / ".ci" / "run"]
    for root in ("tools", "tests"):
        for path in sorted((REPO / root).rglob("*")):
            if path.is_file() and (path.suffix == ".sh" or _has_shell_shebang(path)):
                found.append(path)
    return found


def _has_shell_shebang(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline()
    return first.startswith(b"#!") and (b"bash" in first or b"/sh" in first)


def _code_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Logical lines without comments (a trailing backslash joins the next line)."""
    pending, start = "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = re.sub(r"(^|\s)#.*$", "", line)
        if not pending:
            start = number
        if code.endswith("\\"):
            pending += code[:-1] + " "
            continue
        yield start, pending + code
        pending = ""


def test_every_script_is_found() -> None:
    names = {p.relative_to(REPO).as_posix() for p in shell_scripts()}
    assert {".ci/run", "tools/test.sh", *CHECKS} <= names


@pytest.mark.parametrize("script", shell_scripts(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_pipe_into_a_reader_that_exits_early(script: Path) -> None:
    bad = [
        f"{n}: {text.strip()}" for n, text in _code_lines(script) if EARLY_EXIT_READER.search(text)
    ]
    assert not bad, (
        f"{script.name}: capture the output first (out=$(cmd)), then match:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("script", shell_scripts(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_strict_mode(script: Path) -> None:
    assert "set -euo pipefail" in script.read_text(encoding="utf-8")


def test_the_audit_catches_the_old_etcd_check() -> None:
    old = 'have_etcd() { [ -x "$BIN/etcd" ] && "$BIN/etcd" --version 2>/dev/null | grep -qx "etcd Version: 3.6.4"; }'
    assert EARLY_EXIT_READER.search(old)
    for fine in ('out=$("$1" --version) || return 1', "tools/install-tools.sh | tail -n 1"):
        assert not EARLY_EXIT_READER.search(fine), fine


def python_files() -> list[Path]:
    roots = ("chartgen", "tests", "tools", "bench")
    return sorted(p for root in roots for p in (REPO / root).rglob("*.py"))


def test_no_shell_pipelines_from_python() -> None:
    """Subprocesses are argv lists (no shell=True), and no process's stdout feeds another's stdin."""
    bad = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                shell = keyword.arg == "shell" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                )
                piped = keyword.arg == "stdin" and ast.unparse(keyword.value).endswith(".stdout")
                if shell or piped:
                    bad.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not bad, "\n".join(bad)


def _busy_loops() -> list[subprocess.Popen[bytes]]:
    spin = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end: pass\n"
    return [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(BUSY_LOOPS)]


def _check(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / script), "--check"], capture_output=True, text=True, check=False, timeout=60
    )


def test_version_checks_never_fail_under_cpu_load() -> None:
    """Every pinned tool's reuse check, up to 40 rounds (at most 45 s) with two busy loops on the
    CPUs; the old `etcd --version | grep -qx` check failed 20 times in 200 under such load."""
    for script in CHECKS:
        first = _check(script)
        if first.returncode != 0:
            message = f"{script} --check: tools not built yet:\n{first.stderr[-2000:]}"
            if os.environ.get("CI"):
                pytest.fail(message + "\n.ci/run builds them (tools/test.sh) before pytest")
            pytest.skip(message)
    loops = _busy_loops()
    failures: list[str] = []
    rounds = 0
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    try:
        while rounds < ITERATIONS and time.monotonic() < deadline:
            rounds += 1
            for script in CHECKS:
                done = _check(script)
                if done.returncode != 0:
                    failures.append(
                        f"{script}: exit {done.returncode}: {done.stderr.strip()[-500:]}"
                    )
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    assert not failures, f"{len(failures)} of {rounds * len(CHECKS)} checks failed:\n" + "\n".join(
        failures[:5]
    )
    assert rounds >= MIN_ROUNDS, f"only {rounds} rounds in {TIME_BUDGET_SECONDS:.0f}s"


def test_no_early_exit_reader_in_action_steps_or_python_shell_snippets() -> None:
    """The action's `run:` scripts and every string in tests/ and tools/ Python (bash -c ...)."""
    import yaml

    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    snippets = [
        (f"action.yml: {s['name']}", s["run"]) for s in action["runs"]["steps"] if "run" in s
    ]
    for path in python_files():
        if path == Path(__file__).resolve() or path.parts[len(REPO.parts)] not in (
            "tests",
            "tools",
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                snippets.append((f"{path.relative_to(REPO)}:{node.lineno}", node.value))
    bad = [where for where, text in snippets if EARLY_EXIT_READER.search(text)]
    assert not bad, bad
