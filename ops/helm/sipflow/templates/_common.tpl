{{/* Names and labels. */}}
{{- define "sipflow.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sipflow.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sipflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sipflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sipflow.labels" -}}
{{ include "sipflow.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "sipflow.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* "true" when the processor runs with Kafka transactions. */}}
{{- define "sipflow.exactlyOnce" -}}
{{- if eq (toString .Values.processor.PROCESSING_GUARANTEE) "exactly_once" -}}true{{- end -}}
{{- end -}}

{{/*
Exactly-once needs a TRANSACTIONAL_ID that a replaced pod takes over from the pod it replaces, so
that it fences it: a StatefulSet's pod names (<fullname>-0, -1, ...) are that. A Deployment's pod
names are new on every restart. docs/kubernetes.md#exactly-once.
*/}}
{{- define "sipflow.workloadKind" -}}
{{- if include "sipflow.exactlyOnce" . -}}StatefulSet{{- else -}}Deployment{{- end -}}
{{- end -}}

{{- define "sipflow.transactionalIdPrefix" -}}
{{- .Values.exactlyOnce.transactionalIdPrefix | default .Release.Namespace -}}
{{- end -}}

{{- define "sipflow.tlsDir" -}}/etc/sipflow/kafka-tls{{- end -}}
{{- define "sipflow.rulesDir" -}}/etc/sipflow/rules{{- end -}}

{{/*
The connection and topic variables: what every sipflow command that talks to Kafka and the
registry reads (libs/config kafkaEnv, libs/pipeline topicsEnv). Passwords come from Secrets.
*/}}
{{- define "sipflow.connectionEnv" -}}
{{- $k := .Values.kafka -}}
- name: KAFKA_BROKERS
  value: {{ $k.brokers | quote }}
- name: KAFKA_CLIENT_ID
  value: {{ $k.clientId | quote }}
{{- if $k.tls.enabled }}
- name: KAFKA_SSL
  value: "true"
- name: KAFKA_SSL_REJECT_UNAUTHORIZED
  value: {{ $k.tls.rejectUnauthorized | toString | quote }}
{{- if and $k.tls.secretName $k.tls.caKey }}
- name: KAFKA_SSL_CA_FILE
  value: {{ printf "%s/%s" (include "sipflow.tlsDir" .) $k.tls.caKey | quote }}
{{- end }}
{{- if and $k.tls.secretName $k.tls.certKey }}
- name: KAFKA_SSL_CERT_FILE
  value: {{ printf "%s/%s" (include "sipflow.tlsDir" .) $k.tls.certKey | quote }}
- name: KAFKA_SSL_KEY_FILE
  value: {{ printf "%s/%s" (include "sipflow.tlsDir" .) $k.tls.keyKey | quote }}
{{- end }}
{{- end }}
{{- if $k.sasl.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $k.sasl.secretName }}
      key: {{ $k.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.sasl.secretName }}
      key: {{ $k.sasl.passwordKey }}
{{- end }}
- name: SCHEMA_REGISTRY_URL
  value: {{ .Values.schemaRegistry.url | quote }}
{{- with .Values.schemaRegistry.auth }}
{{- if .secretName }}
- name: SCHEMA_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .usernameKey }}
- name: SCHEMA_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .passwordKey }}
{{- end }}
{{- end }}
{{- $t := .Values.topics }}
- name: INPUT_TOPIC
  value: {{ $t.input | quote }}
- name: ENRICHED_TOPIC
  value: {{ $t.enriched | quote }}
- name: RETRY_TOPIC
  value: {{ $t.retry | quote }}
- name: REMOVAL_TOPIC
  value: {{ $t.removal | quote }}
- name: COMPLIANCE_TOPIC
  value: {{ $t.compliance | quote }}
- name: ABANDONMENT_TOPIC
  value: {{ $t.abandonment | quote }}
- name: DLQ_TOPIC
  value: {{ $t.dlq | quote }}
{{- end -}}

