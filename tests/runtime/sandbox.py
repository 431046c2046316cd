"""Run a Python snippet as a container would: a read-only root, the chart's writable mounts as
fresh tmpfs, a UID (and GID) with no passwd entry, and exactly the chart's env. Linux mount
namespaces (`unshare -m`), `chroot` and `setpriv` as root; no container runtime needed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = ("usr", "etc", "opt", "var", "home")  # read-only binds of the host's system dirs

SETUP = """\
set -eu
new=$1; shift
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs "$new"
for d in {shared}; do
  [ -d "/$d" ] || continue
  mkdir "$new/$d"; mount --rbind "/$d" "$new/$d"; mount -o remount,bind,ro "$new/$d"
done
for d in bin lib lib64 sbin; do [ -L "/$d" ] && ln -s "$(readlink "/$d")" "$new/$d"; done
mkdir "$new/dev" "$new/proc"
mount --rbind /dev "$new/dev"
mount --rbind /proc "$new/proc"
printf 'root:x:0:0:root:/root:/bin/sh\\n' > "$new/.passwd"
mount --bind "$new/.passwd" "$new/etc/passwd"
{writable}
{python_binds}
mount -o remount,ro "$new"
exec chroot "$new" setpriv --reuid={uid} --regid={gid} --clear-groups --no-new-privs "$@"
"""


def require_root() -> None:
    tools = [shutil.which(t) for t in ("unshare", "setpriv", "chroot")]
    if os.geteuid() != 0 or not all(tools):
        if os.environ.get("CI"):
            raise AssertionError("the arbitrary-UID tests need root, unshare, setpriv and chroot")
        pytest.skip("needs root with unshare, setpriv and chroot")


def _python_binds() -> str:
    """The interpreter's prefixes, bound read-only wherever they live (e.g. under a 0700 /root),
    after the writable tmpfs mounts so that a venv under /tmp stays visible."""
    lines = []
    for prefix in sorted({sys.prefix, sys.base_prefix}):
        if Path(prefix).parts[1] in SHARED:
            continue
        target = shlex.quote(prefix)
        lines.append(f'mkdir -p "$new"{target}; mount --rbind {target} "$new"{target}')
        lines.append(f'mount -o remount,bind,ro "$new"{target}')
    return "\n".join(lines)


def run_python(
    snippet: str, *, env: dict[str, str], uid: int, gid: int, writable: list[str], root: Path
) -> subprocess.CompletedProcess[str]:
    require_root()
    root.mkdir(parents=True, exist_ok=True)
    mounts = "\n".join(
        f'mkdir -p "$new"{shlex.quote(p)}; mount -t tmpfs -o mode=1777 tmpfs "$new"{shlex.quote(p)}'
        for p in writable
    )
    script = SETUP.format(
        shared=" ".join(SHARED), python_binds=_python_binds(), writable=mounts, uid=uid, gid=gid
    )
    command = ["unshare", "-m", "sh", "-c", script, "sandbox", str(root)]
    command += ["env", "-i", *(f"{k}={v}" for k, v in env.items()), sys.executable, "-c", snippet]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
