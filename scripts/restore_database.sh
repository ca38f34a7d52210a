#!/usr/bin/env bash
# Restores a stack's PostgreSQL (runbook 1.4 "Database Rollback", 3.9 "Database Failure").
#
#   ./scripts/restore_database.sh latest                  # the latest restorable time (point in time)
#   ./scripts/restore_database.sh backup-20260115-1030    # a snapshot name, snapshot ARN or AWS Backup recovery point ARN
#   ./scripts/restore_database.sh --dr-arn                # print the automated backups replicated to the DR region
#
# Options: --stack <name> (default: $PULUMI_STACK or production), --identifier <db id>,
# --region <region>, --dr-region <region> (read from `pulumi stack output` when not given),
# --dry-run (run the read-only calls, print the others without running them).
#
# The restore goes to a new instance with the current one's network, parameters, key, class and
# Multi-AZ setting; then the names are swapped so the endpoint, and DATABASE_URL, stay the same.
# Step by step: docs/disaster-recovery.md.
set -euo pipefail

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

STACK="${PULUMI_STACK:-production}"
IDENTIFIER=""
REGION=""
DR_REGION=""
DRY_RUN=false
TARGET=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --stack) STACK="${2:?--stack needs a value}"; shift 2 ;;
        --identifier) IDENTIFIER="${2:?--identifier needs a value}"; shift 2 ;;
        --region) REGION="${2:?--region needs a value}"; shift 2 ;;
        --dr-region) DR_REGION="${2:?--dr-region needs a value}"; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        --dr-arn) TARGET="--dr-arn"; shift ;;
        -h|--help) usage ;;
        -*) echo "unknown option $1" >&2; usage ;;
        *) [[ -z "$TARGET" ]] || usage; TARGET="$1"; shift ;;
    esac
done
[[ -n "$TARGET" ]] || usage

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Mutating calls: printed under --dry-run, run otherwise.
run() {
    if [[ "$DRY_RUN" == true ]]; then
        printf '+'; printf ' %q' "$@"; printf '\n'
    else
        "$@"
    fi
}

stack_output() {
    command -v pulumi >/dev/null 2>&1 || { echo "pulumi is not installed: pass --identifier, --region and --dr-region" >&2; exit 1; }
    pulumi stack output "$1" --stack "$STACK"
}

[[ -n "$IDENTIFIER" ]] || IDENTIFIER="$(stack_output databaseIdentifier)"

if [[ "$TARGET" == "--dr-arn" ]]; then
    [[ -n "$DR_REGION" ]] || DR_REGION="$(stack_output drRegion)"
    # Works with the primary region down: only the DR region's API is called.
    aws rds describe-db-instance-automated-backups --region "$DR_REGION" --db-instance-identifier "$IDENTIFIER" \
        --query 'DBInstanceAutomatedBackups[0].[DBInstanceAutomatedBackupsArn,RestoreWindow.LatestTime]' --output text |
        while read -r arn latest; do
            echo "$arn"
            log "latest restorable time in $DR_REGION: $latest (writes after it are lost)"
            log "next: export OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN=$arn; pulumi up -s production-dr"
        done
    exit 0
fi

[[ -n "$REGION" ]] || REGION="$(stack_output region)"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
NEW_ID="${IDENTIFIER}-restore-${STAMP}"
OLD_ID="${IDENTIFIER}-old-${STAMP}"

describe() {
    aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$IDENTIFIER" \
        --query "DBInstances[0].$1" --output text
}

log "reading ${IDENTIFIER} in ${REGION}"
SUBNET_GROUP="$(describe DBSubnetGroup.DBSubnetGroupName)"
read -r -a SECURITY_GROUPS <<<"$(describe 'VpcSecurityGroups[].VpcSecurityGroupId')"
PARAMETER_GROUP="$(describe 'DBParameterGroups[0].DBParameterGroupName')"
KMS_KEY="$(describe KmsKeyId)"
CLASS="$(describe DBInstanceClass)"
MULTI_AZ="$(describe MultiAZ)"
MULTI_AZ_FLAG=--no-multi-az
[[ "$MULTI_AZ" == "True" ]] && MULTI_AZ_FLAG=--multi-az

COMMON=(--region "$REGION" --db-instance-identifier "$NEW_ID" --db-subnet-group-name "$SUBNET_GROUP"
    --vpc-security-group-ids "${SECURITY_GROUPS[@]}" --db-parameter-group-name "$PARAMETER_GROUP"
    --db-instance-class "$CLASS" "$MULTI_AZ_FLAG" --no-publicly-accessible --copy-tags-to-snapshot
    --enable-iam-database-authentication --deletion-protection)

log "snapshot of the current state first: pre-restore-${STAMP}"
run aws rds create-db-snapshot --region "$REGION" --db-instance-identifier "$IDENTIFIER" --db-snapshot-identifier "pre-restore-${STAMP}"

if [[ "$TARGET" == "latest" ]]; then
    log "restoring ${IDENTIFIER} at its latest restorable time to ${NEW_ID}"
    run aws rds restore-db-instance-to-point-in-time "${COMMON[@]}" --source-db-instance-identifier "$IDENTIFIER" --use-latest-restorable-time
else
    log "restoring snapshot ${TARGET} to ${NEW_ID}"
    # A restore from a snapshot re-encrypts under the snapshot's key unless told otherwise; point-in-time keeps the instance's key.
    run aws rds restore-db-instance-from-db-snapshot "${COMMON[@]}" --db-snapshot-identifier "$TARGET"
    log "(the restored instance is encrypted as the snapshot was; current key: ${KMS_KEY})"
fi

log "waiting for ${NEW_ID} (20 to 35 minutes for 100 GiB)"
run aws rds wait db-instance-available --region "$REGION" --db-instance-identifier "$NEW_ID"

log "swapping names: ${IDENTIFIER} -> ${OLD_ID}, ${NEW_ID} -> ${IDENTIFIER} (the endpoint follows the name)"
run aws rds modify-db-instance --region "$REGION" --db-instance-identifier "$IDENTIFIER" --new-db-instance-identifier "$OLD_ID" --apply-immediately
run aws rds wait db-instance-available --region "$REGION" --db-instance-identifier "$OLD_ID"
run aws rds modify-db-instance --region "$REGION" --db-instance-identifier "$NEW_ID" --new-db-instance-identifier "$IDENTIFIER" --apply-immediately
run aws rds wait db-instance-available --region "$REGION" --db-instance-identifier "$IDENTIFIER"

cat >&2 <<EOF
Restored. Left to do (docs/disaster-recovery.md, "Database failure"):
  1. ./scripts/verify_database.sh --stack ${STACK}
  2. pulumi refresh -s ${STACK}; adopt the new instance in the state (pulumi state delete the old
     instance's URN, then pulumi import aws:rds/instance:Instance <name> <new DbiResourceId>)
  3. once verified: delete ${OLD_ID} (deletion protection off first); pre-restore-${STAMP} stays.
EOF
