{{/*
Expand the name of the chart.
*/}}
{{- define "qwen-routed.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "qwen-routed.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "qwen-routed.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "qwen-routed.labels" -}}
helm.sh/chart: {{ include "qwen-routed.chart" . }}
{{ include "qwen-routed.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: model-server
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels (never the version: selectors are immutable)
*/}}
{{- define "qwen-routed.selectorLabels" -}}
app.kubernetes.io/name: {{ include "qwen-routed.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the LeaderWorkerSet (multi-node): its pods are <name>-<group> (leaders) and
<name>-<group>-<worker>, and its headless Service takes this name, so it differs from the Service's.
*/}}
{{- define "qwen-routed.groupName" -}}
{{- printf "%s-lws" (include "qwen-routed.fullname" . | trunc 48 | trimSuffix "-") }}
{{- end }}

{{/*
"true" when the chart's workload renders: a LeaderWorkerSet only where the cluster serves its API.
The objects that only front the workload (Service, Ingress, HTTPRoute, PDB, helm test) follow it.
*/}}
{{- define "qwen-routed.workloadRendered" -}}
{{- if or (ne .Values.workload.kind "LeaderWorkerSet") (include "qwen-routed.servesAPI" (list . "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet")) -}}
true
{{- end -}}
{{- end }}

{{/*
The leader-only label a multi-node chart's Service selects: only the leader serves requests.
*/}}
{{- define "qwen-routed.leaderSelector" -}}
{{- if eq .Values.workload.kind "LeaderWorkerSet" -}}
chartgen.dev/role: leader
{{- end -}}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "qwen-routed.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "qwen-routed.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image: a digest pins it, else repository:tag (tag defaults to appVersion)
*/}}
{{- define "qwen-routed.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Name of the shared model cache claim
*/}}
{{- define "qwen-routed.cacheClaimName" -}}
{{- default (printf "%s-cache" (include "qwen-routed.fullname" .)) .Values.cache.existingClaim }}
{{- end }}

{{/*
"true" when the cluster serves the API ("group/version/Kind"): Helm's capabilities (the live
cluster on install; `helm template --api-versions`) or the apiVersions value. Objects of a CRD
kind the cluster lacks would fail the install with "no matches for kind"; they are skipped and
NOTES.txt says so.
*/}}
{{- define "qwen-routed.servesAPI" -}}
{{- $root := index . 0 -}}
{{- $api := index . 1 -}}
{{- if or ($root.Capabilities.APIVersions.Has $api) (has $api $root.Values.apiVersions) -}}
true
{{- end -}}
{{- end }}

{{/*
Egress to the cluster DNS pods on the port they listen on (5353 on OpenShift: policies match the
pod's port, after the Service's 53 is translated).
*/}}
{{- define "qwen-routed.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.peers | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.dns.port }}
      protocol: UDP
    - port: {{ .Values.networkPolicy.dns.port }}
      protocol: TCP
{{- end }}
