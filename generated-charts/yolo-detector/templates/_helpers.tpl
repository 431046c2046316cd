{{/*
Expand the name of the chart.
*/}}
{{- define "yolo-detector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "yolo-detector.fullname" -}}
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
{{- define "yolo-detector.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "yolo-detector.labels" -}}
helm.sh/chart: {{ include "yolo-detector.chart" . }}
{{ include "yolo-detector.selectorLabels" . }}
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
{{- define "yolo-detector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "yolo-detector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the LeaderWorkerSet (multi-node): its pods are <name>-<group> (leaders) and
<name>-<group>-<worker>, and its headless Service takes this name, so it differs from the Service's.
*/}}
{{- define "yolo-detector.groupName" -}}
{{- printf "%s-lws" (include "yolo-detector.fullname" . | trunc 48 | trimSuffix "-") }}
{{- end }}

{{/*
"true" when the chart's workload renders: a LeaderWorkerSet only where the cluster serves its API.
The objects that only front the workload (Service, Ingress, HTTPRoute, PDB, helm test) follow it.
*/}}
{{- define "yolo-detector.workloadRendered" -}}
{{- if or (ne .Values.workload.kind "LeaderWorkerSet") (include "yolo-detector.servesAPI" (list . "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet")) -}}
true
{{- end -}}
{{- end }}

{{/*
The leader-only label a multi-node chart's Service selects: only the leader serves requests.
*/}}
{{- define "yolo-detector.leaderSelector" -}}
{{- if eq .Values.workload.kind "LeaderWorkerSet" -}}
chartgen.dev/role: leader
{{- end -}}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "yolo-detector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "yolo-detector.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image: a digest pins it, else repository:tag (tag defaults to appVersion)
*/}}
{{- define "yolo-detector.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Name of the shared model cache claim
*/}}
{{- define "yolo-detector.cacheClaimName" -}}
{{- default (printf "%s-cache" (include "yolo-detector.fullname" .)) .Values.cache.existingClaim }}
{{- end }}

{{/*
"true" when the cluster serves the API ("group/version/Kind"): Helm's capabilities (the live
cluster on install; `helm template --api-versions`) or the apiVersions value. Objects of a CRD
kind the cluster lacks would fail the install with "no matches for kind"; they are skipped and
NOTES.txt says so.
*/}}
{{- define "yolo-detector.servesAPI" -}}
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
{{- define "yolo-detector.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.peers | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.dns.port }}
      protocol: UDP
    - port: {{ .Values.networkPolicy.dns.port }}
      protocol: TCP
{{- end }}
