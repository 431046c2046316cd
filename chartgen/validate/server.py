"""`chartgen lint --server`: a server-side dry run of every object against a real cluster API.

Each object is sent as a server-side apply (`PATCH`, `application/apply-patch+yaml`) with
`dryRun=All`, `force=true` and `fieldValidation=Strict`: the API server runs defaulting, schema
and CEL validation and every admission plugin and webhook (PodSecurity, policies, quotas), then
discards the result. Apply works whether or not the object already exists, so an installed
release does not hide problems behind "already exists". Objects without a name (generateName)
are dry-run created with `POST` instead.

Each rejection becomes a `server-rejected` finding (one per field cause when the server names the
field), each `Warning:` response header a `server-warning` finding. The kubeconfig is read
directly (token, token file, client certificate, exec credential plugins, CA or
insecure-skip-tls-verify); only the standard library and PyYAML are used.
"""

from __future__ import annotations

import base64
import json
import os
import re
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import yaml

from chartgen.errors import Location, UserError
from chartgen.findings import Finding, RuleInfo, Severity
from chartgen.manifests import ManifestObject, escape_pointer

RULE_REJECTED = RuleInfo(
    id="server-rejected",
    severity=Severity.ERROR,
    summary="The Kubernetes API server rejects the object in a server-side dry run",
    description=(
        "The object was sent to the cluster of the kubeconfig as a dry-run server-side apply. "
        "The API server rejected it: schema or CEL validation, an unknown field, an admission "
        "plugin (PodSecurity, ResourceQuota, policies, webhooks) or a missing resource type."
    ),
    remediation="Fix the field the server names, or install the missing CRD first.",
    tags=("server",),
)
RULE_WARNING = RuleInfo(
    id="server-warning",
    severity=Severity.WARNING,
    summary="The Kubernetes API server warns about the object in a server-side dry run",
    description=(
        "The API server accepted the object but returned a warning, for example a deprecated "
        "API version, or the object's namespace does not exist so it could not be checked."
    ),
    tags=("server",),
)
RULES = {rule.id: rule for rule in (RULE_REJECTED, RULE_WARNING)}

APPLY_QUERY = "dryRun=All&fieldManager=chartgen&fieldValidation=Strict&force=true"
CREATE_QUERY = "dryRun=All&fieldManager=chartgen&fieldValidation=Strict"
REQUEST_TIMEOUT = 30.0
EXEC_TIMEOUT = 120.0
_WARNING = re.compile(r'^\d{3} \S+ "((?:[^"\\]|\\.)*)"')
_FIELD_TOKEN = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")
_TEMPLATE_META = re.compile(
    r"/template/(labels|annotations|name|namespace|generateName|finalizers|ownerReferences)(?=/|$)"
)
_MESSAGE_FIELD = re.compile(r"(?:^|: )\.([A-Za-z][^\s:]*): ")


def server_dry_run(
    objects: Sequence[ManifestObject],
    kubeconfig: Path | None,
    context: str | None,
    namespace: str,
) -> list[Finding]:
    """Dry-run every object on the cluster of `kubeconfig`/`context`; objects without a
    namespace go to `namespace`. Raises UserError when the server cannot be used at all."""
    api = ApiClient(load_cluster_access(kubeconfig, context))
    api.server_version()
    return DryRun(api, objects, namespace).run()


# --- kubeconfig -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterAccess:
    """Where the API server is and how to talk to it, from one kubeconfig context."""

    server: str
    ssl_context: ssl.SSLContext
    token: str
    label: str  # "context NAME of FILE", for messages


@dataclass
class _Kubeconfig:
    """Merged kubeconfig files: the first definition of each name wins, like kubectl."""

    files: list[Path]
    current: str = ""
    entries: dict[str, dict[str, tuple[dict[str, Any], Path]]] = field(default_factory=dict)

    def get(self, section: str, name: str) -> tuple[dict[str, Any], Path]:
        found = self.entries.get(section, {}).get(name)
        if found is None:
            known = ", ".join(sorted(self.entries.get(section, {}))) or "none"
            raise UserError(f"kubeconfig has no {section[:-1]} {name!r} (known: {known})")
        return found


