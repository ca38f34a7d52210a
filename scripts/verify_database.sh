#!/usr/bin/env bash
# Verifies a PostgreSQL database after a restore (runbook 3.9) or during a restore test's
# validation window (runbook 4.1): it answers over TLS, is writable, has the app's schema and the
# migrations' version, and every table can be read.
#
#   ./scripts/verify_database.sh                              # production's instance, in production's region
#   ./scripts/verify_database.sh --stack production-dr        # the DR rebuild's, in its region
#   ./scripts/verify_database.sh --region us-west-2 --identifier myapp-production-drill
#   ./scripts/verify_database.sh --host <restored endpoint>   # same credentials, another host
#   DATABASE_URL=postgresql://... ./scripts/verify_database.sh --host <host>
#
# The instance checked is the one it is told: --identifier (default: the stack's output
# databaseIdentifier), looked up in --region (default: the stack's output region), whose endpoint
# replaces the host of the credentials; --host names the endpoint directly. The credentials are
# $DATABASE_URL, or the secret <secretsPrefix>DATABASE_URL (--secret-id to name another) read in
# that same region. --stack: $PULUMI_STACK or production. Needs psql, and for the look-ups the AWS
# CLI, and Pulumi with jq (or the flags).
# Exit 0: every check passed; 1: a check failed (printed) or the database could not be found.
set -euo pipefail

STACK="${PULUMI_STACK:-production}"
REGION=""
IDENTIFIER=""
HOST=""
SECRET_ID="${SECRET_ID:-}"
die() { printf 'verify_database.sh: %s\n' "$*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --stack | --region | --identifier | --host | --secret-id)
            [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || { echo "verify_database.sh: $1 needs a value" >&2; exit 2; }
            case "$1" in
                --stack) STACK="$2" ;;
                --region) REGION="$2" ;;
                --identifier) IDENTIFIER="$2" ;;
                --host) HOST="$2" ;;
                --secret-id) SECRET_ID="$2" ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "verify_database.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

command -v psql >/dev/null 2>&1 || die "psql is required: apt-get install -y postgresql-client (Debian, Ubuntu), brew install libpq (macOS)"
URL="${DATABASE_URL:-}"

# The stack's outputs, read once, only when a name is missing.
OUTPUTS='{}'
if [[ -z "$REGION" || ( -z "$HOST" && -z "$IDENTIFIER" ) || ( -z "$URL" && -z "$SECRET_ID" ) ]]; then
    if command -v pulumi >/dev/null 2>&1; then
        command -v jq >/dev/null 2>&1 || die "jq is required to read the stack's outputs: apt-get install -y jq, or pass --region, --identifier and --secret-id"
        OUTPUTS="$(pulumi stack output --json --stack "$STACK" --cwd "$(dirname "$0")/..")" ||
            die "could not read the outputs of stack $STACK: log in to its backend, or pass --region, --identifier (or --host) and --secret-id"
    fi
fi
output() { [[ "$OUTPUTS" == '{}' ]] || jq -r --arg k "$1" '.[$k] // empty' <<<"$OUTPUTS"; }
REGION="${REGION:-$(output region)}"
[[ -n "$HOST" ]] || IDENTIFIER="${IDENTIFIER:-$(output databaseIdentifier)}"
if [[ -z "$URL" && -z "$SECRET_ID" ]]; then
    prefix="$(output secretsPrefix)"
    [[ -n "$prefix" ]] || die "no credentials: set DATABASE_URL, or pass --secret-id (stack $STACK exports no secretsPrefix)"
    SECRET_ID="${prefix}DATABASE_URL"
fi
if [[ -n "$IDENTIFIER" || -z "$URL" ]]; then
    command -v aws >/dev/null 2>&1 || die "the AWS CLI is required to look up the instance and the secret (or pass DATABASE_URL and --host)"
    [[ -n "$REGION" ]] || die "no region: pass --region (stack $STACK exports no region)"
fi

if [[ -z "$HOST" && -n "$IDENTIFIER" ]]; then
    HOST="$(aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$IDENTIFIER" --query 'DBInstances[0].Endpoint.Address' --output text)" ||
        die "no instance $IDENTIFIER in $REGION (aws rds describe-db-instances failed): check --identifier and --region"
    [[ -n "$HOST" && "$HOST" != None ]] || die "instance $IDENTIFIER in $REGION has no endpoint yet (still creating?): wait for aws rds wait db-instance-available"
fi
if [[ -z "$URL" ]]; then
    URL="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ID" --query SecretString --output text)" ||
        die "could not read the secret $SECRET_ID in $REGION: pass --secret-id, or set DATABASE_URL"
fi
if [[ -n "$HOST" ]]; then
    # Replace the host of postgresql://user:pass@host:port/db?...
    URL="$(printf '%s' "$URL" | sed -E "s#@[^:/]+#@${HOST}#")"
    printf 'verifying %s%s\n' "${IDENTIFIER:-$HOST}" "${REGION:+ in $REGION}" >&2
else
    printf 'verifying the host in DATABASE_URL\n' >&2
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