{{/*
An env value as a string. YAML numbers reach templates as float64, which would print 2097152 as
"2.097152e+06": whole numbers are printed as integers.
*/}}
{{- define "sipflow.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (float64 (int64 .))) -}}
{{- int64 . | toString | quote -}}
{{- else -}}
{{- toString . | quote -}}
{{- end -}}
{{- end -}}

{{/* The Secret with the TLS files, mounted read-only where the *_FILE variables point. */}}
{{- define "sipflow.tlsVolume" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.secretName -}}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "sipflow.tlsMount" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.secretName -}}
- name: kafka-tls
  mountPath: {{ include "sipflow.tlsDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Non-root with a numeric user: the image's USER is the name "node", which the kubelet cannot check
against runAsNonRoot, so the uid of node:20-slim's "node" user (1000) is given.
*/}}
{{- define "sipflow.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "sipflow.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/*
The one writable place: tsx (TypeScript run without a build step, see ops/docker/Dockerfile) keeps
its compile cache in the temp directory.
*/}}
{{- define "sipflow.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "sipflow.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* Settings that would break the promises of docs/kubernetes.md stop the render, naming the value. */}}
{{- define "sipflow.validate" -}}
{{- $p := .Values.processor -}}
{{- $guarantee := toString $p.PROCESSING_GUARANTEE -}}
{{- if not (has $guarantee (list "at_least_once" "exactly_once")) -}}
{{- fail (printf "processor.PROCESSING_GUARANTEE=%q: at_least_once or exactly_once" $guarantee) -}}
{{- end -}}
{{- range $name := list "METRICS_HOST" "METRICS_PORT" "TRANSACTIONAL_ID" -}}
{{- if hasKey $p $name -}}
{{- fail (printf "processor.%s: the chart sets it (metrics.port, exactlyOnce.transactionalIdPrefix)" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $_ := $p -}}
{{- if or (hasPrefix "KAFKA_" $name) (hasPrefix "SCHEMA_REGISTRY_" $name) (hasSuffix "_TOPIC" $name) -}}
{{- if ne $name "KAFKA_CLIENT" -}}
{{- fail (printf "processor.%s: set the connection and topics in kafka, schemaRegistry and topics" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.rules.configMap (hasKey $p "RULES_FILE") -}}
{{- fail "processor.RULES_FILE and rules.configMap both name the rules file: keep one" -}}
{{- end -}}
{{- $shutdown := int (default 30 $p.SHUTDOWN_TIMEOUT_SECONDS) -}}
{{- if le (int .Values.terminationGracePeriodSeconds) $shutdown -}}
{{- fail (printf "terminationGracePeriodSeconds=%d must be longer than processor.SHUTDOWN_TIMEOUT_SECONDS=%d, or the kubelet kills a processor that is still finishing its batch" (int .Values.terminationGracePeriodSeconds) $shutdown) -}}
{{- end -}}
{{- $partitions := int .Values.topics.partitions -}}
{{- if .Values.keda.enabled -}}
{{- if gt (int .Values.keda.maxReplicaCount) $partitions -}}
{{- fail (printf "keda.maxReplicaCount=%d is more than topics.partitions=%d: a consumer beyond the input's partition count gets no partition" (int .Values.keda.maxReplicaCount) $partitions) -}}
{{- end -}}
{{- if gt (int .Values.keda.minReplicaCount) (int .Values.keda.maxReplicaCount) -}}
{{- fail (printf "keda.minReplicaCount=%d is more than keda.maxReplicaCount=%d" (int .Values.keda.minReplicaCount) (int .Values.keda.maxReplicaCount)) -}}
{{- end -}}
{{- else if gt (int .Values.replicaCount) $partitions -}}
{{- fail (printf "replicaCount=%d is more than topics.partitions=%d: a consumer beyond the input's partition count gets no partition" (int .Values.replicaCount) $partitions) -}}
{{- end -}}
{{- with .Values.kafka -}}
{{- if and .sasl.mechanism (not .sasl.secretName) -}}
{{- fail "kafka.sasl.mechanism is set: kafka.sasl.secretName names the Secret with the user and password" -}}
{{- end -}}
{{- if and .tls.secretName (not .tls.enabled) -}}
{{- fail "kafka.tls.secretName is set: set kafka.tls.enabled too" -}}
{{- end -}}
{{- if ne (empty .tls.certKey) (empty .tls.keyKey) -}}
{{- fail "kafka.tls.certKey and kafka.tls.keyKey go together (mutual TLS)" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Where the per-number state's snapshots are kept (STATE_DIR) when stateSnapshots.enabled. */}}
{{- define "sipflow.stateDir" -}}
/var/lib/sipflow/state
{{- end -}}
