{{/*
The pod template shared by the Deployment, the StatefulSet and both templates of the
LeaderWorkerSet; .podRole (leader | worker) is set only for the latter. Workers run the runtime
with the worker arguments and serve nothing: no ports, probes or preStop drain (a worker that
fails takes its group down, RecreateGroupOnPodRestart).
*/}}
{{- define "qwen-routed.podTemplate" -}}
{{- $role := .podRole | default "" }}
{{- $serving := ne $role "worker" }}
{{- $roleArgs := list }}
{{- if eq $role "leader" }}
{{- $roleArgs = .Values.multiNode.leaderArgs }}
{{- else if eq $role "worker" }}
{{- $roleArgs = .Values.multiNode.workerArgs }}
{{- end }}
metadata:
  annotations:
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if .Values.configFiles }}
    # Restart pods when the runtime configuration changes.
    checksum/config: {{ toJson .Values.configFiles | sha256sum }}
    {{- end }}
  labels:
    {{- include "qwen-routed.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- with $role }}
    chartgen.dev/role: {{ . }}
    {{- end }}
spec:
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  serviceAccountName: {{ include "qwen-routed.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
  {{- with .Values.runtimeClassName }}
  runtimeClassName: {{ . | quote }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . | quote }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  {{- if .Values.download.enabled }}
  initContainers:
    - name: wait-for-model
      image: {{ include "qwen-routed.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command:
        - sh
        - -c
        - {{ printf "until [ -f %s ]; do echo waiting for the model download job; sleep 10; done" .Values.download.marker | quote }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          memory: 64Mi
      volumeMounts:
        - name: cache
          mountPath: {{ .Values.cache.mountPath | quote }}
  {{- end }}
  containers:
    - name: model-server
      image: {{ include "qwen-routed.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with .Values.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- $apiKey := dig "apiKey" dict (.Values.auth | default dict) }}
      {{- $args := concat (.Values.args | default list) $roleArgs }}
      {{- $env := .Values.env | default list }}
      {{- if $apiKey.secretName }}
      {{- /* The key comes from the Secret; a flag-only runtime gets $(VAR), expanded by the kubelet. */}}
      {{- $ref := dict "name" $apiKey.secretName "key" $apiKey.key }}
      {{- $env = append $env (dict "name" $apiKey.env "valueFrom" (dict "secretKeyRef" $ref)) }}
      {{- if $apiKey.flag }}
      {{- $args = concat $args (list $apiKey.flag (printf "$(%s)" $apiKey.env)) }}
      {{- end }}
      {{- end }}
      {{- with $args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $env }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.envFrom }}
      envFrom:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $serving }}
      ports:
        {{- range $name, $port := .Values.containerPorts }}
        - name: {{ $name }}
          containerPort: {{ $port }}
          protocol: TCP
        {{- end }}
      startupProbe:
        {{- toYaml .Values.startupProbe | nindent 8 }}
      readinessProbe:
        {{- toYaml .Values.readinessProbe | nindent 8 }}
      livenessProbe:
        {{- toYaml .Values.livenessProbe | nindent 8 }}
      lifecycle:
        preStop:
          {{- if .Values.drain.sleepAction }}
          sleep:
            seconds: {{ .Values.drain.preStopSeconds }}
          {{- else }}
          exec:
            command:
              - sleep
              - {{ .Values.drain.preStopSeconds | quote }}
          {{- end }}
      {{- end }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        {{- if .Values.shm.enabled }}
        - name: shm
          mountPath: /dev/shm
        {{- end }}
        {{- if ne .Values.cache.type "none" }}
        - name: cache
          mountPath: {{ .Values.cache.mountPath | quote }}
        {{- end }}
        {{- if or .Values.cache.modelClaim .Values.cache.modelImage }}
        - name: model
          mountPath: {{ .Values.cache.modelsMount | quote }}
          readOnly: {{ not (empty .Values.cache.modelImage) }}
        {{- end }}
        {{- if .Values.configFiles }}
        - name: config
          mountPath: /etc/chartgen
          readOnly: true
        {{- end }}
        {{- range .Values.writableDirs }}
        - name: {{ .name }}
          mountPath: {{ .mountPath | quote }}
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    {{- if .Values.shm.enabled }}
    - name: shm
      emptyDir:
        medium: Memory
        sizeLimit: {{ .Values.shm.sizeLimit | quote }}
    {{- end }}
    {{- if eq .Values.cache.type "pvc" }}
    - name: cache
      persistentVolumeClaim:
        claimName: {{ include "qwen-routed.cacheClaimName" . }}
    {{- else if eq .Values.cache.type "emptyDir" }}
    - name: cache
      emptyDir:
        sizeLimit: {{ .Values.cache.size | quote }}
    {{- end }}
    {{- if .Values.cache.modelClaim }}
    - name: model
      persistentVolumeClaim:
        claimName: {{ .Values.cache.modelClaim | quote }}
    {{- else if .Values.cache.modelImage }}
    - name: model
      image:
        reference: {{ .Values.cache.modelImage | quote }}
        pullPolicy: IfNotPresent
    {{- end }}
    {{- if .Values.configFiles }}
    - name: config
      configMap:
        name: {{ include "qwen-routed.fullname" . }}-config
    {{- end }}
    {{- range .Values.writableDirs }}
    - name: {{ .name }}
      emptyDir: {}
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $affinity := deepCopy (.Values.affinity | default dict) }}
  {{- if and .Values.topologySpread.enabled (not (hasKey $affinity "podAntiAffinity")) }}
  {{- /* The node spread also as a preferred anti-affinity: the form kube-linter's default
         no-anti-affinity check requires of every workload with two or more replicas. */}}
  {{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "qwen-routed.selectorLabels" . | fromYaml)) }}
  {{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) }}
  {{- end }}
  {{- with $affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.topologySpread.enabled }}
  topologySpreadConstraints:
    {{- range .Values.topologySpread.constraints }}
    - maxSkew: {{ .maxSkew }}
      topologyKey: {{ .topologyKey | quote }}
      whenUnsatisfiable: {{ .whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "qwen-routed.selectorLabels" $ | nindent 10 }}
    {{- end }}
  {{- end }}
{{- end }}
