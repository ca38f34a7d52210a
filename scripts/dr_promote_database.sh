#!/usr/bin/env bash
# Promotes the standing cross-region read replica to a standalone, writable primary (runbook 3.9
# "Regional outage", dr.database promoteReplica; and at failback, the primary region's replica).
#
#   ./scripts/dr_promote_database.sh --wait                            # <app>-production-dr in us-west-2
#   ./scripts/dr_promote_database.sh --region us-east-1 --identifier myapp-production --wait   # failback
#
# Options: --region <region> (default us-west-2), --app <appName> (default myapp), --identifier
# <db id> (default <app>-production-dr), --wait (until the instance is a standalone and available, at most an
# hour: DR_PROMOTE_WAIT_SECONDS),
# --backup-retention-days <n> (automated backups of the promoted instance, default 30: runbook 3.9),
# --accept-unknown-rpo (promote even when the lag is unknown: the incident commander's call),
# --dry-run (read, then print the promotion without making it).
# Before promoting it checks that the instance is a read replica and available, and reads its
# ReplicaLag (CloudWatch AWS/RDS, the last 15 minutes): the RPO at promotion, printed. No lag
# figure (no datapoint, or -1: replication not running) refuses, unless --accept-unknown-rpo.
# Only regional RDS and CloudWatch calls of --region: it works while the other region is down.
# Exit 0 promoted (or printed), 1 refused or an AWS call failed, 2 bad arguments.
set -euo pipefail

REGION="us-west-2"
APP="myapp"
IDENTIFIER=""
WAIT=false
DRY_RUN=false
ACCEPT_UNKNOWN=false
RETENTION=30
POLL_SECONDS="${DR_PROMOTE_POLL_SECONDS:-30}"
WAIT_SECONDS="${DR_PROMOTE_WAIT_SECONDS:-3600}"
export AWS_PAGER=""

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
bad() { printf 'dr_promote_database.sh: %s (see --help)\n' "$*" >&2; exit 2; }
die() { printf 'dr_promote_database.sh: %s\n' "$*" >&2; exit 1; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --region | --app | --identifier | --backup-retention-days)
            [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || bad "$1 needs a value"
            case "$1" in
                --region) REGION="$2" ;;
                --app) APP="$2" ;;
                --identifier) IDENTIFIER="$2" ;;
                --backup-retention-days) RETENTION="$2" ;;
            esac
            shift 2 ;;
        --wait) WAIT=true; shift ;;
        --dry-run) DRY_RUN=true; shift ;;
        --accept-unknown-rpo) ACCEPT_UNKNOWN=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) bad "unknown argument $1" ;;
    esac
done
[[ "$REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || bad "--region $REGION is not an AWS region such as us-west-2"
if ! [[ "$RETENTION" =~ ^[0-9]+$ ]] || ((RETENTION < 1 || RETENTION > 35)); then
    bad "--backup-retention-days needs 1 to 35 (RDS's range), got '$RETENTION'"
fi
[[ "$POLL_SECONDS" =~ ^[0-9]+$ && "$WAIT_SECONDS" =~ ^[0-9]+$ ]] || bad "DR_PROMOTE_POLL_SECONDS and DR_PROMOTE_WAIT_SECONDS must be whole seconds"
IDENTIFIER="${IDENTIFIER:-${APP}-production-dr}"
command -v aws >/dev/null 2>&1 || die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"

ERR="$(mktemp)"
trap 'rm -f "$ERR"' EXIT
first_error() { grep -v '^[[:space:]]*$' "$ERR" | head -n 1; }

# instance: "<status>\t<replica source or None>\t<arn>" of the instance, or exit 1 saying why.
instance() {
    local out
    if ! out="$(aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$IDENTIFIER" \
        --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier,DBInstanceArn]' --output text 2>"$ERR")"; then
        case "$(first_error)" in
            *DBInstanceNotFound*) die "no instance $IDENTIFIER in $REGION: check --identifier and --region (production's standby footprint makes ${APP}-production-dr in the DR region)" ;;
            *) die "aws rds describe-db-instances --region $REGION --db-instance-identifier $IDENTIFIER failed: $(first_error)" ;;
        esac
    fi
    printf '%s\n' "$out"
}

