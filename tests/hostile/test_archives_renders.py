"""Chart archives are unpacked within Helm's own limits while extracting, errors inside them are
named `chart.tgz!/path`, a .tgz with two charts lints both; renders run under a time and
memory bound and a runaway template is a finding (exit 1), never an abort (exit 134)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from chartgen.limits import MAX_ARCHIVE_FILE_BYTES
from tests.hostile.charts import chart_members, make_chart, pack
from tests.hostile.conftest import lint, one_line_error


def _disk_used(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_archive_bomb_is_refused_before_it_reaches_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    archive = pack(tmp_path / "bomb.tgz", chart_members("bomb"), big={"bomb/files/zeros": 1024**3})
    assert archive.stat().st_size < 2 * 1024 * 1024  # 1 GiB of zeros packs to about 1 MiB
    monkeypatch.setenv("TMPDIR", str(scratch))
    started = time.monotonic()
    line = one_line_error(lint(str(archive)))
    assert "bomb.tgz!/bomb/files/zeros" in line and "5 MiB" in line
    assert time.monotonic() - started < 60
    assert _disk_used(scratch) < 2 * MAX_ARCHIVE_FILE_BYTES


def test_archive_total_is_bounded(tmp_path: Path) -> None:
    big = {f"many/files/f{i}": MAX_ARCHIVE_FILE_BYTES - 1 for i in range(21)}
    archive = pack(tmp_path / "many.tgz", chart_members("many"), big=big)
    line = one_line_error(lint(str(archive)))
    assert "100 MiB" in line and "many.tgz" in line


def test_truncated_archive_is_one_line(tmp_path: Path) -> None:
    archive = pack(tmp_path / "full.tgz", chart_members("demo"))
    data = archive.read_bytes()
    cut = tmp_path / "cut.tgz"
    cut.write_bytes(data[: len(data) // 2])
    line = one_line_error(lint(str(cut)))
    assert "cut.tgz" in line and "truncated" in line


def test_not_gzip_archive_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "fake.tgz"
    fake.write_bytes(b"not an archive at all")
    assert "fake.tgz" in one_line_error(lint(str(fake)))


def test_two_charts_in_one_archive_are_both_linted(tmp_path: Path) -> None:
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [\n"
    archive = pack(tmp_path / "two.tgz", {**chart_members("one"), **chart_members("two", broken)})
    done = lint(str(archive))
    assert done.code == 1, done.out + done.err
    assert "two.tgz!/two/templates/cm.yaml" in done.out
    assert "2 inputs" in done.out or "3 inputs" in done.out, done.out


def test_errors_inside_an_archive_name_the_archive_path(tmp_path: Path) -> None:
    template = (
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ fail "boom" }}\n'
    )
    archive = pack(tmp_path / "chart.tgz", chart_members("demo", template))
    done = lint(str(archive))
    assert done.code == 1 and "chart.tgz!/demo/templates/cm.yaml" in done.out, done.out
    assert "chartgen-lint-" not in done.out + done.err


def test_bad_crd_in_archive_names_archive_path(tmp_path: Path) -> None:
    archive = pack(
        tmp_path / "chart.tgz", chart_members("demo", extra={"demo/crds/x.yaml": b"a: [\n"})
    )
    done = lint(str(archive))
    assert "chart.tgz!/demo/crds/x.yaml" in done.out, done.out
    assert "chartgen-lint-" not in done.out + done.err


MEMORY_BOMB = 'a: {{ repeat 100000000 "xxxxxxxxxx" }}\n'
TIME_BOMB = "a: {{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\n"
OUTPUT_BOMB = 'a: {{ repeat 7000000 "xxxxxxxxxx" }}\n'


# The embedded engine with each worker: chartgen-render (Go), and the SDK worker.
ENGINES = ["embedded", "embedded-sdk", "cli"]


def _engine_args(engine: str, helm4: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if engine == "embedded-sdk":
        monkeypatch.setenv("CHARTGEN_RENDER_WORKER", "sdk")
    return ["--engine", "cli", "--helm", str(helm4)] if engine == "cli" else []


@pytest.mark.parametrize("engine", ENGINES)
def test_memory_bomb_is_a_finding(
    tmp_path: Path, engine: str, helm4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = make_chart(tmp_path, template=MEMORY_BOMB)
    extra = _engine_args(engine, helm4, monkeypatch)
    started = time.monotonic()
    done = lint(*extra, "--render-memory", "512", str(chart))
    assert done.code == 1, (done.code, done.out, done.err)
    assert "render exceeded" in done.out and "helm-render-limit" in done.out, done.out
    assert time.monotonic() - started < 120


@pytest.mark.parametrize("engine", ENGINES)
def test_time_bomb_is_a_finding(
    tmp_path: Path, engine: str, helm4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = make_chart(tmp_path, template=TIME_BOMB)
    extra = _engine_args(engine, helm4, monkeypatch)
    started = time.monotonic()
    done = lint(*extra, "--render-timeout", "3", str(chart))
    assert done.code == 1, (done.code, done.out, done.err)
    assert "render exceeded the time limit (3 s)" in done.out, done.out
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("worker", ["go", "sdk"])
def test_output_bomb_is_a_finding(
    tmp_path: Path, worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if worker == "sdk":
        monkeypatch.setenv("CHARTGEN_RENDER_WORKER", "sdk")
    chart = make_chart(tmp_path, template=OUTPUT_BOMB)
    done = lint(str(chart))
    assert done.code == 1 and "render exceeded the output limit" in done.out, done.out


def test_a_bombed_chart_does_not_spoil_the_next_one(tmp_path: Path) -> None:
    bomb = make_chart(tmp_path / "a", template=MEMORY_BOMB)
    good = make_chart(tmp_path / "b", "good")
    done = lint("--render-memory", "512", str(bomb), str(good))
    assert done.code == 1 and "render exceeded" in done.out
    assert "good" not in done.out.split("chartgen lint:")[0]


def _render(chart: Path, generation: str) -> dict[str, object]:
    return {
        "op": "render",
        "chart": str(chart),
        "generation": generation,
        "values": {},
        "release": "rel",
        "namespace": "default",
        "kube_version": "",
    }


def test_render_threads_share_one_worker_and_a_killed_one_is_replaced(tmp_path: Path) -> None:
    """Threads wait for the process's one Helm worker rather than start more (each start costs
    ~90 ms of CPU); a worker killed at the time limit frees its place for a new one."""
    from concurrent.futures import ThreadPoolExecutor

    from chartgen.helm.sandbox import Limits, WorkerDied, WorkerPool

    good = make_chart(tmp_path, "good")
    bomb = make_chart(tmp_path, "bomb", template=TIME_BOMB)
    pool, limits = WorkerPool(), Limits(seconds=2)
    try:
        with ThreadPoolExecutor(4) as threads:
            replies = list(threads.map(lambda n: pool.call(limits, _render(good, "g")), range(8)))
        assert all("ok" in reply for reply in replies)
        first = pool._all[0]
        assert pool._all == [first]  # one worker served all eight renders
        with pytest.raises(WorkerDied, match="render exceeded the time limit"):
            pool.call(limits, _render(bomb, "b"))
        assert "ok" in pool.call(limits, _render(good, "g2"))
        assert len(pool._all) == 1 and pool._all[0] is not first
    finally:
        pool.close()
