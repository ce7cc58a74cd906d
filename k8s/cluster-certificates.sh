#!/usr/bin/env bash
# The Orleans cluster's mutual TLS certificates (k8s/README.md, "Orleans TLS certificates"), made with openssl:
#   - the cluster CA (DIR/ca.crt, DIR/ca.key), made once and kept offline; silos and front ends trust it alone;
#   - a silo certificate (DIR/silo/: tls.crt, tls.key, ca.crt), named bpclub-silo, for server and client use;
#   - a front-end certificate (DIR/api/), named bpclub-api, for client use only: it opens gateways, not silo ports.
# Run again with the same DIR to issue new leaf certificates from the same CA (rotation; old and new pods trust
# each other throughout). A new CA takes three runs, each followed by a roll of silos and front ends:
#   --new-ca      makes the next CA (DIR/ca-next.*) and trusts it beside the current one; leaves still from the old;
#   --switch-ca   the next CA becomes the current one (the old one stays trusted); leaves from the new CA;
#   --drop-old-ca the old CA is no longer trusted.
#
#   bash k8s/cluster-certificates.sh --dir ~/bpclub-ca [--days 90] [--new-ca|--switch-ca|--drop-old-ca]
#                                    [--apply NAMESPACE]
#
# --apply writes Secrets bpclub-orleans-silo and bpclub-orleans-api into NAMESPACE (kubectl apply) and deletes
# the leaf keys from DIR afterwards; then roll the Deployments to load them (kubectl rollout restart).
set -euo pipefail
die() { echo "cluster-certificates.sh: $*" >&2; exit 1; }

DIR="" DAYS=90 STEP="" NAMESPACE=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --new-ca|--switch-ca|--drop-old-ca) STEP=${1#--}; shift ;;
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

newca() { # prefix
  local cn="bpclub-orleans-ca-$(date -u +%Y%m%d)-$(openssl rand -hex 4)"
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -sha256 -subj "/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$DIR/$1.key" -out "$DIR/$1.crt" 2>/dev/null
}
[[ -f $DIR/ca.key ]] || newca ca
case $STEP in
  new-ca) [[ -f $DIR/ca-next.crt ]] && die "a next CA exists already: --switch-ca"; newca ca-next ;;
  switch-ca)
    [[ -f $DIR/ca-next.key ]] || die "no next CA: --new-ca first (and roll)"
    mv "$DIR/ca.crt" "$DIR/ca-previous.crt"; rm -f "$DIR/ca.key"
    mv "$DIR/ca-next.crt" "$DIR/ca.crt"; mv "$DIR/ca-next.key" "$DIR/ca.key" ;;
  drop-old-ca) rm -f "$DIR/ca-previous.crt" ;;
esac

# The CA bundle every process checks peers by: the current CA, and during a CA rotation the next or the previous.
bundle="$DIR/ca-bundle.crt"
cat "$DIR/ca.crt" > "$bundle"
for other in ca-next ca-previous; do [[ -f $DIR/$other.crt ]] && cat "$DIR/$other.crt" >> "$bundle"; done

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
