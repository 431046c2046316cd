"""setup.cfg ships the whole package: every Python package and every data file under chartgen/
and schemas/ is named by `packages` or matched by a `package_data` pattern (a missing entry
only shows once a wheel is installed, as ModuleNotFoundError or a missing template). Files git
ignores are a checkout's own builds (chartgen/helm/bin/chartgen-render), not the package's."""

from __future__ import annotations

import configparser
import subprocess
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _setup() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    return config


def _listed(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _package_dirs() -> dict[str, Path]:
    config = _setup()
    mapping = {"": REPO}
    for line in _listed(config["options"]["package_dir"]):
        name, _, where = (part.strip() for part in line.partition("="))
        mapping[name] = REPO / where
    dirs = {}
    for package in _listed(config["options"]["packages"]):
        dirs[package] = mapping.get(package, REPO / package.replace(".", "/"))
    return dirs


def test_every_python_package_is_listed() -> None:
    listed = set(_package_dirs().values())
    found = {init.parent for init in (REPO / "chartgen").rglob("__init__.py")}
    found |= {init.parent for init in (REPO / "schemas").rglob("__init__.py")}
    missing = sorted(str(d.relative_to(REPO)) for d in found - listed)
    assert not missing, f"packages missing from setup.cfg [options] packages: {missing}"


def test_every_data_file_is_shipped() -> None:
    patterns = {
        name.strip(): _listed(value.replace(",", "\n"))
        for name, value in _setup()["options.package_data"].items()
    }
    dirs = _package_dirs()
    ignored = _git_ignored()
    unshipped = []
    for package, root in dirs.items():
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
                continue
            if path.relative_to(REPO).as_posix() in ignored:
                continue
            owner = max(
                (p for p, d in dirs.items() if path.is_relative_to(d)),
                key=lambda p: len(dirs[p].parts),
            )
            if owner != package:
                continue
            relative = path.relative_to(root).as_posix()
            if not any(fnmatch(relative, pattern) for pattern in patterns.get(package, [])):
                unshipped.append(str(path.relative_to(REPO)))
    assert not unshipped, f"files no package_data pattern ships: {sorted(unshipped)}"


def _git_ignored() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "chartgen", "schemas"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.splitlines())
