{{/*
The Prometheus query of the scaling signal, scoped to this release's pods.
*/}}
{{- define "qwen-routed.signalQuery" -}}
{{- $selector := printf "namespace=%q,service=%q" .Release.Namespace (include "qwen-routed.fullname" .) }}
{{- if eq .Values.autoscaling.signal "rps" }}
{{- printf "sum(rate(%s{%s}[1m]))" .Values.autoscaling.requestMetric $selector }}
{{- else }}
{{- printf "sum(%s{%s})" .Values.autoscaling.metric $selector }}
{{- end }}
{{- end }}

{{/*
KEDA prometheus trigger authentication (authModes, authenticationRef) when a Secret is named.
*/}}
{{- define "qwen-routed.prometheusAuthMode" -}}
{{- with .Values.autoscaling.prometheusAuth.secretName }}
authModes: {{ $.Values.autoscaling.prometheusAuth.mode | quote }}
{{- end }}
{{- end }}

{{- define "qwen-routed.prometheusAuthRef" -}}
{{- with .Values.autoscaling.prometheusAuth.secretName }}
authenticationRef:
  name: {{ include "qwen-routed.fullname" $ }}-prometheus
{{- end }}
{{- end }}

{{/*
HPA behavior: one scale-up decision per startup window, as large as the signal asks (new pods
report no load until they have loaded the model, so a second decision inside the window would
count the same demand twice); keep expensive-to-load pods for a while.
*/}}
{{- define "qwen-routed.scalingBehavior" -}}
scaleUp:
  stabilizationWindowSeconds: 0
  selectPolicy: Max
  policies:
    - type: Pods
      value: {{ .Values.autoscaling.maxReplicas }}
      periodSeconds: {{ .Values.autoscaling.scaleUpPeriodSeconds }}
scaleDown:
  stabilizationWindowSeconds: {{ .Values.autoscaling.scaleDownStabilizationSeconds }}
  policies:
    - type: Pods
      value: 1
      periodSeconds: 60
{{- end }}
