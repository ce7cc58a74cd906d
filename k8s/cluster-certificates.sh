#!/usr/bin/env bash
# The Orleans cluster's mutual TLS certificates (k8s/README.md, "Orleans TLS certificates"), made with openssl:
#   - the cluster CA (DIR/ca.crt, DIR/ca.key), made once and kept offline; silos and front ends trust it alone;
#   - a silo certificate (DIR/silo/: tls.crt, tls.key, ca.crt), named bpclub-silo, for server and client use;
#   - a front-end certificate (DIR/api/), named bpclub-api, for client use only: it opens gateways, not silo ports.
# Run again with the same DIR to issue new leaf certificates from the same CA (rotation). With --new-ca the old CA
# becomes DIR/ca-previous.crt and stays trusted beside the new one until DIR/ca-previous.crt is deleted.
#
#   bash k8s/cluster-certificates.sh --dir ~/bpclub-ca [--days 90] [--new-ca] [--apply NAMESPACE]
#
# --apply writes Secrets bpclub-orleans-silo and bpclub-orleans-api into NAMESPACE (kubectl apply) and deletes
# the leaf keys from DIR afterwards; roll the Deployments to load them (kubectl rollout restart).
set -euo pipefail
die() { echo "cluster-certificates.sh: $*" >&2; exit 1; }

DIR="" DAYS=90 NEW_CA=0 NAMESPACE=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --new-ca) NEW_CA=1; shift ;;
    --apply) NAMESPACE=$2; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ -n $DIR ]] || die "--dir DIR is required (where the CA is kept)"
[[ $DAYS =~ ^[0-9]+$ && $DAYS -ge 1 && $DAYS -le 825 ]] || die "--days must be 1..825"
command -v openssl >/dev/null || die "openssl is required"
mkdir -p "$DIR"
chmod 700 "$DIR"
umask 077

if [[ $NEW_CA == 1 && -f $DIR/ca.crt ]]; then
  mv "$DIR/ca.crt" "$DIR/ca-previous.crt"
  rm -f "$DIR/ca.key"
fi
if [[ ! -f $DIR/ca.key ]]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -sha256 -subj "/CN=bpclub-orleans-ca" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$DIR/ca.key" -out "$DIR/ca.crt" 2>/dev/null
fi

# The CA bundle every process checks peers by: the current CA, and during a CA rotation the previous one.
bundle="$DIR/ca-bundle.crt"
cat "$DIR/ca.crt" > "$bundle"
[[ -f $DIR/ca-previous.crt ]] && cat "$DIR/ca-previous.crt" >> "$bundle"

issue() { # role name usages
  local role=$1 name=$2 usages=$3 out="$DIR/$1"
  mkdir -p "$out"
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
  openssl x509 -req -in "$out/tls.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -days "$DAYS" -sha256 \
    -set_serial "0x$(openssl rand -hex 16)" -out "$out/tls.crt" -extfile <(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=$usages" "subjectAltName=DNS:$name") 2>/dev/null
  rm -f "$out/tls.csr"
  cp "$bundle" "$out/ca.crt"
  openssl verify -CAfile "$DIR/ca.crt" "$out/tls.crt" >/dev/null || die "the $role certificate does not verify"
}
issue silo bpclub-silo serverAuth,clientAuth
issue api bpclub-api clientAuth
echo "issued $DIR/silo (bpclub-silo) and $DIR/api (bpclub-api), valid $DAYS days, by $(openssl x509 -noout \
  -subject -in "$DIR/ca.crt")"

if [[ -n $NAMESPACE ]]; then
  for role in silo api; do
    kubectl -n "$NAMESPACE" create secret generic "bpclub-orleans-$role" --from-file="$DIR/$role/tls.crt" \
      --from-file="$DIR/$role/tls.key" --from-file="$DIR/$role/ca.crt" --dry-run=client -o yaml | kubectl apply -f -
    shred -u "$DIR/$role/tls.key" 2>/dev/null || rm -f "$DIR/$role/tls.key"
  done
  echo "Secrets bpclub-orleans-silo and bpclub-orleans-api applied in $NAMESPACE; now roll the silos, then the" \
    "front ends: kubectl -n $NAMESPACE rollout restart deploy/bpclub-silo deploy/bpclub-api"
fi
