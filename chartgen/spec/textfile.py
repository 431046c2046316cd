"""Writing a small text file atomically: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from chartgen.errors import UserError


def write_text_atomically(path: Path, text: str, *, overwrite: bool) -> None:
    """Readers see the old file or the new one, never half of it; UserError if it exists and
    overwrite is False, or when the directory cannot be written."""
    if path.exists() and not overwrite:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
