"""Model source URIs (`hf://org/name@rev`, `s3://…`, `pvc://claim/path`, …) and what they imply."""

from __future__ import annotations

from dataclasses import dataclass

MODELS_MOUNT = "/models"


@dataclass(frozen=True)
class ModelSource:
    scheme: str  # hf | s3 | gs | pvc | oci | https
    location: str  # everything after `scheme://`, without the revision
    revision: str | None

    @property
    def uri(self) -> str:
        return f"{self.scheme}://{self.location}"

    @property
    def claim(self) -> str | None:
        return self.location.split("/", 1)[0] if self.scheme == "pvc" else None

    @property
    def runtime_reference(self) -> str:
        """What the serving runtime is told to load."""
        if self.scheme == "hf":
            return self.location
        if self.scheme in ("pvc", "oci"):
            sub = (
                self.location.split("/", 1)[1]
                if self.scheme == "pvc" and "/" in self.location
                else ""
            )
            return f"{MODELS_MOUNT}/{sub}".rstrip("/") if sub else MODELS_MOUNT
        return self.uri

    @property
    def downloads_at_runtime(self) -> bool:
        return self.scheme in ("hf", "s3", "gs", "https")


def parse_source(uri: str) -> ModelSource:
    scheme, _, rest = uri.partition("://")
    revision = None
    if scheme == "hf" and "@" in rest:
        rest, revision = rest.rsplit("@", 1)
    return ModelSource(scheme, rest, revision)
