"""JSON paths (`$.spec.env[0].name`) and the map from each path to its place in the YAML file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from chartgen.errors import Location

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_SEGMENT = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")

PathSegment = str | int


def child_path(parent: str, key: PathSegment) -> str:
    """The JSON path of `key` under `parent`: `.name`, `[3]` or `['odd/key']`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def json_path(segments: Iterable[PathSegment]) -> str:
    path = "$"
    for segment in segments:
        path = child_path(path, segment)
    return path


def path_segments(path: str) -> list[PathSegment]:
    """Inverse of json_path for the paths it builds; stops at the first part it cannot read."""
    segments: list[PathSegment] = []
    position = 1 if path.startswith("$") else 0
    while match := _SEGMENT.match(path, position):
        name, index, quoted = match.groups()
        if index is not None:
            segments.append(int(index))
        elif name is not None:
            segments.append(name)
        else:
            segments.append(re.sub(r"\\(.)", r"\1", quoted))
        position = match.end()
    return segments


class PositionMap:
    """Line and column (1-based) of every node of one YAML document, keyed by JSON path.

    Mapping members are placed at their key, sequence items at the item.
    """

    def __init__(self, file: str, places: dict[str, tuple[int, int]]) -> None:
        self.file = file
        self._places = places

    def location_of(self, path: str) -> Location:
        """The node's place, or its nearest ancestor's when the node is not in the file."""
        segments = path_segments(path)
        for length in range(len(segments), -1, -1):
            place = self._places.get(json_path(segments[:length]))
            if place is not None:
                return Location(self.file, place[0], place[1])
        return Location(self.file)

    def paths(self) -> Sequence[str]:
        return list(self._places)