def load_cluster_access(kubeconfig: Path | None, context: str | None) -> ClusterAccess:
    """Read the kubeconfig (`--kubeconfig`, else $KUBECONFIG, else ~/.kube/config)."""
    config = _read_kubeconfig(_kubeconfig_files(kubeconfig))
    name = context or config.current
    if not name:
        raise UserError("kubeconfig has no current-context: pass --context")
    ctx, _ = config.get("contexts", name)
    cluster, cluster_base = config.get("clusters", str(ctx.get("cluster") or ""))
    user, user_base = (
        config.get("users", str(ctx.get("user") or "")) if ctx.get("user") else ({}, Path())
    )
    server = str(cluster.get("server") or "").rstrip("/")
    if not server:
        raise UserError(f"kubeconfig cluster {ctx.get('cluster')!r} has no server")
    token, cert, key = _credentials(user, user_base)
    ssl_context = _ssl_context(cluster, cluster_base, cert, key)
    label = f"context {name!r} of {', '.join(str(f) for f in config.files)}"
    return ClusterAccess(server, ssl_context, token, label)


def _kubeconfig_files(kubeconfig: Path | None) -> list[Path]:
    if kubeconfig is not None:
        if not kubeconfig.is_file():
            raise UserError(f"kubeconfig {kubeconfig} does not exist")
        return [kubeconfig]
    env = os.environ.get("KUBECONFIG", "")
    candidates = [Path(p) for p in env.split(os.pathsep) if p] or [Path.home() / ".kube" / "config"]
    files = [p for p in candidates if p.is_file()]
    if not files:
        raise UserError("no kubeconfig found: pass --kubeconfig or set KUBECONFIG")
    return files


def _read_kubeconfig(files: list[Path]) -> _Kubeconfig:
    config = _Kubeconfig(files)
    for path in files:
        data = _load_yaml_file(path)
        config.current = config.current or str(data.get("current-context") or "")
        for section, inner in (("clusters", "cluster"), ("users", "user"), ("contexts", "context")):
            named = config.entries.setdefault(section, {})
            for item in _as_list(data.get(section)):
                entry = _as_dict(item)
                value = (_as_dict(entry.get(inner)), path.parent)
                named.setdefault(str(entry.get("name") or ""), value)
    return config


def _load_yaml_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read kubeconfig: {exc}", Location(str(path))) from exc
    if data is not None and not isinstance(data, dict):
        raise UserError("kubeconfig is not a mapping", Location(str(path)))
    return data or {}


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- credentials and TLS ----------------------------------------------------------------------


def _credentials(user: dict[str, Any], base: Path) -> tuple[str, bytes | None, bytes | None]:
    """(bearer token, client certificate PEM, client key PEM) of a kubeconfig user."""
    if user.get("auth-provider"):
        raise UserError(
            "kubeconfig user uses an auth-provider plugin, which chartgen does not support: "
            "use a token, client certificate or exec credential plugin"
        )
    token = str(user.get("token") or "")
    if not token and user.get("tokenFile"):
        token = _read_file(user["tokenFile"], base).decode("utf-8").strip()
    cert = _pem(user, "client-certificate", base)
    key = _pem(user, "client-key", base)
    exec_spec = _as_dict(user.get("exec"))
    if exec_spec and not (token or cert):
        return _exec_credential(exec_spec, base)
    return token, cert, key


def _pem(section: dict[str, Any], name: str, base: Path) -> bytes | None:
    """`NAME-data` (base64) or the file `NAME` (relative to the kubeconfig's directory)."""
    data = section.get(f"{name}-data")
    if data:
        try:
            return base64.b64decode(str(data), validate=True)
        except ValueError as exc:
            raise UserError(f"kubeconfig {name}-data is not valid base64") from exc
    return _read_file(section[name], base) if section.get(name) else None


def _read_file(name: Any, base: Path) -> bytes:
    path = base / Path(str(name)).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path} named in the kubeconfig: {exc.strerror}") from exc


