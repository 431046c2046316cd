"""Helm renders in child processes, each under a time and memory bound: chartgen-render (Helm's
Go packages, built from render-worker/ by tools/build-render-worker.sh) when it is built, else
chartgen/helm/worker.py (the Helm SDK for Python). Both speak the same protocol and give the same
replies (tests/helm/test_render_worker.py); the Go worker keeps each chart's parsed templates and
compiled values schema across its values variants, which the SDK re-does on every render.

The parent keeps a small pool of workers (one per render thread), reused across engines of one
process. A render that runs past its time limit gets its worker killed; a worker that dies (the Go
runtime aborts when the address-space limit stops an allocation) is replaced. Both come back as a
RenderLimitError whose message starts with "render exceeded", which lint reports as a finding.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chartgen.errors import ToolError
from chartgen.helm.worker import PROTOCOL, receive, send, settings
from chartgen.limits import RENDER_MEMORY_MIB, RENDER_OUTPUT_BYTES, RENDER_SECONDS

_START_SECONDS = 60.0  # importing the Go SDK on a loaded machine
_REPLY_PIPE_BYTES = 1024 * 1024
GO_WORKER = Path(__file__).with_name("bin") / "chartgen-render"
WORKER_VARIABLE = "CHARTGEN_RENDER_WORKER"  # a chartgen-render path, or `sdk`


def worker_command() -> list[str]:
    """What a new worker runs: $CHARTGEN_RENDER_WORKER (a chartgen-render binary, or `sdk`),
    else the chartgen-render built into the package, else the SDK worker."""
    chosen = os.environ.get(WORKER_VARIABLE, "")
    sdk = [sys.executable, "-m", "chartgen.helm.worker"]
    if chosen == "sdk":
        return sdk
    if chosen:
        return [chosen]
    return [str(GO_WORKER)] if os.access(GO_WORKER, os.X_OK) else sdk


@dataclass(frozen=True)
class Limits:
    seconds: float = RENDER_SECONDS
    memory_mib: int = RENDER_MEMORY_MIB
    output_bytes: int = RENDER_OUTPUT_BYTES

    @classmethod
    def of(cls, seconds: float | None = None, memory_mib: int | None = None) -> Limits:
        """The given bounds, the defaults for those not given."""
        return cls(seconds or RENDER_SECONDS, memory_mib or RENDER_MEMORY_MIB)


class WorkerDied(Exception):
    """The worker went away mid-request: killed at the time limit, or aborted (memory)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Process:
    """One worker child and its channels."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        environment = {**os.environ, **settings(limits.output_bytes, limits.memory_mib)}
        # Go sizes its heap goal by this; it must not think it can use the whole machine.
        environment["GOMEMLIMIT"] = f"{max(64, limits.memory_mib * 3 // 4)}MiB"
        # A render allocates far more than it keeps: with the default GOGC=100 the collector runs
        # many times per render. 400 cut the SDK worker's Go CPU of 300 renders of the generated
        # charts by a quarter (bench/lint_profile.py) for ~15 MiB more resident, chartgen-render's
        # by a fifth; GOMEMLIMIT above still bounds the heap.
        environment["GOGC"] = "400"
        environment["GOTRACEBACK"] = "none"  # an abort prints one line, not every goroutine
        self.command = worker_command()
        try:
            self.child = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                env=environment,
                close_fds=True,
            )
        except OSError as exc:
            self.log.close()
            raise ToolError(f"cannot start the Helm worker {self.command[0]}: {exc}") from None
        assert self.child.stdin is not None and self.child.stdout is not None
        self.requests, self.replies = self.child.stdin, self.child.stdout
        _widen_pipe(self.replies.fileno())
        self.ready = False

    def wait_ready(self) -> None:
        """Started: wait for the worker's hello (it imports the Go SDK meanwhile)."""
        if self.ready:
            return
        try:
            hello = self._reply(_START_SECONDS)
        except WorkerDied:
            hello = {}
        if not hello.get("ready"):
            reason = self.stderr()
            self.kill()
            raise ToolError(f"the Helm worker did not start: {reason}")
        if hello.get("protocol") != PROTOCOL:
            self.kill()
            raise ToolError(
                f"{self.command[0]} speaks protocol {hello.get('protocol')}, this chartgen "
                f"{PROTOCOL}: rebuild it (tools/build-render-worker.sh)"
            )
        self.ready = True

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        logged = os.fstat(self.log.fileno()).st_size
        try:
            send(self.requests, request)  # type: ignore[arg-type]
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._death()) from None
        reply = self._reply(self.limits.seconds)
        return {**reply, "log": self._logged_since(logged)}

    def _logged_since(self, offset: int) -> str:
        """What the worker printed to stderr during one request (Helm's Go `log` warnings),
        read without moving the file offset the child writes at."""
        grown = os.fstat(self.log.fileno()).st_size - offset
        if grown <= 0:
            return ""
        return os.pread(self.log.fileno(), min(grown, 64 * 1024), offset).decode(errors="replace")

    def _reply(self, seconds: float) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerDied(f"render exceeded the time limit ({seconds:g} s)")
            readable, _, _ = select.select([self.replies], [], [], left)
            if readable:
                break
        reply = receive(self.replies)  # type: ignore[arg-type]
        if reply is None:
            raise WorkerDied(self._death())
        return reply

    def _death(self) -> str:
        code = self.child.wait()
        text = self.stderr()
        memory = f"the memory limit ({self.limits.memory_mib} MiB)"
        if "out of memory" in text or "cannot allocate memory" in text.lower():
            return f"render exceeded {memory}"
        if code < 0:
            name = signal.Signals(-code).name
            return f"render exceeded {memory} or crashed Helm (worker ended by {name})"
        return f"render exceeded {memory} or crashed Helm (worker exit {code}): {text[:200]}"

    def stderr(self) -> str:
        self.log.seek(0)
        return " ".join(self.log.read(64 * 1024).decode(errors="replace").split())

    def kill(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait()
        for stream in (self.requests, self.replies, self.log):
            with contextlib.suppress(OSError):
                stream.close()

    def alive(self) -> bool:
        return self.child.poll() is None


def _widen_pipe(descriptor: int) -> None:
    """A reply pipe of 1 MiB instead of 64 KiB. Each chunk read takes the GIL back: while a
    thread parses, the reading thread waited up to the switch interval (5 ms) per chunk, so a
    1.9 MB render (an operator's CRDs) was read in ~30 waits, 150 ms during which the worker sat
    idle, unreturned to the pool (bench/lint_bench.py, the CRD case). Linux only; the limit
    is /proc/sys/fs/pipe-max-size, and a refusal keeps the default."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:  # pragma: no cover - not Linux
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(descriptor, set_size, _REPLY_PIPE_BYTES)


class WorkerPool:
    """Idle workers by limits; a caller takes one for a request and gives it back.

    At most `max_workers` live workers per limits: render threads wait for one rather than start
    another. Go renders outside this process's GIL, on another core, while the threads here
    parse and check; a second worker would cost its start (~90 ms CPU: Python, the Go runtime)
    to save renders of a few ms, and on two cores it takes that CPU from this process."""

    def __init__(self, max_workers: int = 1) -> None:
        self.max_workers = max_workers
        self._idle: dict[Limits, list[_Process]] = {}
        self._lock = threading.Lock()
        self._returned = threading.Condition(self._lock)
        self._all: list[_Process] = []
        atexit.register(self.close)

    def call(
        self,
        limits: Limits,
        request: dict[str, Any],
        received: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """The worker's reply; `received` sees it before the worker serves anyone else (its
        replies may refer to texts earlier replies carried)."""
        process = self._take(limits)
        try:
            reply = process.call(request)
        except BaseException:  # died, or its reply unreadable: no other caller may wait for it
            self._end(process)
            raise
        try:
            if received is not None:
                received(reply)
        finally:
            self._give(process)
        return reply

    def _take(self, limits: Limits) -> _Process:
        with self._lock:
            process = self._idle_or_new(limits)
        try:
            process.wait_ready()
        except BaseException:
            self._end(process)
            raise
        return process

    def _idle_or_new(self, limits: Limits) -> _Process:
        """An idle live worker, a new one while under the cap, else wait for one (lock held)."""
        while True:
            idle = self._idle.setdefault(limits, [])
            while idle:
                candidate = idle.pop()
                if candidate.alive():
                    return candidate
            self._all = [p for p in self._all if p.alive()]
            if sum(1 for p in self._all if p.limits == limits) < self.max_workers:
                process = _Process(limits)
                self._all.append(process)
                return process
            self._returned.wait()

    def _end(self, process: _Process) -> None:
        process.kill()
        with self._lock:
            self._returned.notify()

    def prestart(self, limits: Limits) -> None:
        """Start a worker now, without waiting for it: it starts on another core while this
        process imports and reads its inputs. Best effort: a worker that cannot start is the
        first render's to report, through the command's error handling."""
        with self._lock:
            try:
                process = self._idle_or_new(limits)
            except ToolError:
                return
        self._give(process)

    def _give(self, process: _Process) -> None:
        with self._lock:
            self._idle.setdefault(process.limits, []).append(process)
            self._returned.notify()

    def forget(self) -> None:
        """In a forked child: the workers inherited belong to the parent; let go of them
        (closing this process's copies of their pipes) without ending them."""
        processes, self._all, self._idle = self._all, [], {}
        self._lock = threading.Lock()
        self._returned = threading.Condition(self._lock)
        for process in processes:
            for stream in (process.requests, process.replies, process.log):
                with contextlib.suppress(OSError):
                    stream.close()

    def close(self) -> None:
        with self._lock:
            processes, self._all, self._idle = self._all, [], {}
        for process in processes:
            process.kill()


POOL = WorkerPool()
