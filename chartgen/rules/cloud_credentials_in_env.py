"""Cloud storage credentials handed over as env values where the client reads a file."""

from __future__ import annotations

from collections.abc import Iterator

from chartgen import catalog
from chartgen.findings import Issue, Severity
from chartgen.rules.support.context import RuleContext
from chartgen.rules.support.env import env_index
from chartgen.rules.support.objects import Container, ObjectSet, mapping, sequence

ID = "cloud-credentials-in-env"
SEVERITY = Severity.ERROR
SUMMARY = "Google Cloud Storage credentials must be a mounted file named by GOOGLE_APPLICATION_CREDENTIALS"
RATIONALE = (
    "Google's client libraries (and TensorFlow's gs:// file system) read "
    "GOOGLE_APPLICATION_CREDENTIALS as the *path* of a credential JSON file. A Secret exposed as "
    "environment (`envFrom`, or the key's content in `valueFrom`) gives them either nothing or a "
    "JSON document where a path is expected: the server cannot read its model from gs:// and "
    "never becomes ready. Off GCP there is no metadata server to fall back on."
)
REFERENCES = (
    "https://cloud.google.com/docs/authentication/application-default-credentials#GAC",
    "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
)
FIX = (
    "Mount the key Secret as a volume and set GOOGLE_APPLICATION_CREDENTIALS to the file's path "
    "(or use Workload Identity on GKE and no key at all)."
)
EXAMPLE = """\
env:
  - name: GOOGLE_APPLICATION_CREDENTIALS
    value: /var/secrets/google/key.json
volumeMounts:
  - name: gcs-key
    mountPath: /var/secrets/google
    readOnly: true
"""
TAGS = ("kubernetes", "ml", "security", "model-download")
DEFAULTS: dict[str, object] = {}
SCOPE = "object"


def check(objects: ObjectSet, ctx: RuleContext) -> Iterator[Issue]:
    stores = catalog.model_stores()
    variable = stores.gcs_credentials_file_env
    for workload, container in objects.containers():
        index = env_index(container, variable)
        item = mapping(sequence(container.data.get("env"))[index]) if index is not None else {}
        if "valueFrom" in item:
            message = f"container {container.name!r} puts a Secret's content into {variable}, which must be a file path"
            yield Issue(ID, f"{container.pointer}/env/{index}/valueFrom", message, obj=workload.obj)
        elif not item and _reads(container, stores.gcs_uri_prefix):
            pointer = _secret_env_pointer(container)
            if pointer is not None:
                message = (
                    f"container {container.name!r} reads {stores.gcs_uri_prefix} with credentials "
                    f"from env, but Google clients only read a key file named by {variable}"
                )
                yield Issue(ID, pointer, message, obj=workload.obj)


def _reads(container: Container, prefix: str) -> bool:
    texts = [word for _, word in container.argv]
    texts += [str(item.get("value", "")) for _, item in container.env]
    return any(prefix in text for text in texts)


def _secret_env_pointer(container: Container) -> str | None:
    for index, item in enumerate(sequence(container.data.get("envFrom"))):
        if "secretRef" in mapping(item):
            return f"{container.pointer}/envFrom/{index}"
    return None
