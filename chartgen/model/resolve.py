"""Spec data (validated) -> ServingPlan: every default resolved from the runtime and platform profiles."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from chartgen import catalog, chart_facts
from chartgen.catalog.profiles import Endpoint, PlatformProfile, Ports, RuntimeProfile
from chartgen.errors import UserError
from chartgen.model.engine_args import engine_settings, render_args
from chartgen.model.fit import spec_footprint
from chartgen.model.gpu import plan_gpu
from chartgen.model.multinode import group_shape, plan_multinode
from chartgen.model.plan import (
    API_KEY_ENV,
    AffinityPlan,
    AuthPlan,
    ContainerSecurityPlan,
    CredentialsFile,
    EnvVar,
    ImagePlan,
    LoraPlan,
    Maintainer,
    ModelPlan,
    PodSecurityPlan,
    ProbePlan,
    ScalingPlan,
    ServiceAccountPlan,
    ServingPlan,
)
from chartgen.model.resources import plan_resources, shm_gib
from chartgen.model.scaling import plan_scaling
from chartgen.model.source import ModelSource, parse_source
from chartgen.model.storage import (
    OFFLINE_ENV,
    download_env,
    identity_env,
    plan_cache,
    plan_download,
    writable_dirs,
)
from chartgen.model.surface import (
    plan_gateway_backend,
    plan_http_route,
    plan_inference_pool,
    plan_ingress,
    plan_monitoring,
    plan_network_policy,
    plan_route,
    plan_service,
)
from chartgen.model.timing import plan_drain, plan_probes

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

DEFAULT_KUBE_VERSION = "1.30"
DEFAULT_UID = 1000
STREAM_TIMEOUT = 600
GCS_KEY = "key.json"  # the key file name `gcloud iam service-accounts keys create` writes
GCS_KEY_DIR = "/var/run/secrets/chartgen/gcs"
KEDA_PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090"
LORA_DIR = "loras"  # adapters' directory in the model cache


def resolve(document: dict[str, Any]) -> ServingPlan:
    meta, spec = document["metadata"], document["spec"]
    runtime = declared_runtime(catalog.runtime(spec["runtime"]), spec.get("custom", {}))
    platform = catalog.platform(spec.get("platform", "generic"))
    name = str(meta["name"])
    source = parse_source(str(spec["model"]["source"]))
    model = spec["model"]
    served_name = str(model.get("servedName", name))
    size = _size_gib(spec)
    scheduling = spec.get("scheduling", {})
    shape = group_shape(spec)
    multi = shape.nodes > 1
    gpu_spec = dict(spec.get("resources", {}).get("gpu", {}))
    gpu = plan_gpu(
        {**gpu_spec, "count": shape.per_node} if multi else gpu_spec, platform, scheduling
    )
    max_replicas = _max_replicas(spec)
    native = source.scheme in runtime.native_schemes
    spec_cache = dict(model.get("cache", {}))
    if multi and source.downloads_at_runtime and not native:
        spec_cache.setdefault("type", "per-replica")  # one cache per pod of the group
    cache = plan_cache(spec_cache, source, size, max_replicas, runtime.cache_dir, native=native)
    stateful = cache.type == "per-replica" and not multi
    loras = _loras(model, runtime.cache_dir)
    download = plan_download(model.get("cache", {}), source, runtime.cache_dir, loras)
    fetches = source.downloads_at_runtime and not download.enabled
    probes = plan_probes(
        runtime,
        spec,
        served_name,
        size,
        downloads=fetches,
        predownload=download.enabled,
        join_seconds=runtime.multinode.join_seconds if multi and runtime.multinode else 0,
    )
    drain = plan_drain(runtime, spec, str(spec.get("kubeVersion", DEFAULT_KUBE_VERSION)))
    rwo_shared = cache.type == "pvc" and cache.access_mode == "ReadWriteOnce"
    scaling = plan_scaling(
        runtime,
        spec,
        gpus=gpu.count,
        rwo_shared_cache=rwo_shared,
        stateful=stateful,
        startup_budget=probes.startup_budget_seconds,
        keda_server=KEDA_PROMETHEUS,
    )
    shm = shm_gib(runtime, spec.get("resources", {}), gpu.count)
    command, args, env = _container(
        runtime,
        spec,
        source,
        served_name,
        shape.total,
        drain.drain_seconds,
        loras,
        nodes=shape.nodes,
    )
    security = spec.get("security", {})
    read_only = bool(security.get("readOnlyRootFilesystem", True))
    key_file = _gcs_key_file(spec["model"], source)
    key_env = [EnvVar(key_file.env_name, key_file.path)] if key_file else []
    server_env = (*env, *_env(runtime, spec, source, download.enabled), *key_env)
    exposure = spec.get("exposure", {})
    ports = _ports(runtime, spec)
    # Streamed generations outlive proxy defaults (ingress-nginx: catalog ingress_nginx.yaml).
    proxy_default = catalog.ingress_nginx().default_timeout_seconds
    timeout = int(
        exposure.get(
            "timeoutSeconds",
            max(drain.drain_seconds, STREAM_TIMEOUT if runtime.llm else proxy_default),
        )
    )
    return ServingPlan(
        name=name,
        description=str(meta.get("description", f"{runtime.title} serving {source.location}")),
        team=str(meta.get("team", "")),
        owner=str(meta.get("owner", "")),
        maintainers=_maintainers(meta),
        icon=str(meta.get("icon", "")),
        runtime=runtime,
        platform=platform,
        kube_version=str(spec.get("kubeVersion", DEFAULT_KUBE_VERSION)),
        image=_image(runtime, spec, gpus=gpu.count, vendor=gpu.vendor),
        image_pull_secrets=tuple(str(s) for s in spec.get("image", {}).get("pullSecrets", [])),
        model=ModelPlan(
            source=source.uri,
            revision=source.revision or "",
            served_name=served_name,
            size_gib=size,
            format=str(
                model.get("format", runtime.model_formats[0] if runtime.model_formats else "")
            ),
        ),
        command=command,
        args=args,
        env=server_env,
        env_from_secrets=_env_from_secrets(model, source),
        ports=ports,
        gpu=gpu,
        resources=plan_resources(spec.get("resources", {}), gpu, size, shm),
        shm_gib=shm,
        cache=cache,
        writable_dirs=writable_dirs(runtime, read_only),
        download=dataclasses.replace(
            download, env=download_env(server_env) if download.enabled else ()
        ),
        workload_kind=("LeaderWorkerSet" if multi else "StatefulSet" if stateful else "Deployment"),
        probes=probes,
        drain=drain,
        scaling=scaling,
        service=plan_service(spec, ports),
        ingress=plan_ingress(exposure, timeout, platform),
        http_route=plan_http_route(exposure, timeout),
        route=plan_route(exposure, timeout, platform),
        gateway_backend=plan_gateway_backend(
            exposure, timeout, platform, (probes.readiness.path, probes.readiness.port)
        ),
        monitoring=plan_monitoring(
            runtime, spec, platform, no_ready_for=_no_ready_for(scaling, probes)
        ),
        network_policy=plan_network_policy(
            spec,
            platform,
            ingress=exposure.get("type") in ("ingress", "route"),
            routed=exposure.get("type") in ("httproute", "inferencepool"),
            monitored=str(spec.get("monitoring", {}).get("type", "servicemonitor"))
            in ("servicemonitor", "podmonitor"),
            fetches=fetches,
        ),
        pod_security=_pod_security(runtime, platform, security),
        container_security=ContainerSecurityPlan(read_only),
        service_account=_service_account(security),
        node_selector={
            **gpu.node_selector,
            **{str(k): str(v) for k, v in scheduling.get("nodeSelector", {}).items()},
        },
        extra_tolerations=tuple(dict(t) for t in scheduling.get("tolerations", [])),
        affinity=AffinityPlan(dict(scheduling.get("affinity", {})), gpu.instance_types),
        priority_class=str(scheduling.get("priorityClassName", "")),
        common_labels={str(k): str(v) for k, v in meta.get("labels", {}).items()},
        common_annotations={str(k): str(v) for k, v in meta.get("annotations", {}).items()},
        pod_annotations=_pod_annotations(runtime, size, scaling.spare_gpus),
        credentials_file=key_file,
        extra_volumes=tuple(spec.get("extraVolumes", [])),
        extra_volume_mounts=tuple(spec.get("extraVolumeMounts", [])),
        extra_objects=tuple(spec.get("extraObjects", [])),
        auth=_auth(runtime, spec),
        multinode=(
            plan_multinode(runtime, shape, spare_gpus=scaling.spare_gpus, port=ports["http"])
            if multi
            else None
        ),
        loras=loras,
        inference_pool=plan_inference_pool(runtime, exposure, platform.fixed_uid_allowed),
    )


def _loras(model: dict[str, Any], cache_dir: str) -> tuple[LoraPlan, ...]:
    """model.loras, each placed under the cache's loras/ directory by the pre-download Job."""
    default_gib = catalog.weights().lora_adapter_gib
    return tuple(
        LoraPlan(
            name=str(item["name"]),
            repository=parse_source(str(item["source"])).location,
            revision=str(item.get("revision", "main")),
            path=f"{cache_dir}/{LORA_DIR}/{item['name']}",
            size_gib=float(item.get("sizeGiB", default_gib)),
            rank=int(item["rank"]) if "rank" in item else None,
        )
        for item in model.get("loras", [])
    )


