{{/*
The Prometheus query of the scaling signal, scoped to this release's pods.
*/}}
{{- define "bert-tfserving.signalQuery" -}}
{{- $selector := printf "namespace=%q,service=%q" .Release.Namespace (include "bert-tfserving.fullname" .) }}
{{- if eq .Values.autoscaling.signal "rps" }}
{{- printf "sum(rate(%s{%s}[1m]))" .Values.autoscaling.requestMetric $selector }}
{{- else }}
{{- printf "sum(%s{%s})" .Values.autoscaling.metric $selector }}
{{- end }}
{{- end }}

{{/*
HPA behavior: add one pod per startup window, keep expensive-to-load pods for a while.
*/}}
{{- define "bert-tfserving.scalingBehavior" -}}
scaleUp:
  stabilizationWindowSeconds: 0
  selectPolicy: Max
  policies:
    - type: Pods
      value: 1
      periodSeconds: {{ .Values.autoscaling.scaleUpPeriodSeconds }}
scaleDown:
  stabilizationWindowSeconds: {{ .Values.autoscaling.scaleDownStabilizationSeconds }}
  policies:
    - type: Pods
      value: 1
      periodSeconds: 60
{{- end }}
