{{/* The chart's name. */}}
{{- define "imagebot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The objects' name: the release name, with the chart's name unless it holds it. */}}
{{- define "imagebot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the pods; they never change over an upgrade. */}}
{{- define "imagebot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "imagebot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "imagebot.labels" -}}
{{ include "imagebot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "imagebot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "imagebot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image reference: a digest wins over a tag; the tag defaults to appVersion. */}}
{{- define "imagebot.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The namespaces whose pods imagebot reads with its own service account, sorted, once each. */}}
{{- define "imagebot.hubNamespaces" -}}
{{- $namespaces := list -}}
{{- $config := .Values.operatorConfig | default dict -}}
{{- if kindIs "string" $config -}}
{{- $config = fromYaml $config -}}
{{- end -}}
{{- range ($config.hubs | default list) -}}
{{- if and .kubernetes .kubernetes.inCluster -}}
{{- $namespaces = append $namespaces .kubernetes.namespace -}}
{{- end -}}
{{- end -}}
{{- $namespaces = concat $namespaces .Values.rbac.extraNamespaces -}}
{{- $namespaces | uniq | sortAlpha | toJson -}}
{{- end -}}

{{/* Refuse values that would run imagebot wrongly. */}}
{{- define "imagebot.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (eq .Values.database.type "sqlite") -}}
{{- fail (printf "replicas: %d needs database.type: postgres: SQLite is one file on one volume, for one replica. Set replicas: 1, or database.type: postgres with database.postgres.existingSecret" (int .Values.replicas)) -}}
{{- end -}}
{{- if and (eq .Values.database.type "postgres") (not .Values.database.postgres.existingSecret) -}}
{{- fail "database.type: postgres needs database.postgres.existingSecret, the Secret whose key (database.postgres.key, default url) holds the postgres:// URL" -}}
{{- end -}}
{{- end -}}
