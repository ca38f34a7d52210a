#!/usr/bin/env bash
# Verifies a PostgreSQL database after a restore (runbook 3.9) or during a restore test's
# validation window (runbook 4.1): it answers over TLS, is writable, has the app's schema and the
# migrations' version, and every table can be read.
#
#   DATABASE_URL=postgresql://... ./scripts/verify_database.sh
#   ./scripts/verify_database.sh --host <restored endpoint>   # same credentials, another host
#
# Without DATABASE_URL it is read from Secrets Manager: <app>/<environment>/DATABASE_URL
# (--secret-id to name another). Exit 0: every check passed; 1: a check failed (printed).
set -euo pipefail

HOST=""
SECRET_ID="${SECRET_ID:-myapp/production/DATABASE_URL}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --host) HOST="${2:?--host needs a value}"; shift 2 ;;
        --secret-id) SECRET_ID="${2:?--secret-id needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

command -v psql >/dev/null 2>&1 || { echo "psql is required (postgresql-client)" >&2; exit 1; }
URL="${DATABASE_URL:-}"
if [[ -z "$URL" ]]; then
    URL="$(aws secretsmanager get-secret-value --secret-id "$SECRET_ID" --query SecretString --output text)"
fi
if [[ -n "$HOST" ]]; then
    # Replace the host of postgresql://user:pass@host:port/db?...
    URL="$(printf '%s' "$URL" | sed -E "s#@[^:/]+#@${HOST}#")"
fi
case "$URL" in *sslmode=*) ;; *\?*) URL="${URL}&sslmode=require" ;; *) URL="${URL}?sslmode=require" ;; esac

FAILED=0
check() {
    local what="$1" sql="$2" expect="$3" got
    if ! got="$(psql "$URL" --no-psqlrc --tuples-only --no-align --quiet --command "$sql" 2>&1)"; then
        printf 'FAIL  %s: %s\n' "$what" "$got"; FAILED=1; return
    fi
    if [[ "$got" =~ $expect ]]; then
        printf 'ok    %s: %s\n' "$what" "$got"
    else
        printf 'FAIL  %s: got %s, expected %s\n' "$what" "$got" "$expect"; FAILED=1
    fi
}

check "connects over TLS" "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" '^t$'
check "server version" "SHOW server_version" '^[0-9]+\.[0-9]+'
check "writable (not a replica in recovery)" "SELECT pg_is_in_recovery()" '^f$'
check "the app's tables exist" "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'" '^[1-9][0-9]*$'
check "migrations applied (alembic_version)" "SELECT version_num FROM alembic_version LIMIT 1" '^[0-9a-zA-Z_]+$'
check "every table readable" "DO \$\$ DECLARE t record; BEGIN FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'public' LOOP EXECUTE format('SELECT 1 FROM %I.%I LIMIT 1', t.schemaname, t.tablename); END LOOP; END \$\$; SELECT 'all'" '^all$'

if [[ "$FAILED" -ne 0 ]]; then
    echo "The database did not pass verification: do not send traffic to it (docs/disaster-recovery.md)." >&2
    exit 1
fi
echo "The database passed verification."