def _auth(runtime: RuntimeProfile, spec: dict[str, Any]) -> AuthPlan | None:
    """The API key from a Secret. A runtime that reads a variable gets it under that name; one that
    takes only a flag gets `flag $(CHARTGEN_API_KEY)`, expanded by the kubelet, so the key is in
    neither the manifest nor values (it is in the process's argv, which the runtime requires)."""
    api_key = spec.get("auth", {}).get("apiKey")
    if not api_key:
        return None
    if runtime.api_key is None:  # the spec check reports it with its position
        raise UserError(f"runtime {runtime.name} takes no API key (spec.auth.apiKey)")
    return AuthPlan(
        secret_name=str(api_key["secretName"]),
        key=str(api_key.get("key", "api-key")),
        env=runtime.api_key.env or API_KEY_ENV,
        flag=runtime.api_key.flag,
    )


def _pod_annotations(runtime: RuntimeProfile, size: float, spare_gpus: int) -> dict[str, str]:
    """Facts `chartgen lint` reads back from the rendered chart."""
    facts = {chart_facts.RUNTIME: runtime.name, chart_facts.MODEL_SIZE_GIB: f"{size:g}"}
    if spare_gpus:
        facts[chart_facts.SPARE_GPUS] = str(spare_gpus)
    if runtime.maintenance:  # the spec chose this runtime; its status is in the catalog docs
        facts[chart_facts.RUNTIME_MAINTENANCE] = runtime.maintenance
    return facts


