#!/usr/bin/env bash
# Manages a local, project-owned PostgreSQL server (the "embedded" database used by
# `./bpclub up` and by the tests' throwaway clusters).
#
#   postgres.sh ensure-installed              install the server binaries if missing (apt)
#   postgres.sh start   DATADIR PORT [DBNAME] init (if needed) + start + create DBNAME;
#                                             prints ONE line on stdout: the Npgsql
#                                             connection string. PORT 0 = pick a free port.
#   postgres.sh stop    DATADIR               fast shutdown (quiet when not running)
#   postgres.sh status  DATADIR               exit 0 when running, 3 when not
#   postgres.sh destroy DATADIR               stop + delete the data directory
#
# Everything except the connection string goes to stderr.
# Environment: BPCLUB_PG_BINDIR  use the server binaries in this directory.
set -euo pipefail

# stdout is reserved for the connection string: keep it on fd 3, send the rest to stderr.
exec 3>&1 1>&2

readonly PROG="postgres.sh"
readonly PG_OS_USER="postgres"
readonly PG_SUPERUSER="postgres"
readonly CONF_FILE="bpclub.conf"
readonly LOG_FILE="server.log"

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------- binaries
find_bindir() {
    if [[ -n ${BPCLUB_PG_BINDIR:-} ]]; then
        [[ -x $BPCLUB_PG_BINDIR/initdb ]] || die "BPCLUB_PG_BINDIR=$BPCLUB_PG_BINDIR holds no initdb"
        echo "$BPCLUB_PG_BINDIR"; return 0
    fi
    local best="" v
    local f
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [[ -x $f ]] || continue
        v=${f#/usr/lib/postgresql/}; v=${v%%/*}
        if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n1) == "$v" ]]; then
            best=$v
        fi
    done
    if [[ -n $best ]]; then echo "/usr/lib/postgresql/$best/bin"; return 0; fi
    # Non-Debian layouts: initdb on the PATH.
    local p
    if p=$(command -v initdb 2>/dev/null); then dirname "$(readlink -f "$p")"; return 0; fi
    return 1
}

