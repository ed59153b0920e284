#!/usr/bin/env bash
# Provide a local PostgreSQL for the checkpoint-store tests: install it from apt if missing,
# start a cluster, create a login role and database (loopback only), print the DSN.
#
# Idempotent, non-interactive. Progress goes to stderr; the only stdout line is
#   CONVOGEN_TEST_POSTGRES_DSN=postgresql://USER:PASSWORD@127.0.0.1:PORT/DB
# so CI can do:  export "$(scripts/postgres.sh | tail -n1)"
# Overridable: CONVOGEN_PG_USER, CONVOGEN_PG_PASSWORD, CONVOGEN_PG_DB.
set -euo pipefail

PG_USER="${CONVOGEN_PG_USER:-convogen}"
PG_PASSWORD="${CONVOGEN_PG_PASSWORD:-convogen}"
PG_DB="${CONVOGEN_PG_DB:-convogen_test}"

log() { echo "postgres.sh: $*" >&2; }

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    log "must run as root (or with passwordless sudo)"; exit 1
  fi
fi

# Names are interpolated into SQL below; refuse anything that is not a plain identifier.
for value in "$PG_USER" "$PG_DB"; do
  if ! [[ "$value" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    log "invalid role/database name '$value' (use lower-case letters, digits, _)"; exit 1
  fi
done
if [[ "$PG_PASSWORD" == *"'"* ]]; then log "password must not contain a single quote"; exit 1; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  log "installing postgresql from apt"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql </dev/null >&2
fi

# The newest installed server version (Debian 12 ships 15).
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
if [ -z "$VERSION" ]; then log "no PostgreSQL server found under /usr/lib/postgresql"; exit 1; fi

# Use an existing cluster of that version when there is one, else create 'main'.
CLUSTER="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v {print $2; exit}')"
if [ -z "$CLUSTER" ]; then
  log "creating cluster $VERSION/main"
  $SUDO pg_createcluster "$VERSION" main >&2
  CLUSTER=main
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')"
STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')"

if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/$CLUSTER on port $PORT"
  # pg_ctlcluster works without systemd (containers); the service script is the fallback.
  $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start >&2 || $SUDO service postgresql start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  log "server on port $PORT did not become ready; see /var/log/postgresql/"; exit 1
fi

psql_admin() {
  # Peer authentication as the postgres OS user over the local socket.
  $SUDO runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@" </dev/null
}

psql_admin -d postgres -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;" >&2

if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin -d postgres -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >&2
fi

DSN="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PORT/$PG_DB"
# Check the password login over TCP loopback, which is what the tests use.
if ! PGPASSWORD="$PG_PASSWORD" psql "$DSN" -qtA -c "SELECT 1" </dev/null >/dev/null; then
  log "cannot log in as $PG_USER over 127.0.0.1:$PORT (check pg_hba.conf)"; exit 1
fi
log "ready"
echo "CONVOGEN_TEST_POSTGRES_DSN=$DSN"