def _exec_credential(spec: dict[str, Any], base: Path) -> tuple[str, bytes | None, bytes | None]:
    """Run an exec credential plugin (client.authentication.k8s.io ExecCredential)."""
    status = _as_dict(_run_exec_plugin(spec, base).get("status"))
    cert = status.get("clientCertificateData")
    key = status.get("clientKeyData")
    token = str(status.get("token") or "")
    if not token and not cert:
        raise UserError("the kubeconfig exec credential plugin returned no token or certificate")
    return token, str(cert).encode() if cert else None, str(key).encode() if key else None


def _run_exec_plugin(spec: dict[str, Any], base: Path) -> dict[str, Any]:
    command = str(spec.get("command") or "")
    if "/" in command and not Path(command).is_absolute():
        command = str(base / command)
    env = dict(os.environ)
    env.update(
        {str(e.get("name")): str(e.get("value")) for e in map(_as_dict, _as_list(spec.get("env")))}
    )
    api_version = str(spec.get("apiVersion") or "client.authentication.k8s.io/v1")
    info = {"apiVersion": api_version, "kind": "ExecCredential", "spec": {"interactive": False}}
    env["KUBERNETES_EXEC_INFO"] = json.dumps(info)
    argv = [command, *map(str, _as_list(spec.get("args")))]
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=EXEC_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        hint = f" ({spec['installHint']})" if spec.get("installHint") else ""
        raise UserError(
            f"kubeconfig exec credential plugin {command!r} failed: {exc}{hint}"
        ) from exc
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise UserError(f"kubeconfig exec credential plugin {command!r} failed: {detail}")
    try:
        return _as_dict(json.loads(done.stdout))
    except ValueError as exc:
        raise UserError(f"kubeconfig exec credential plugin {command!r} printed no JSON") from exc


def _ssl_context(
    cluster: dict[str, Any], base: Path, cert: bytes | None, key: bytes | None
) -> ssl.SSLContext:
    if cluster.get("insecure-skip-tls-verify"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        ca = _pem(cluster, "certificate-authority", base)
        try:
            context = ssl.create_default_context(cadata=ca.decode("ascii") if ca else None)
        except (ssl.SSLError, ValueError) as exc:
            raise UserError(
                f"kubeconfig certificate authority is not a PEM certificate: {exc}"
            ) from exc
    # Go (kubectl, helm) does not apply OpenSSL's strict X.509 profile (Python 3.13 default)
    context.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)
    if cert:
        _load_client_cert(context, cert, key or cert)
    return context


def _load_client_cert(context: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    """ssl loads client certificates from files only: write them to a private temp dir."""
    with tempfile.TemporaryDirectory(prefix="chartgen-tls-") as scratch:
        cert_file, key_file = Path(scratch, "client.crt"), Path(scratch, "client.key")
        cert_file.write_bytes(cert)
        key_file.write_bytes(key)
        try:
            context.load_cert_chain(cert_file, key_file)
        except ssl.SSLError as exc:
            raise UserError(f"kubeconfig client certificate or key is unusable: {exc}") from exc


# --- HTTP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """An API response: status code, JSON body (a Status on failure), Warning headers."""

    status: int
    body: dict[str, Any]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        return str(self.body.get("message") or f"HTTP {self.status}")


class ApiClient:
    """A minimal Kubernetes REST client over urllib."""

    def __init__(self, access: ClusterAccess) -> None:
        self.access = access
        host = urllib.parse.urlsplit(access.server).hostname or ""
        # like Go's net/http: proxies from the environment never apply to loopback servers
        proxies: dict[str, str] | None = {} if host in ("localhost", "127.0.0.1", "::1") else None
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(proxies),
            urllib.request.HTTPSHandler(context=access.ssl_context),
        )

    def call(self, method: str, path: str, body: Any = None, content_type: str = "") -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.access.server + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.access.token:
            request.add_header("Authorization", f"Bearer {self.access.token}")
        reply = self._send(request)
        if reply.status == 401:
            raise UserError(
                f"the Kubernetes API server {self.access.server} rejected the credentials of {self.access.label} (401 Unauthorized)"
            )
        return reply

    def _send(self, request: urllib.request.Request) -> Reply:
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return Reply(response.status, _json(response.read()), _warnings(response.headers))
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, _json(exc.read()), _warnings(exc.headers))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise UserError(
                f"cannot reach the Kubernetes API server {self.access.server} "
                f"({self.access.label}): {reason}"
            ) from exc

    def server_version(self) -> str:
        """The server's gitVersion (GET /version); proves it is reachable and trusts us."""
        reply = self.call("GET", "/version")
        if not reply.ok:
            raise UserError(f"GET {self.access.server}/version failed: {reply.message}")
        return str(reply.body.get("gitVersion") or "")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {"message": raw.decode("utf-8", "replace").strip()}
    return data if isinstance(data, dict) else {}


