"""Click options shared by commands that render charts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def values_options(values_help: str) -> Callable[[F], F]:
    """`-f/--values FILE` and `--set KEY=VALUE`, both repeatable, like helm's."""

    def decorate(command: F) -> F:
        command = click.option(
            "--set",
            "set_values",
            multiple=True,
            metavar="KEY=VALUE",
            help="Set a value (repeatable).",
        )(command)
        return click.option(
            "-f",
            "--values",
            "value_files",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=values_help,
        )(command)

    return decorate
