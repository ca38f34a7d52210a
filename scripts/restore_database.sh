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
# Every failure exits non-zero with the reason on stderr and nothing on stdout; --dr-arn prints
# only the ARN, so use it as `arn="$(./scripts/restore_database.sh --dr-arn)" || exit 1`.
#
# The restore goes to a new instance with the current one's network, parameters, key, class and
# Multi-AZ setting; then the names are swapped so the endpoint, and DATABASE_URL, stay the same.
# Step by step: docs/disaster-recovery.md.
set -euo pipefail

# usage [STATUS]: the header comment; on stdout for --help (0), on stderr for a usage error (2).
usage() {
    local status="${1:-2}"
    if [[ "$status" -eq 0 ]]; then
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    else
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    fi
    exit "$status"
}

# die MESSAGE...: cannot produce what was asked. The message goes to stderr and nothing to
# stdout, so `arn="$(./scripts/restore_database.sh --dr-arn)" || exit 1` never continues with an
# empty or partial value.
die() {
    printf 'restore_database.sh: %s\n' "$*" >&2
    exit 1
}

STACK="${PULUMI_STACK:-production}"
IDENTIFIER=""
REGION=""
DR_REGION=""
DRY_RUN=false
TARGET=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --stack | --identifier | --region | --dr-region)
            [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || { echo "restore_database.sh: $1 needs a value" >&2; usage 2; }
            case "$1" in
                --stack) STACK="$2" ;;
                --identifier) IDENTIFIER="$2" ;;
                --region) REGION="$2" ;;
                --dr-region) DR_REGION="$2" ;;
            esac
            shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        --dr-arn) [[ -z "$TARGET" ]] || { echo "restore_database.sh: give one target, got $TARGET and --dr-arn" >&2; usage 2; }; TARGET="--dr-arn"; shift ;;
        -h|--help) usage 0 ;;
        -*) echo "restore_database.sh: unknown option $1" >&2; usage 2 ;;
        *) [[ -z "$TARGET" ]] || { echo "restore_database.sh: give one target, got $TARGET and $1" >&2; usage 2; }; TARGET="$1"; shift ;;
    esac
