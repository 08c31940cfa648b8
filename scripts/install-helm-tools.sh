#!/usr/bin/env bash
# Installs what the Helm chart's test (test/unit/helm-chart.test.ts) needs, with no cluster and
# no download host, only package registries:
#   helm and kubeconform, built with `go install` from the Go module proxy;
#   the Kubernetes JSON schemas shipped in PyPI's kubernetes-validate package, made local;
#   the CRDs of KEDA (ScaledObject, TriggerAuthentication) and of the Prometheus Operator
#   (ServiceMonitor), from their Go module zips (`go mod download`).
# Pinned versions; a second run with the same versions does nothing. Everything lands in
# $SIPFLOW_HELM_TOOLS (default: $(go env GOPATH)/sipflow-helm-tools), outside the work tree, so
# a fresh clone on the same machine reuses it. Needs go and pip (or python3 -m pip).
set -euo pipefail

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VALIDATE_VERSION=1.37.0
# the oldest and newest Kubernetes the chart is checked against (Chart.yaml kubeVersion: >=1.27)
KUBE_VERSIONS='1.27.0 1.37.0'
KEDA_VERSION=v2.21.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0

say() { echo "install-helm-tools: $*"; }

if ! command -v go >/dev/null 2>&1; then
  say "cannot install: no go on PATH (the Helm chart test will say so)" >&2
  exit 1
fi
root="${SIPFLOW_HELM_TOOLS:-$(go env GOPATH)/sipflow-helm-tools}"
stamp="$root/versions"
want="layout=2 helm=$HELM_VERSION kubeconform=$KUBECONFORM_VERSION kubernetes-validate=$KUBERNETES_VALIDATE_VERSION kube=${KUBE_VERSIONS// /,} keda=$KEDA_VERSION prometheus-operator=$PROMETHEUS_OPERATOR_VERSION"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$root/bin/helm" ] && [ -x "$root/bin/kubeconform" ]; then
  say "up to date in $root ($want)"
  exit 0
fi
say "installing into $root: $want"
started=$(date +%s)
rm -f "$stamp"
mkdir -p "$root/bin" "$root/crds" "$root/kubernetes-json-schema"

# helm's release build stamps its version and the Kubernetes version it assumes without a
# cluster (Capabilities.KubeVersion, from its client-go: 1.37 for 3.22); a plain `go install`
# would leave 1.20, below the chart's kubeVersion.
k8s_minor=37
helm_pkg=helm.sh/helm/v3
say "go install $helm_pkg/cmd/helm@$HELM_VERSION (a cold build takes minutes)"
GOBIN="$root/bin" go install -ldflags "-s -w \
  -X $helm_pkg/internal/version.version=$HELM_VERSION \
  -X $helm_pkg/pkg/chartutil.k8sVersionMajor=1 -X $helm_pkg/pkg/chartutil.k8sVersionMinor=$k8s_minor \
  -X $helm_pkg/pkg/lint/rules.k8sVersionMajor=1 -X $helm_pkg/pkg/lint/rules.k8sVersionMinor=$k8s_minor" \
  "$helm_pkg/cmd/helm@$HELM_VERSION"
say "go install github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
GOBIN="$root/bin" go install -ldflags "-X main.version=$KUBECONFORM_VERSION" \
  "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"

# The schema files are inside the wheel; pip only downloads it (no install, no dependencies).
pip=(pip)
command -v pip >/dev/null 2>&1 || pip=(python3 -m pip)
wheel_dir=$(mktemp -d)
trap 'rm -rf "$wheel_dir"' EXIT
say "pip download kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (its Kubernetes JSON schemas)"
"${pip[@]}" download --quiet --no-deps --dest "$wheel_dir" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
wheel=$(ls "$wheel_dir"/kubernetes_validate-*.whl)
for v in $KUBE_VERSIONS; do
  dir="kubernetes_validate/kubernetes-json-schema/v$v-local-strict"
  rm -rf "$root/kubernetes-json-schema/v$v-local-strict"
  # The schemas name their shared definitions by URL ($id https://kubernetes.io/api/..., $ref
  # /api/_definitions.json#...), which a validator would fetch from the network: rewritten to the
  # file beside them, they resolve on disk.
  python3 - "$wheel" "$dir" "$root/kubernetes-json-schema" <<'PY'
import json, os, sys, zipfile
wheel, prefix, out = sys.argv[1], sys.argv[2] + '/', sys.argv[3]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith('.json')]
    if not names:
        sys.exit(f'no {prefix} in {wheel}')
    for n in names:
        text = z.read(n).decode('utf-8').replace('"/api/_definitions.json#', '"_definitions.json#')
        schema = json.loads(text)
        schema.pop('$id', None)
        dest = os.path.join(out, n[len('kubernetes_validate/kubernetes-json-schema/'):])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'w') as f:
            json.dump(schema, f)
PY
  say "Kubernetes $v schemas: $(ls "$root/kubernetes-json-schema/v$v-local-strict" | wc -l) files"
done

# A module's zip holds its whole tree, the CRD manifests included.
module_dir() { go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }
say "go mod download github.com/kedacore/keda/v2@$KEDA_VERSION (CRDs)"
keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
cp "$keda/config/crd/bases/keda.sh_scaledobjects.yaml" "$keda/config/crd/bases/keda.sh_triggerauthentications.yaml" "$root/crds/"
say "go mod download github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION (CRDs)"
promop=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
cp "$promop/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" "$root/crds/"
chmod -R u+w "$root/crds"

echo "$want" >"$stamp"
say "$("$root/bin/helm" version --short), kubeconform $("$root/bin/kubeconform" -v), in $(($(date +%s) - started)) s"
