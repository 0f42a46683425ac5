#!/usr/bin/env bash
# Validates the Kubernetes manifests (deploy/kubernetes) offline, without a cluster: every object against Kubernetes'
# schema of its kind, unknown fields, how the objects fit together (selectors, Secret and ConfigMap keys, probe ports,
# RBAC) and what the silos need (deploy/kubernetes/validate/validate.mjs). Then proves the validator rejects: a
# deliberately broken folder (validate/fixtures/broken) must fail with every problem in its expected-problems.txt.
# Needs node and npm; `npm ci` installs the validator's pinned packages from the npm registry (or npm's cache).
set -euo pipefail
cd "$(dirname "$0")/.."
validator=deploy/kubernetes/validate

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "validate-kubernetes: needs node and npm" >&2
  exit 2
fi

echo "== npm ci ($validator)"
# --loglevel=error: kubernetes-models declares node >= 22 and warns on node 20, on which it runs fine.
(cd "$validator" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

started=$(date +%s%N)
echo "== deploy/kubernetes"
node "$validator/validate.mjs" deploy/kubernetes

echo "== negative check: $validator/fixtures/broken must be rejected with each of its mistakes"
set +e
output=$(node "$validator/validate.mjs" "$validator/fixtures/broken" 2>&1)
code=$?
set -e
expected=0; missing=0
while IFS= read -r problem; do
  case "$problem" in ''|'#'*) continue ;; esac
  expected=$((expected + 1))
  if ! grep -qF -- "$problem" <<<"$output"; then
    echo "not reported: $problem" >&2
    missing=$((missing + 1))
  fi
done <"$validator/fixtures/broken/expected-problems.txt"
if [ "$code" -ne 1 ] || [ "$missing" -ne 0 ]; then
  echo "$output" >&2
  echo "validate-kubernetes: the validator did not reject the broken fixture as expected (exit $code, $missing of $expected problems not reported)" >&2
  exit 1
fi
echo "rejected (exit 1) with all $expected expected problems"
echo "validate-kubernetes: manifests valid, validator proven; $(( ($(date +%s%N) - started) / 1000000 )) ms after npm ci"
