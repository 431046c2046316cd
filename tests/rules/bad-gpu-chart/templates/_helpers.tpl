{{/* Selector labels, kept on one line so rendered lines match template lines. */}}
{{- define "bad-gpu.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