CURRENT="$(instance)" || exit 1
IFS=$'\t' read -r STATUS SOURCE ARN <<<"$CURRENT"
[[ "$SOURCE" != None && -n "$SOURCE" ]] || die "$IDENTIFIER in $REGION is not a read replica (status $STATUS): it is already standalone, promoted before? Nothing to do; the rebuild looks it up as it is"
[[ "$STATUS" == available ]] || die "$IDENTIFIER in $REGION is $STATUS, not available: RDS promotes only an available replica; wait (aws rds wait db-instance-available --region $REGION --db-instance-identifier $IDENTIFIER) and run again"
log "$IDENTIFIER ($ARN) replicates from $SOURCE"

# The replica's lag: the newest ReplicaLag datapoint of the last 15 minutes (Maximum per minute).
NOW="${DR_PROMOTE_NOW:-$(date -u +%s)}"
[[ "$NOW" =~ ^[0-9]+$ ]] || bad "DR_PROMOTE_NOW must be epoch seconds, got '$NOW'"
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
START="$(utc $((NOW - 900)))"
END="$(utc "$NOW")"
if ! LAG="$(aws cloudwatch get-metric-statistics --region "$REGION" --namespace AWS/RDS --metric-name ReplicaLag \
    --dimensions "Name=DBInstanceIdentifier,Value=$IDENTIFIER" --start-time "$START" --end-time "$END" --period 60 --statistics Maximum \
    --query 'sort_by(Datapoints, &Timestamp)[-1].[Maximum,Timestamp]' --output text 2>"$ERR")"; then
    die "aws cloudwatch get-metric-statistics (AWS/RDS ReplicaLag of $IDENTIFIER) failed: $(first_error)"
fi
read -r LAG_SECONDS LAG_AT <<<"$LAG"
if [[ -z "${LAG_SECONDS:-}" || "$LAG_SECONDS" == None || "$LAG_SECONDS" == -1* ]]; then
    WHY="no ReplicaLag datapoint for $IDENTIFIER between $START and $END"
    [[ "${LAG_SECONDS:-}" != -1* ]] || WHY="ReplicaLag is -1 at ${LAG_AT}: replication is not running"
    if [[ "$ACCEPT_UNKNOWN" != true ]]; then
        die "$WHY, so the data loss at promotion is unknown. Check it (aws rds describe-db-instances --region $REGION --db-instance-identifier $IDENTIFIER; the replica's dashboard), then promote with --accept-unknown-rpo if the incident commander accepts an unknown RPO"
    fi
    log "warning: $WHY; promoting anyway (--accept-unknown-rpo): RPO unknown"
    RPO_LINE="RPO at promotion: unknown ($WHY)"
else
    LAG_WHOLE="${LAG_SECONDS%%.*}"
    RPO_LINE="RPO at promotion: ${LAG_WHOLE} s of writes behind $SOURCE (ReplicaLag at ${LAG_AT}; objective 900 s)"
    ((LAG_WHOLE <= 900)) || log "warning: the lag ${LAG_WHOLE} s is over the 15-minute RPO objective"
fi
printf '%s\n' "$RPO_LINE"

PROMOTE=(aws rds promote-read-replica --region "$REGION" --db-instance-identifier "$IDENTIFIER" --backup-retention-period "$RETENTION")
if [[ "$DRY_RUN" == true ]]; then
    printf '+'; printf ' %q' "${PROMOTE[@]}"; printf '\n'
    exit 0
fi
"${PROMOTE[@]}" >/dev/null 2>"$ERR" || die "${PROMOTE[*]} failed: $(first_error)"
log "promotion of $IDENTIFIER started (about 5 minutes: the instance reboots once)"

if [[ "$WAIT" == true ]]; then
    # promote-read-replica returns at once; the instance is standalone once it no longer names a source and is available again.
    for ((waited = 0; waited <= WAIT_SECONDS; waited += POLL_SECONDS > 0 ? POLL_SECONDS : 1)); do
        CURRENT="$(instance)" || exit 1
        IFS=$'\t' read -r STATUS SOURCE _ <<<"$CURRENT"
        if [[ "$STATUS" == available && ( "$SOURCE" == None || -z "$SOURCE" ) ]]; then
            printf '%s in %s is a standalone primary, available\n' "$IDENTIFIER" "$REGION"
            exit 0
        fi
        sleep "$POLL_SECONDS"
    done
    die "$IDENTIFIER is still $STATUS (source ${SOURCE:-none}) after $WAIT_SECONDS s: see the RDS events (aws rds describe-events --region $REGION --source-type db-instance --source-identifier $IDENTIFIER)"
fi
printf 'promotion started; wait with: aws rds wait db-instance-available --region %s --db-instance-identifier %s\n' "$REGION" "$IDENTIFIER"
