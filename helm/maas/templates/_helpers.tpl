{{/* Names -------------------------------------------------------------- */}}

{{- define "maas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name; components append -control-plane and so on, so
     it is kept short enough for the longest suffix. */}}
{{- define "maas.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "maas.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels ------------------------------------------------------------- */}}

{{- define "maas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "maas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "maas.labels" -}}
helm.sh/chart: {{ include "maas.chart" . }}
{{ include "maas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: maas
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of one component: (dict "ctx" $ "component" "gateway") */}}
{{- define "maas.componentLabels" -}}
{{ include "maas.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "maas.componentSelector" -}}
{{ include "maas.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Objects' names ------------------------------------------------------ */}}

{{- define "maas.controlPlane.fullname" -}}
{{ include "maas.fullname" . }}-control-plane
{{- end }}

{{- define "maas.gateway.fullname" -}}
{{ include "maas.fullname" . }}-gateway
{{- end }}

{{- define "maas.worker.fullname" -}}
{{ include "maas.fullname" . }}-worker
{{- end }}

{{- define "maas.postgresql.fullname" -}}
{{ include "maas.fullname" . }}-postgresql
{{- end }}

{{- define "maas.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "maas.fullname" . }}-secrets
{{- end }}
{{- end }}

{{- define "maas.database.secretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- include "maas.fullname" . }}-database
{{- end }}
{{- end }}

{{- define "maas.database.secretKey" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecretKey }}
{{- else }}
{{- print "password" }}
{{- end }}
{{- end }}

{{/* Whether the control plane gets a database password at all. */}}
{{- define "maas.database.hasPassword" -}}
{{- if or .Values.database.existingSecret .Values.database.password .Values.postgresql.enabled }}true{{ end }}
{{- end }}

{{- define "maas.database.url" -}}
{{- if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "maas.postgresql.fullname" .) .Values.postgresql.database }}
{{- else if .Values.database.url }}
{{- .Values.database.url }}
{{- else }}
{{- fail "maas: set database.url (jdbc:postgresql://HOST:5432/DB) for an external PostgreSQL, or postgresql.enabled=true for the in-chart one" }}
{{- end }}
{{- end }}

{{- define "maas.database.user" -}}
{{- if .Values.postgresql.enabled }}
{{- .Values.postgresql.user }}
{{- else }}
{{- .Values.database.user }}
{{- end }}
{{- end }}

{{- define "maas.artifacts.claimName" -}}
{{- if .Values.artifacts.persistence.existingClaim }}
{{- .Values.artifacts.persistence.existingClaim }}
{{- else }}
{{- include "maas.fullname" . }}-artifacts
{{- end }}
{{- end }}

{{- define "maas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "maas.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The control plane's cluster API, as gateways and workers dial it. */}}
{{- define "maas.controlPlane.address" -}}
{{ include "maas.controlPlane.fullname" . }}:{{ .Values.controlPlane.ports.grpc }}
{{- end }}

{{/* An image reference: (dict "ctx" $ "image" .Values.gateway.image) */}}
{{- define "maas.image" -}}
{{- $registry := .ctx.Values.image.registry }}
{{- $tag := .image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion }}
{{- if $registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/* Gateway replicas the quota shares are divided by. */}}
{{- define "maas.gateway.replicasHint" -}}
{{- if gt (int .Values.gateway.replicasHint) 0 }}
{{- .Values.gateway.replicasHint }}
{{- else if .Values.gateway.autoscaling.enabled }}
{{- .Values.gateway.autoscaling.minReplicas }}
{{- else }}
{{- .Values.gateway.replicaCount }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by the services: (dict "ctx" $ "c" <component values>) */}}
{{- define "maas.podCommon" -}}
serviceAccountName: {{ include "maas.serviceAccountName" .ctx }}
automountServiceAccountToken: false
# MAAS_* variables configure the services; Kubernetes' service-link variables
# (<SERVICE>_PORT, ...) could collide with them.
enableServiceLinks: false
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .ctx.Values.podSecurityContext | nindent 2 }}
{{- with .c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* topologySpreadConstraints: the component's own, or a soft spread over nodes.
     (dict "ctx" $ "c" <component values> "component" "gateway") */}}
{{- define "maas.topologySpread" -}}
topologySpreadConstraints:
{{- if .c.topologySpreadConstraints }}
  {{- toYaml .c.topologySpreadConstraints | nindent 2 }}
{{- else }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "maas.componentSelector" (dict "ctx" .ctx "component" .component) | nindent 8 }}
{{- end }}
{{- end }}

{{/* Environment variables from a map, sorted: (the map) */}}
{{- define "maas.envMap" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
