"""The Helm worker starts from the raw command line, before click and lint import (issue 15):
with the default engine and limits, when the arguments name a chart or a file inside one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chartgen.helm import sandbox
from chartgen.lint.prestart import prestart_from_argv
from tests.lint.conftest import fresh_interpreter

CHART = Path(__file__).resolve().parent / "fixtures" / "charts" / "model-server"


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[sandbox.WorkerPool]:
    fresh = sandbox.WorkerPool()
    monkeypatch.setattr(sandbox, "POOL", fresh)
    yield fresh
    fresh.close()


def started(pool: sandbox.WorkerPool) -> list[sandbox.Limits]:
    return [process.limits for process in pool._all if process.alive()]


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", str(CHART)],
        ["-q", "lint", "--format", "json", str(CHART)],
        ["lint", "-f", str(CHART / "values.yaml"), str(CHART.parent)],
        ["lint", "--pre-commit", str(CHART / "templates" / "deployment.yaml")],
    ],
)
def test_a_chart_on_the_command_line_starts_one_worker_with_default_limits(
    pool: sandbox.WorkerPool, argv: list[str]
) -> None:
    prestart_from_argv(argv)
    assert started(pool) == [sandbox.Limits()]
    # the command's own prestart, after click, takes that worker rather than start another
    prestart_from_argv(argv)
    assert len(started(pool)) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "--engine", "cli", str(CHART)],
        ["lint", "--render-memory=256", str(CHART)],
        ["lint", "--render-timeout", "5", str(CHART)],
        ["lint", "--export-schemas", "out"],
        ["lint", "--help"],
        ["lint", str(CHART / "values.yaml")],  # a manifest-like file: no Helm
        ["lint", "-"],
        ["build", str(CHART)],
        ["lint", "--pre-commit", str(CHART.parents[3] / "README.md")],
        ["lint", "x" * 300 + ".yaml"],  # the OS refuses the name: the command reports it
        ["lint", "--pre-commit", "x" * 300 + ".yaml"],
    ],
)
def test_no_worker_when_options_decide_it_later_or_nothing_renders(
    pool: sandbox.WorkerPool, argv: list[str]
) -> None:
    prestart_from_argv(argv)
    assert started(pool) == []


def test_a_worker_replies_through_a_wide_pipe(pool: sandbox.WorkerPool) -> None:
    """1 MiB, not 64 KiB: reading a render of an operator's CRDs (~2 MB) chunk by chunk, each
    chunk waiting for the GIL a parsing thread holds, left the worker idle ~150 ms."""
    import fcntl

    with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
        if int(limit.read()) < 1024 * 1024:
            pytest.skip("this kernel caps pipes below 1 MiB")
    prestart_from_argv(["lint", str(CHART)])
    (process,) = pool._all
    assert fcntl.fcntl(process.replies.fileno(), fcntl.F_GETPIPE_SZ) == 1024 * 1024


def test_the_rule_modules_load_after_lint_starts_rendering() -> None:
    """Importing lint does not import the 80 rule modules: the engine imports them while the
    Helm worker renders the first chart, on a core that would otherwise wait."""
    probe = (
        "import sys\n"
        "import chartgen.lint.engine\n"
        "print(sum(1 for m in sys.modules if m.startswith('chartgen.rules.') and '.support' not in m))\n"
        "from chartgen.rules import all_rules\n"
        "print(len(all_rules()) > 50)\n"
    )
    out = fresh_interpreter(probe)
    assert out == ["0", "True"]


def test_the_console_script_collects_cycles_less_often_than_a_library_caller() -> None:
    """Parsing allocates hundreds of thousands of acyclic dicts and lists: the console script's
    process raises the collector's threshold; chartgen imported by a caller leaves it alone."""
    probe = (
        "import gc, sys\n"
        "import chartgen.cli as cli\n"
        "cli._run = lambda args: print(gc.get_threshold()) or 0\n"
        "sys.argv = ['chartgen', '--help']\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "cli.main()\n"
    )
    assert fresh_interpreter(probe) == ["(700, 10, 10)", "(50000, 10, 10)"]


def test_a_reply_that_cannot_be_read_ends_its_worker_and_the_next_request_gets_another(
    pool: sandbox.WorkerPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker whose reply could not be read was neither given back nor ended: at one worker
    per limits, every other render thread then waited for it forever."""
    import threading

    receive = sandbox.receive
    calls = iter(range(100))

    def flaky(stream: object) -> object:
        message = receive(stream)  # type: ignore[arg-type]
        if next(calls) == 1:  # the first render's reply (the worker's hello came first)
            raise ValueError("unreadable reply")
        return message

    monkeypatch.setattr(sandbox, "receive", flaky)
    limits = sandbox.Limits()
    request = {"op": "render", "chart": str(CHART), "values": {}, "release": "r",
               "namespace": "default", "generation": "t"}  # fmt: skip
    with pytest.raises(ValueError, match="unreadable"):
        pool.call(limits, request)
    replies: list[dict[str, object]] = []
    second = threading.Thread(
        target=lambda: replies.append(pool.call(limits, request)), daemon=True
    )
    second.start()
    second.join(timeout=60)
    assert not second.is_alive(), "the second request waited for the lost worker"
    assert "ok" in replies[0]
