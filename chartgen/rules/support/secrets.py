"""Names and values that are credentials: ML hub tokens and API keys."""

from __future__ import annotations

import re

# Credential variables of ML tooling that generic `(?i).*secret.*` patterns miss.
ML_SECRET_NAMES = frozenset(
    {
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HUGGINGFACE_TOKEN",
        "HUGGINGFACEHUB_API_TOKEN",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "WANDB_API_KEY",
        "NGC_API_KEY",
        "NVIDIA_API_KEY",
        "MLFLOW_TRACKING_PASSWORD",
        "MLFLOW_TRACKING_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "AZURE_STORAGE_KEY",
        "VLLM_API_KEY",
        "COHERE_API_KEY",
        "REPLICATE_API_TOKEN",
    }
)
# Word-bounded so TOKENIZERS_PARALLELISM or MAX_TOTAL_TOKENS do not match.
SECRET_NAME = re.compile(
    r"(?i)(^|[_.-])(token|api[_-]?key|secret|password|passwd|access[_-]?key|private[_-]?key)($|[_.-])"
)
TOKEN_VALUES = (
    re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"),  # Hugging Face
    re.compile(r"\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}"),  # OpenAI, Anthropic
    re.compile(r"\bnvapi-[A-Za-z0-9_-]{20,}"),  # NVIDIA NGC / API catalog
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub
)
# Values that point at a secret rather than hold one.
REFERENCE = re.compile(
    r"^\$(\(|\{)?[A-Za-z_][A-Za-z0-9_]*(\)|\})?$|^/|^(true|false|none|null)$", re.IGNORECASE
)
# Command-line options that take a credential.
SECRET_FLAGS = frozenset(
    {"--api-key", "--hf-token", "--token", "--hf_token", "--api_key", "--ngc-api-key", "--password"}
)


# A secret-named variable whose last word is one of these names a Secret (or where it is
# mounted), e.g. SECRET_NAME, HF_TOKEN_SECRET_NAME, tokenSecretRef, HF_TOKEN_PATH: operators and
# download jobs read the Secret themselves; the value is a name, not the credential.
REFERENCE_WORDS = frozenset(
    {"name", "names", "ref", "path", "file", "filename", "dir", "namespace"}
)
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def is_secret_name(name: str) -> bool:
    if is_reference_name(name):
        return False
    return name.upper() in ML_SECRET_NAMES or bool(SECRET_NAME.search(name))


def is_reference_name(name: str) -> bool:
    """`SECRET_NAME`, `secretName`, `HF_TOKEN_SECRET_REF`: a name that names a secret."""
    words = _WORDS.findall(name)
    return len(words) > 1 and words[-1].lower() in REFERENCE_WORDS


_ANY_TOKEN = re.compile("|".join(f"(?:{p.pattern})" for p in TOKEN_VALUES))  # one scan, not five


def looks_like_token(value: str) -> bool:
    return bool(_ANY_TOKEN.search(value))


def holds_secret(name: str, value: str) -> bool:
    """A literal credential: a secret-named key with a real value, or a token-shaped value."""
    text = value.strip()
    if not text or REFERENCE.match(text):
        return False
    return is_secret_name(name) or looks_like_token(text)