def _warnings(headers: Message | None) -> tuple[str, ...]:
    found: list[str] = []
    for value in (headers.get_all("Warning") or []) if headers is not None else []:
        match = _WARNING.match(value)
        found.append(re.sub(r"\\(.)", r"\1", match.group(1)) if match else value)
    return tuple(found)


# --- discovery and dry run --------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """A discovered REST resource: plural name and scope."""

    name: str
    namespaced: bool


class Discovery:
    """Kind -> resource per group version, from /api/v1 and /apis/<group>/<version>, cached."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api
        self._cache: dict[str, dict[str, Resource]] = {}

    def resource(self, api_version: str, kind: str) -> Resource | None:
        if api_version not in self._cache:
            self._cache[api_version] = self._load(api_version)
        return self._cache[api_version].get(kind)

    def _load(self, api_version: str) -> dict[str, Resource]:
        if api_version != "v1" and api_version.count("/") != 1:
            return {}
        reply = self._api.call("GET", _api_root(api_version))
        if reply.status == 404:
            return {}
        if not reply.ok:
            raise UserError(f"API discovery of {api_version} failed: {reply.message}")
        resources = map(_as_dict, _as_list(reply.body.get("resources")))
        return {
            str(r.get("kind")): Resource(str(r.get("name")), bool(r.get("namespaced")))
            for r in resources
            if "/" not in str(r.get("name"))
        }


class DryRun:
    """Dry-run a batch of objects: one finding list, in object order."""

    def __init__(self, api: ApiClient, objects: Sequence[ManifestObject], namespace: str) -> None:
        self.api = api
        self.discovery = Discovery(api)
        self.objects = objects
        self.namespace = namespace
        self.defined = _crd_kinds(objects)
        self._namespaces: dict[str, bool] = {}

    def run(self) -> list[Finding]:
        findings: list[Finding] = []
        skipped: dict[str, list[ManifestObject]] = {}
        for obj in self.objects:
            resource = self.discovery.resource(obj.api_version, obj.kind)
            if resource is None:
                if (obj.api_version, obj.kind) not in self.defined:
                    findings.append(_unknown_kind(obj))
                continue
            namespace = (obj.namespace or self.namespace) if resource.namespaced else ""
            if namespace and not self._namespace_exists(namespace):
                skipped.setdefault(namespace, []).append(obj)
                continue
            findings.extend(self.check(obj, resource, namespace))
        findings.extend(_missing_namespace(ns, objs) for ns, objs in skipped.items())
        return findings

    def check(self, obj: ManifestObject, resource: Resource, namespace: str) -> list[Finding]:
        """Dry-run one object whose resource and namespace are known."""
        body = _request_body(obj, namespace)
        collection = _collection_path(obj.api_version, resource, namespace)
        if obj.name:
            path = f"{collection}/{urllib.parse.quote(obj.name, safe='')}?{APPLY_QUERY}"
            reply = self.api.call("PATCH", path, body, "application/apply-patch+yaml")
        else:
            reply = self.api.call("POST", f"{collection}?{CREATE_QUERY}", body, "application/json")
        found = [] if reply.ok else rejections(obj, reply)
        return found + [_finding(RULE_WARNING, obj, text, "") for text in reply.warnings]

    def _namespace_exists(self, namespace: str) -> bool:
        if namespace not in self._namespaces:
            reply = self.api.call(
                "GET", f"/api/v1/namespaces/{urllib.parse.quote(namespace, safe='')}"
            )
            self._namespaces[namespace] = reply.status != 404
        return self._namespaces[namespace]


def _request_body(obj: ManifestObject, namespace: str) -> dict[str, Any]:
    """The object as sent: namespace dropped for cluster-scoped kinds (as Helm does)."""
    body = dict(obj.data)
    metadata = dict(_as_dict(body.get("metadata")))
    if namespace:
        metadata["namespace"] = namespace
    else:
        metadata.pop("namespace", None)
    body["metadata"] = metadata
    return body


def _collection_path(api_version: str, resource: Resource, namespace: str) -> str:
    scope = f"/namespaces/{urllib.parse.quote(namespace, safe='')}" if namespace else ""
    return f"{_api_root(api_version)}{scope}/{resource.name}"


def _api_root(api_version: str) -> str:
    return "/api/v1" if api_version == "v1" else f"/apis/{api_version}"


def _crd_kinds(objects: Iterable[ManifestObject]) -> set[tuple[str, str]]:
    """(apiVersion, kind) of the custom resources the batch itself defines: those cannot be
    dry-run before the CRD is installed, so they are skipped instead of reported."""
    kinds: set[tuple[str, str]] = set()
    for obj in objects:
        if obj.kind != "CustomResourceDefinition":
            continue
        spec = _as_dict(obj.data.get("spec"))
        kind = str(_as_dict(spec.get("names")).get("kind") or "")
        for version in map(_as_dict, _as_list(spec.get("versions"))):
            kinds.add((f"{spec.get('group')}/{version.get('name')}", kind))
    return kinds


# --- findings -----------------------------------------------------------------------------------


def rejections(obj: ManifestObject, reply: Reply) -> list[Finding]:
    """One finding per field cause of a rejected request, else one with the Status message."""
    details = _as_dict(reply.body.get("details"))
    causes = [c for c in map(_as_dict, _as_list(details.get("causes"))) if c.get("field")]
    if not causes:
        match = _MESSAGE_FIELD.search(reply.message)
        return [_finding(RULE_REJECTED, obj, reply.message, match.group(1) if match else "")]
    head = reply.message.split(": ", 1)[0] + ": " if reply.body.get("reason") == "Invalid" else ""
    found = [
        _finding(
            RULE_REJECTED, obj, f"{head}{c['field']}: {c.get('message') or ''}", str(c["field"])
        )
        for c in causes
    ]
    return list(dict.fromkeys(found))  # updates repeat causes


def field_pointer(field_path: str) -> str:
    """The JSON pointer of an API field path: `spec.ports[0].port` -> `/spec/ports/0/port`,
    `metadata.labels[app.kubernetes.io/name]` -> `/metadata/labels/app.kubernetes.io~1name`."""
    tokens = [bracket or plain for bracket, plain in _FIELD_TOKEN.findall(field_path.lstrip("."))]
    return "".join(f"/{escape_pointer(token)}" for token in tokens)


def object_pointer(obj: ManifestObject, pointer: str) -> str:
    """The pointer as it is in the object: pod template metadata errors name
    `spec.template.labels` where the field is `spec.template.metadata.labels`."""
    if pointer in obj.lines:
        return pointer
    fixed = _TEMPLATE_META.sub(r"/template/metadata/\1", pointer)
    return fixed if fixed in obj.lines else pointer


def _finding(rule: RuleInfo, obj: ManifestObject, message: str, field_path: str) -> Finding:
    pointer = object_pointer(obj, field_pointer(field_path)) if field_path else ""
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        message=message,
        location=Location(obj.file, obj.line_of(pointer) if pointer else obj.line),
        obj=obj.ref,
        json_path=pointer,
        remediation=rule.remediation,
    )


def _unknown_kind(obj: ManifestObject) -> Finding:
    message = (
        f'the server has no kind "{obj.kind}" in version "{obj.api_version}": '
        "install its CustomResourceDefinition first, or use an apiVersion the cluster serves"
    )
    return _finding(RULE_REJECTED, obj, message, "kind")


def _missing_namespace(namespace: str, objects: Sequence[ManifestObject]) -> Finding:
    message = (
        f'namespace "{namespace}" does not exist on the server, so {len(objects)} object(s) '
        "in it were not checked: create it, or lint with a namespace that exists"
    )
    return _finding(RULE_WARNING, objects[0], message, "")