def declared_runtime(runtime: RuntimeProfile, custom: dict[str, Any]) -> RuntimeProfile:
    """runtime: custom with the spec's own ports, health paths and metrics endpoint in place of
    the profile's placeholders, so probes, Service and monitors all use what the image serves."""
    if runtime.name != "custom" or not custom:
        return runtime
    ports = custom.get("ports", {})
    health = custom.get("health", {})
    metrics_port = "metrics" if "metrics" in ports else "http"
    readiness = Endpoint(str(health.get("readiness", runtime.readiness.path)))
    return dataclasses.replace(
        runtime,
        ports=Ports(
            http=int(ports.get("http", runtime.ports.http)),
            grpc=int(ports["grpc"]) if "grpc" in ports else None,
            metrics=int(ports["metrics"]) if "metrics" in ports else None,
        ),
        startup=Endpoint(str(health.get("startup", readiness.path))),
        readiness=readiness,
        liveness=Endpoint(str(health.get("liveness", runtime.liveness.path))),
        metrics=Endpoint(
            str(custom.get("metrics", {}).get("path", runtime.metrics.path)), metrics_port
        ),
    )


def _no_ready_for(scaling: ScalingPlan, probes: ProbePlan) -> str:
    """How long no ready replica means an outage. A Recreate rollout, or a rolling one over a
    single replica, has none ready until the new pod is pulled, fed and loaded: the alert waits
    out the rollout's progress deadline rather than paging on every upgrade."""
    gapless = scaling.strategy.type != "Recreate" and scaling.floor >= 2
    minutes = 15 if gapless else max(15, math.ceil(probes.progress_deadline_seconds / 60) + 5)
    return f"{minutes}m"