done
[[ -n "$TARGET" ]] || { echo "restore_database.sh: no target: latest, a snapshot or recovery point id, or --dr-arn" >&2; usage 2; }
command -v aws >/dev/null 2>&1 || die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# print_dr_arn: the ARN of the automated backups replicated to the DR region, alone on stdout.
# Works with the primary region down: only the DR region's API is called, and without a filter
# (--db-instance-identifier must name an instance of the region asked, which the DR region has
# not). The replica is the entry with the instance's identifier whose source Region is another
# region (a DR rebuild's own instance has the same identifier and the DR region as Region);
# one still replicating is preferred to one retained after replication stopped.
print_dr_arn() {
    local listing err chosen
    err="$(mktemp)"
    if ! listing="$(aws rds describe-db-instance-automated-backups --region "$DR_REGION" --output json 2>"$err")"; then
        local why
        why="$(grep -v '^[[:space:]]*$' "$err" | head -n 1)"
        rm -f "$err"
        die "aws rds describe-db-instance-automated-backups --region $DR_REGION failed: ${why:-no message}. Check the credentials (aws sts get-caller-identity --region $DR_REGION) and try again"
    fi
    rm -f "$err"
    chosen="$(jq -r --arg id "$IDENTIFIER" --arg dr "$DR_REGION" '
        [.DBInstanceAutomatedBackups[]? | select(.DBInstanceIdentifier == $id and .Region != $dr and (.DBInstanceAutomatedBackupsArn // "") != "")]
        | (map(select(.Status == "replicating")) | if length > 0 then . else null end) as $live
        | ($live // .) | sort_by(.RestoreWindow.LatestTime // "") | last
        | if . == null then empty else "\(.DBInstanceAutomatedBackupsArn)\t\(.RestoreWindow.LatestTime // "none")\t\(.Status // "unknown")\t\(.Region)" end' <<<"$listing")" ||
        die "aws rds describe-db-instance-automated-backups --region $DR_REGION did not answer JSON"
    [[ -n "$chosen" ]] || die "no automated backups of $IDENTIFIER replicated to $DR_REGION (none listed there with that identifier from another region). Is backup.replicateAutomatedBackups on in the primary stack? Without them, restore from the DR vault's newest recovery point instead (restore.mode snapshot, docs/disaster-recovery.md)"
    local arn latest status source
    IFS=$'\t' read -r arn latest status source <<<"$chosen"
    [[ "$arn" =~ ^arn:aws[a-z-]*:rds:${DR_REGION}:[0-9]{12}:auto-backup:ab-[a-z0-9]+$ ]] ||
        die "the replicated backups' ARN '$arn' is not an automated-backups ARN of $DR_REGION (arn:aws:rds:$DR_REGION:<account>:auto-backup:ab-...)"
    [[ "$latest" != none ]] || die "the automated backups $arn have no restorable time yet (status $status): nothing to restore from"
    printf '%s\n' "$arn"
    log "replicated from $source, status $status; latest restorable time in $DR_REGION: $latest (writes after it are lost)"
    [[ "$status" == replicating ]] || log "warning: replication is not running (status $status): the restore point is older than the RPO allows"
    log "next: export OPS_RESTORE__SOURCE_AUTOMATED_BACKUPS_ARN=$arn; pulumi up -s production-dr"
}

# Mutating calls: printed under --dry-run, run otherwise (their answers to stderr, beside the log).
run() {
    if [[ "$DRY_RUN" == true ]]; then
        printf '+'; printf ' %q' "$@"; printf '\n'
    else
        "$@" >&2
    fi
}

# stack_output NAME FLAG: one output of the stack, or exit 1 naming the flag that gives it instead.
stack_output() {
    local value err
    command -v pulumi >/dev/null 2>&1 || die "no $1: pulumi is not installed, so pass $2"
    err="$(mktemp)"
    if ! value="$(pulumi stack output "$1" --stack "$STACK" --cwd "$(dirname "$0")/.." 2>"$err")"; then
        local why
        why="$(head -c 300 "$err")"
        rm -f "$err"
        die "no $1: pulumi stack output $1 --stack $STACK failed (${why:-no message}); log in to the stack's backend, or pass $2"
    fi
    rm -f "$err"
    [[ -n "$value" ]] || die "no $1: stack $STACK exports an empty $1; pass $2"
    printf '%s\n' "$value"
}

[[ -n "$IDENTIFIER" ]] || IDENTIFIER="$(stack_output databaseIdentifier --identifier)"

if [[ "$TARGET" == "--dr-arn" ]]; then
    [[ -n "$DR_REGION" ]] || DR_REGION="$(stack_output drRegion --dr-region)"
    command -v jq >/dev/null 2>&1 || die "jq is required for --dr-arn: apt-get install -y jq (Debian, Ubuntu), brew install jq (macOS)"
    print_dr_arn
    exit 0
fi

[[ -n "$REGION" ]] || REGION="$(stack_output region --region)"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
NEW_ID="${IDENTIFIER}-restore-${STAMP}"
OLD_ID="${IDENTIFIER}-old-${STAMP}"

# describe FIELD: one field of the current instance; exit 1 when the instance or the field is missing.
describe() {
    local value err
    err="$(mktemp)"
    if ! value="$(aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$IDENTIFIER" --query "DBInstances[0].$1" --output text 2>"$err")"; then
        local why
        why="$(grep -v '^[[:space:]]*$' "$err" | head -n 1)"
        rm -f "$err"
        case "$why" in
            *DBInstanceNotFound*) die "no instance $IDENTIFIER in $REGION: this restore copies the current instance's settings, so it needs it. If it was deleted, restore from its retained automated backups or final snapshot with pulumi (restore.mode, docs/disaster-recovery.md); if another region, pass --region" ;;
            *) die "aws rds describe-db-instances --region $REGION --db-instance-identifier $IDENTIFIER failed: ${why:-no message}" ;;
        esac
    fi
    rm -f "$err"
    [[ -n "$value" && "$value" != None ]] || die "instance $IDENTIFIER in $REGION has no $1: the restore cannot copy it"
    printf '%s\n' "$value"
}

log "reading ${IDENTIFIER} in ${REGION}"
SUBNET_GROUP="$(describe DBSubnetGroup.DBSubnetGroupName)"
SECURITY_GROUP_IDS="$(describe 'VpcSecurityGroups[].VpcSecurityGroupId')"
read -r -a SECURITY_GROUPS <<<"$SECURITY_GROUP_IDS"
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
