"""Models fetched from a hub when the server starts, and where the download lands."""

from __future__ import annotations

import posixpath
import re

from chartgen import catalog
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.objects import Container, Workload
from chartgen.rules.support.runtime_flags import Knob, Setting, flag_setting, model_reference
from chartgen.rules.support.runtimes import runtime_of

# `org/name` (Hugging Face Hub id) or `hf://org/name`; local paths start with `/` or `.`.
HUB_ID = re.compile(r"^(hf://)?[A-Za-z0-9][\w.-]*/[\w.-]+$")
OFFLINE_VARIABLES = catalog.model_stores().hub_offline_env
# Cache locations in order of precedence (huggingface_hub environment variables).
HUB_CACHE_VARIABLES = ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_CACHE")
DOWNLOAD_DIR = Knob(("--download-dir", "--download_dir"), ())
DEFAULT_HF_HOME = "/root/.cache/huggingface"


def hub_download(workload: Workload, container: Container) -> Setting | None:
    """The hub model a container downloads at start, unless it runs offline."""
    reference = model_reference(container)
    if reference is None or not HUB_ID.match(reference.value):
        return None
    if any(
        (container.env_value(name) or "").lower() in ("1", "true") for name in OFFLINE_VARIABLES
    ):
        return None
    return reference


def download_dir(workload: Workload, container: Container, ctx: RuleContext) -> str:
    """Where downloaded weights are written inside the container."""
    flag = flag_setting(container, DOWNLOAD_DIR)
    if flag:
        return flag.value
    for name in HUB_CACHE_VARIABLES:
        if container.env_value(name):
            return str(container.env_value(name))
    if container.env_value("HF_HOME"):
        return posixpath.join(str(container.env_value("HF_HOME")), "hub")
    runtime = runtime_of(workload, container, ctx)
    for name in runtime.cache_env if runtime else {}:  # the runtime's own cache variables
        if container.env_value(name):
            return str(container.env_value(name))
    if runtime and runtime.image_cache_dir:
        return runtime.image_cache_dir
    home = container.env_value("HOME")
    return posixpath.join(home, ".cache/huggingface") if home else DEFAULT_HF_HOME