def _size_gib(spec: dict[str, Any]) -> float:
    """model.sizeGiB, or derived from the parameter count (the spec check requires one of them)."""
    footprint = spec_footprint(spec)
    if footprint is None:
        raise UserError("model.sizeGiB is required (or model.parametersBillion)")
    return footprint.weights_gib


def _max_replicas(spec: dict[str, Any]) -> int:
    autoscaling = spec.get("autoscaling", {})
    if autoscaling.get("enabled"):
        return int(autoscaling.get("maxReplicas", max(2, int(autoscaling.get("minReplicas", 1)))))
    return int(spec.get("replicas", 1))


def _image(runtime: RuntimeProfile, spec: dict[str, Any], *, gpus: int, vendor: str) -> ImagePlan:
    image = spec.get("image", {})
    repository, default_tag = runtime.image_repository, runtime.image_tag
    if gpus == 0 and runtime.cpu_image_tag:
        default_tag = runtime.cpu_image_tag
    elif gpus and vendor in runtime.vendor_images:  # ROCm / XPU build of the same version
        repository, default_tag = runtime.vendor_images[vendor].rsplit(":", 1)
    return ImagePlan(
        repository=str(image.get("repository", repository)),
        tag=str(image.get("tag", default_tag if "repository" not in image else "")),
        digest=str(image.get("digest", "")),
        pull_policy=str(image.get("pullPolicy", "IfNotPresent")),
    )


def _ports(runtime: RuntimeProfile, spec: dict[str, Any]) -> dict[str, int]:
    custom = spec.get("custom", {}).get("ports", {}) if spec["runtime"] == "custom" else {}
    ports = {
        "http": runtime.ports.http,
        "grpc": runtime.ports.grpc,
        "metrics": runtime.ports.metrics,
    }
    ports.update({k: int(v) for k, v in custom.items()})
    return {name: port for name, port in ports.items() if port}


