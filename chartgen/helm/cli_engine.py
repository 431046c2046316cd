"""Rendering through a `helm` binary (Helm 3 or 4), found on PATH or given with --helm."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from chartgen.errors import ToolError
from chartgen.helm.embedded import RenderError, RenderLimitError
from chartgen.helm.engine import (
    Rendered,
    RenderOptions,
    helm_warnings,
    split_helm_output,
)
from chartgen.helm.sandbox import Limits
from chartgen.limits import MIB

# What an idle helm process maps (Go runtime reservations, measured: about 1.3 GiB for
# v3.22.0 and v4.3.1); the render budget comes on top.
_HELM_MAPPED_MIB = 1536


class CliEngine:
    name = "cli"

    def __init__(self, binary: str | None = None, limits: Limits | None = None) -> None:
        found = shutil.which(binary or "helm")
        if not found:
            raise ToolError(
                f"helm binary not found: {binary or 'helm'} (install helm or use --engine embedded)"
            )
        self.binary = found
        self.limits = limits or Limits()

    def _run(self, cmd: list[str]) -> subprocess.CompletedProcess[str]:
        """helm under the render bounds: address space through prlimit (util-linux) when
        present, the time limit by killing it."""
        prlimit = shutil.which("prlimit")
        memory = (_HELM_MAPPED_MIB + self.limits.memory_mib) * MIB
        bounded = [prlimit, f"--as={memory}", "--core=0", *cmd] if prlimit else cmd
        try:
            done = subprocess.run(
                bounded,
                capture_output=True,
                text=True,
                check=False,
                timeout=self.limits.seconds,
                env={**os.environ, "GOTRACEBACK": "none"},
            )
        except subprocess.TimeoutExpired:
            raise RenderLimitError(
                f"render exceeded the time limit ({self.limits.seconds:g} s)"
            ) from None
        if done.returncode < 0 or "out of memory" in done.stderr:
            raise RenderLimitError(
                f"render exceeded the memory limit ({self.limits.memory_mib} MiB) or crashed helm"
            )
        return done

    def _value_args(self, options: RenderOptions) -> list[str]:
        args: list[str] = []
        for path in options.value_files:
            args += ["-f", str(path)]
        for expression in options.set_values:
            args += ["--set", expression]
        return args

    def version(self) -> str:
        done = subprocess.run(
            [self.binary, "version", "--short"], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    def render(self, chart: Path, options: RenderOptions) -> Rendered:
        cmd = [self.binary, "template", options.release, str(chart), "-n", options.namespace]
        if options.kube_version:
            cmd += ["--kube-version", options.kube_version]
        done = self._run(cmd + self._value_args(options))
        if done.returncode != 0:
            raise RenderError(" ".join(done.stderr.replace("Error: ", "", 1).split()))
        docs = Rendered(split_helm_output(done.stdout))
        docs.warnings = helm_warnings(done.stderr)
        return docs
