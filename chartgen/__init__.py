"""chartgen: ML model-serving spec → production-grade Helm chart, plus an offline chart linter."""

from chartgen._version import __version__

__all__ = ["__version__"]