def _container(
    runtime: RuntimeProfile,
    spec: dict[str, Any],
    source: ModelSource,
    served_name: str,
    gpus: int,
    drain_seconds: int,
    loras: tuple[LoraPlan, ...] = (),
    nodes: int = 1,
) -> tuple[list[str], list[str], list[EnvVar]]:
    engine = spec.get("engine", {})
    pipeline = int(engine.get("pipelineParallel", nodes))
    tensor = int(engine.get("tensorParallel", max(1, gpus // max(1, pipeline))))
    settings = engine_settings(
        runtime,
        spec,
        source,
        served_name=served_name,
        tensor_parallel=tensor,
        pipeline_parallel=pipeline,
        drain_seconds=drain_seconds,
        cache_dir=runtime.cache_dir,
        loras=loras,
    )
    args, env = render_args(runtime, settings, list(engine.get("extraArgs", [])))
    command = list(runtime.command)
    custom = spec.get("custom", {})
    if spec["runtime"] == "custom":
        command, args = (
            [str(c) for c in custom.get("command", [])],
            [str(a) for a in custom.get("args", [])],
        )
    return command, args, env


def _env(
    runtime: RuntimeProfile,
    spec: dict[str, Any],
    source: ModelSource,
    predownloaded: bool,
) -> list[EnvVar]:
    env = [EnvVar(k, v.replace("{cache}", runtime.cache_dir)) for k, v in runtime.cache_env.items()]
    if "/tmp" in runtime.writable_paths:  # the image's HOME is not writable by the pod's UID
        env.append(EnvVar("HOME", "/tmp"))
    env += identity_env(spec)
    if not spec.get("resources", {}).get("gpu", {}).get("count", 0):
        # Without a GPU request the NVIDIA runtime would expose every GPU of the node.
        env.append(EnvVar("NVIDIA_VISIBLE_DEVICES", "none"))
    if predownloaded:  # the Job fetched the weights: the server reads only its cache
        env += [EnvVar(name, "1") for name in OFFLINE_ENV]
    credentials = spec["model"].get("credentials", {})
    if credentials and source.scheme == "hf":
        secret, key = str(credentials["secretName"]), str(credentials.get("key", "token"))
        env.append(EnvVar("HF_TOKEN", ref_kind="secretKeyRef", ref_name=secret, ref_key=key))
    return env + [_env_var(item) for item in spec.get("env", [])]


def _gcs_key_file(model: dict[str, Any], source: ModelSource) -> CredentialsFile | None:
    """gs:// credentials: Google client libraries (TensorFlow's GCS filesystem included) read
    GOOGLE_APPLICATION_CREDENTIALS as the path of a service-account key file, so the Secret is
    mounted and the variable names the file."""
    credentials = model.get("credentials", {})
    if not credentials or source.scheme != "gs":
        return None
    return CredentialsFile(
        secret_name=str(credentials["secretName"]),
        key=str(credentials.get("key", GCS_KEY)),
        directory=GCS_KEY_DIR,
        env_name=catalog.model_stores().gcs_credentials_file_env,
        volume_name="gcs-key",
    )


def _env_from_secrets(model: dict[str, Any], source: ModelSource) -> tuple[str, ...]:
    credentials = model.get("credentials", {})
    if credentials and source.scheme in ("s3", "https"):
        return (str(credentials["secretName"]),)
    return ()


def _env_var(item: dict[str, Any]) -> EnvVar:
    for ref in ("secretKeyRef", "configMapKeyRef"):
        if ref in item:
            target = item[ref]
            return EnvVar(
                str(item["name"]),
                ref_kind=ref,
                ref_name=str(target["name"]),
                ref_key=str(target["key"]),
            )
    return EnvVar(str(item["name"]), str(item.get("value", "")))


def _pod_security(
    runtime: RuntimeProfile, platform: PlatformProfile, security: dict[str, Any]
) -> PodSecurityPlan:
    uid = int(security.get("runAsUser", runtime.run_as_user or DEFAULT_UID))
    return PodSecurityPlan(
        run_as_non_root=security.get("podSecurity", "restricted") == "restricted",
        uid=uid if platform.fixed_uid_allowed else None,
    )


def _service_account(security: dict[str, Any]) -> ServiceAccountPlan:
    account = security.get("serviceAccount", {})
    return ServiceAccountPlan(
        create=bool(account.get("create", True)),
        name=str(account.get("name", "")),
        annotations=dict(account.get("annotations", {})),
    )


def _maintainers(meta: dict[str, Any]) -> tuple[Maintainer, ...]:
    """metadata.maintainers as written; else the team (or owner), with the owner as its e-mail
    when it is one (Artifact Hub lists only maintainers with an e-mail)."""
    listed = meta.get("maintainers")
    if listed:
        return tuple(
            Maintainer(str(p["name"]), str(p.get("email", "")), str(p.get("url", "")))
            for p in listed
        )
    team, owner = str(meta.get("team", "")), str(meta.get("owner", ""))
    if not team and not owner:
        return ()
    return (Maintainer(team or owner, owner if EMAIL.match(owner) else ""),)