# The binaries for an existing cluster must match its major version.
bindir_for_datadir() {
    local datadir=$1 ver
    ver=$(<"$datadir/PG_VERSION")
    if [[ -z ${BPCLUB_PG_BINDIR:-} && -x /usr/lib/postgresql/$ver/bin/postgres ]]; then
        echo "/usr/lib/postgresql/$ver/bin"; return 0
    fi
    local b
    b=$(find_bindir) || die "no PostgreSQL server binaries found (run: $0 ensure-installed)"
    local have
    have=$("$b/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
    [[ $have == "$ver" ]] || die "$datadir holds a PostgreSQL $ver cluster but only version $have binaries are installed ($b); destroy it ($0 destroy $datadir) or install postgresql-$ver"
    echo "$b"
}

ensure_installed() {
    if find_bindir >/dev/null 2>&1; then return 0; fi
    command -v apt-get >/dev/null 2>&1 \
        || die "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL (initdb, pg_ctl) or set BPCLUB_PG_BINDIR"
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed and installing it needs root (no sudo available)"
        sudo=(sudo)
    fi
    note "PostgreSQL server not found; installing it with apt-get ..."
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    find_bindir >/dev/null 2>&1 || die "apt-get installed postgresql but no server binaries were found under /usr/lib/postgresql"
    note "PostgreSQL installed ($(find_bindir))."
}

# ---------------------------------------------------------------- running as the right user
# PostgreSQL refuses to run as root: as root, run the server tools as the postgres OS user.
as_pg() {
    if is_root; then
        # cd / so the tools never complain about an unreadable current directory
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

check_os_user() {
    is_root || return 0
    id -u "$PG_OS_USER" >/dev/null 2>&1 \
        || die "running as root, but there is no '$PG_OS_USER' OS user to run PostgreSQL as (it is created by the Debian postgresql package; run: $0 ensure-installed)"
    command -v runuser >/dev/null 2>&1 || die "running as root needs 'runuser' (util-linux) to drop to the '$PG_OS_USER' user"
}

# Every directory above DATADIR must be traversable by the postgres user.
ensure_traversable() {
    is_root || return 0
    local d
    d=$(dirname "$1")
    while :; do
        if ! runuser -u "$PG_OS_USER" -- test -x "$d" 2>/dev/null; then
            note "making $d traversable (o+x) so the '$PG_OS_USER' user can reach the data directory"
            chmod o+x "$d" || die "cannot make $d traversable for the '$PG_OS_USER' user"
        fi
        [[ $d == / ]] && break
        d=$(dirname "$d")
    done
}

# ---------------------------------------------------------------- helpers
abs_path() {
    local p=$1
    [[ $p == /* ]] || p="$PWD/$p"
    # normalise without requiring existence
    realpath -m -- "$p"
}

valid_port() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 0 && $1 <= 65535 )); }

port_in_use() { (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    die "could not find a free TCP port"
}

conn_string() { printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s\n' "$1" "$2" "$PG_SUPERUSER"; }

# Serialise concurrent start/stop/destroy calls on the same data directory.
lock_datadir() {
    command -v flock >/dev/null 2>&1 || return 0
    exec 8<"$1"
    flock -w 300 8 || die "timed out waiting for another $PROG on $1"
}

is_cluster() { [[ -f $1/PG_VERSION ]]; }

is_running() {
    local datadir=$1 bindir
    is_cluster "$datadir" || return 1
    [[ -f $datadir/postmaster.pid ]] || return 1
    bindir=$(bindir_for_datadir "$datadir")
    as_pg "$bindir/pg_ctl" status -D "$datadir" >/dev/null 2>&1
}

configured_port() {
    sed -nE "s/^[[:space:]]*port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p" "$1/$CONF_FILE" 2>/dev/null | tail -n1
}

show_log_tail() {
    local log=$1/$LOG_FILE
    if [[ -f $log ]]; then
        echo "---- last lines of $log ----" >&2
        tail -n 25 "$log" >&2 || true
        echo "----" >&2
    fi
}

# ---------------------------------------------------------------- init / configure
init_cluster() {
    local datadir=$1 bindir=$2
    local locale_args=(--locale=C)
    # C collation (fast, deterministic) with a UTF-8 ctype so upper()/lower() work on any script.
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale_args=(--lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C --lc-monetary=C --lc-numeric=C --lc-time=C)
    fi
    note "initialising a new PostgreSQL cluster in $datadir"
    local out
    if ! out=$(as_pg "$bindir/initdb" -D "$datadir" -U "$PG_SUPERUSER" -E UTF8 "${locale_args[@]}" \
                  --auth-local=trust --auth-host=trust 2>&1); then
        echo "$out" >&2
        die "initdb failed for $datadir"
    fi
    # Only local connections, all trusted (a development / test server bound to 127.0.0.1).
    cat >"$datadir/pg_hba.conf" <<'EOF'
# BpClub embedded PostgreSQL: local connections only, trusted.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
host    all       all   ::1/128        trust
local   replication all                trust
host    replication all 127.0.0.1/32   trust
host    replication all ::1/128        trust
EOF
    echo "include_if_exists = '$CONF_FILE'   # BpClub settings (rewritten by postgres.sh start)" >>"$datadir/postgresql.conf"
    is_root && chown "$PG_OS_USER:" "$datadir/pg_hba.conf" "$datadir/postgresql.conf"
    return 0
}

write_conf() {
    local datadir=$1 port=$2 sockdir
    sockdir=$datadir
    # A Unix socket path is limited to 107 bytes; fall back to TCP only when it would not fit.
    if (( ${#datadir} + 20 > 107 )); then
        note "data directory path too long for a Unix socket; TCP only"
        sockdir=""
    fi
    # keep the include line even for clusters initialised by an older version of this script
    grep -q "^include_if_exists = '$CONF_FILE'" "$datadir/postgresql.conf" \
        || echo "include_if_exists = '$CONF_FILE'" >>"$datadir/postgresql.conf"
    cat >"$datadir/$CONF_FILE" <<EOF
# Written by cluster-config/postgres.sh on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
max_connections = 300
shared_buffers = 256MB
# durability: an acknowledged commit survives a crash
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
    is_root && chown "$PG_OS_USER:" "$datadir/$CONF_FILE"
    return 0
}

start_server() {
    local datadir=$1 bindir=$2 port=$3
    local log=$datadir/$LOG_FILE
    as_pg touch "$log"
    note "starting PostgreSQL on 127.0.0.1:$port (data $datadir, log $log)"
    if ! as_pg "$bindir/pg_ctl" start -D "$datadir" -l "$log" -w -t 120 -s 3>&- 8<&- </dev/null; then
        show_log_tail "$datadir"
        if grep -qiE 'could not (bind|create listen socket)|Address already in use' "$log" 2>/dev/null; then
            return 2
        fi
        die "PostgreSQL failed to start (data $datadir); see $log"
    fi
}

psql_cmd() {
    local bindir=$1 port=$2; shift 2
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" "$@"
}

ensure_database() {
    local bindir=$1 port=$2 db=$3 exists
    exists=$(psql_cmd "$bindir" "$port" -d postgres -tA \
               -c "SELECT 1 FROM pg_database WHERE datname = '$db'") \
        || die "cannot connect to PostgreSQL on 127.0.0.1:$port"
    if [[ $exists != 1 ]]; then
        note "creating database $db"
        psql_cmd "$bindir" "$port" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null \
            || die "could not create database $db"
    fi
}

# ---------------------------------------------------------------- commands
cmd_start() {
    [[ $# -ge 2 && $# -le 3 ]] || die "usage: $PROG start DATADIR PORT [DBNAME]"
    local datadir port db=${3:-bpclub}
    datadir=$(abs_path "$1"); port=$2
    valid_port "$port" || die "invalid port '$port'"
    [[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "invalid database name '$db' (letters, digits, _)"
    [[ $datadir != / ]] || die "refusing to use / as the data directory"

    check_os_user
    mkdir -p "$datadir"
    lock_datadir "$datadir"

    local bindir
    if is_cluster "$datadir"; then
        bindir=$(bindir_for_datadir "$datadir")
    else
        bindir=$(find_bindir) || die "no PostgreSQL server binaries found (run: $0 ensure-installed)"
        if [[ -n $(ls -A "$datadir") ]]; then
            die "$datadir is not empty and holds no PostgreSQL cluster; refusing to initialise it"
        fi
    fi

    if is_running "$datadir"; then
        local running_port
        running_port=$(configured_port "$datadir")
        if [[ $port == 0 || $port == "$running_port" ]]; then
            ensure_database "$bindir" "$running_port" "$db"
            conn_string "$running_port" "$db" >&3
            return 0
        fi
        note "server on $datadir runs on port $running_port; restarting it on port $port"
        as_pg "$bindir/pg_ctl" stop -D "$datadir" -m fast -w -s
    fi

    if is_root; then
        ensure_traversable "$datadir"
        chown "$PG_OS_USER:" "$datadir"
    fi
    chmod 700 "$datadir"
    is_cluster "$datadir" || init_cluster "$datadir" "$bindir"

    local attempt=1 p rc
    while :; do
        if [[ $port == 0 ]]; then p=$(pick_free_port); else p=$port; fi
        if [[ $port != 0 ]] && port_in_use "$p"; then
            die "port $p on 127.0.0.1 is already in use by another program (choose another port)"
        fi
        write_conf "$datadir" "$p"
        rc=0; start_server "$datadir" "$bindir" "$p" || rc=$?
        [[ $rc == 0 ]] && break
        if [[ $port == 0 && $attempt -lt 5 ]]; then
            attempt=$((attempt + 1)); note "port $p was taken; retrying with another port"; continue
        fi
        die "PostgreSQL could not listen on 127.0.0.1:$p (port in use?)"
    done

    ensure_database "$bindir" "$p" "$db"
    conn_string "$p" "$db" >&3
}

cmd_stop() {
    [[ $# -eq 1 ]] || die "usage: $PROG stop DATADIR"
    local datadir
    datadir=$(abs_path "$1")
    [[ -d $datadir ]] || return 0
    lock_datadir "$datadir"
    stop_locked "$datadir"
}

stop_locked() {
    local datadir=$1 bindir
    is_running "$datadir" || return 0
    bindir=$(bindir_for_datadir "$datadir")
    note "stopping PostgreSQL ($datadir)"
    if ! as_pg "$bindir/pg_ctl" stop -D "$datadir" -m fast -w -t 60 -s; then
        note "fast shutdown did not finish; using immediate shutdown"
        as_pg "$bindir/pg_ctl" stop -D "$datadir" -m immediate -w -t 30 -s \
            || die "could not stop PostgreSQL ($datadir)"
    fi
}

cmd_status() {
    [[ $# -eq 1 ]] || die "usage: $PROG status DATADIR"
    local datadir
    datadir=$(abs_path "$1")
    if is_running "$datadir"; then
        echo "running: pid $(head -n1 "$datadir/postmaster.pid"), port $(configured_port "$datadir"), data $datadir" >&3
        return 0
    fi
    if is_cluster "$datadir"; then
        echo "stopped: data $datadir" >&3
    else
        echo "absent: no cluster in $datadir" >&3
    fi
    return 3
}

cmd_destroy() {
    [[ $# -eq 1 ]] || die "usage: $PROG destroy DATADIR"
    local datadir
    datadir=$(abs_path "$1")
    [[ -e $datadir ]] || return 0
    [[ $datadir != / && $datadir != "$HOME" ]] || die "refusing to destroy $datadir"
    [[ -d $datadir ]] || die "$datadir is not a directory"
    if ! is_cluster "$datadir" && [[ -n $(ls -A "$datadir") ]]; then
        die "$datadir holds no PostgreSQL cluster; refusing to delete it"
    fi
    lock_datadir "$datadir"
    stop_locked "$datadir"
    rm -rf -- "$datadir"
}

usage() {
    cat >&2 <<EOF
usage: $PROG COMMAND ...
  ensure-installed               install the PostgreSQL server with apt-get when missing
  start DATADIR PORT [DBNAME]    initialise (if needed) and start a server, create DBNAME
                                 (default bpclub); prints the Npgsql connection string.
                                 PORT 0 picks a free port.
  stop DATADIR                   stop the server (quiet when not running)
  status DATADIR                 print the state; exit 0 running, 3 not running
  destroy DATADIR                stop the server and delete DATADIR
EOF
}

main() {
    local cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case $cmd in
        ensure-installed) [[ $# -eq 0 ]] || die "usage: $PROG ensure-installed"; ensure_installed ;;
        start)   cmd_start "$@" ;;
        stop)    cmd_stop "$@" ;;
        status)  cmd_status "$@" ;;
        destroy) cmd_destroy "$@" ;;
        help|-h|--help) usage ;;
        "") usage; exit 2 ;;
        *) usage; die "unknown command '$cmd'" ;;
    esac
}

main "$@"
