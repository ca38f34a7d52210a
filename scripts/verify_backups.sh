#!/usr/bin/env bash
# shellcheck disable=SC2016  # the single-quoted $names are jq's variables, not the shell's
# Weekly backup verification (runbook 4.1): are a stack's backups there, recent, copied to the DR
# region and restorable? Read-only: it only lists and describes.
#
#   ./scripts/verify_backups.sh                      # production, names from `pulumi stack output`
#   ./scripts/verify_backups.sh --stack staging --json
#   ./scripts/verify_backups.sh --dry-run            # print the AWS calls, make none
#
# Checks (each pass, fail or skip with the reason):
#   backup-plan            the daily plan exists, backs up into the vault, and where it copies
#   recovery-points        each resource's newest completed recovery point in the primary vault is
#                          recent enough for the daily schedule (--max-age-hours)
#   dr-recovery-points     the same in the DR vault, allowing 3 h for the cross-region copy
#   dr-copy-jobs           each resource's newest finished copy job to the DR vault completed
#   restore-test           the newest finished weekly restore test completed and passed validation
#   replicated-automated-backups  the RDS automated backups replicated to the DR region can restore
#                          to a time within the RPO (--rpo-minutes, 15)
#
# Names come from the stack's outputs; each flag overrides one, so it works without Pulumi too:
#   --stack <name>                 $PULUMI_STACK or production
#   --region <region>              output region (the primary region)
#   --dr-region <region>           output drRegion
#   --vault <name>                 output backupVault
#   --dr-vault <name>              output drBackupVault
#   --backup-plan <name>           <vault>-daily
#   --restore-testing-plan <name>  output restoreTestingPlan (none: the check is skipped)
#   --identifier <db id>           output databaseIdentifier
# Limits: --max-age-hours <h> (24 h + the plan's start window + 1 h), --rpo-minutes <m> (15).
# Output: a short report, or --json. Exit 0 all checks passed, 1 a check failed, 2 cannot run.
# Needs the AWS CLI and jq 1.6 or later. docs/verification.md describes each check and what to do
# when one fails.
set -euo pipefail

SCRIPT="verify_backups.sh"
# shellcheck source=scripts/lib/verify.sh
source "$(dirname "$0")/lib/verify.sh"

REGION="" DR_REGION="" VAULT="" DR_VAULT="" PLAN="" TEST_PLAN="" IDENTIFIER=""
MAX_AGE_HOURS="" RPO_MINUTES=15 DR_REGION_FLAG=false TEST_PLAN_FLAG=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --stack) need_value "$@"; STACK="$2"; shift 2 ;;
        --region) need_value "$@"; REGION="$2"; shift 2 ;;
        --dr-region) need_value "$@"; DR_REGION="$2"; DR_REGION_FLAG=true; shift 2 ;;
        --vault) need_value "$@"; VAULT="$2"; shift 2 ;;
        --dr-vault) need_value "$@"; DR_VAULT="$2"; shift 2 ;;
        --backup-plan) need_value "$@"; PLAN="$2"; shift 2 ;;
        --restore-testing-plan) need_value "$@"; TEST_PLAN="$2"; TEST_PLAN_FLAG=true; shift 2 ;;
        --identifier) need_value "$@"; IDENTIFIER="$2"; shift 2 ;;
        --max-age-hours) need_value "$@"; MAX_AGE_HOURS="$2"; shift 2 ;;
        --rpo-minutes) need_value "$@"; RPO_MINUTES="$2"; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        --json) JSON=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -z "$MAX_AGE_HOURS" || "$MAX_AGE_HOURS" =~ ^[0-9]+$ ]] || die "--max-age-hours takes whole hours, got '$MAX_AGE_HOURS'"
[[ "$RPO_MINUTES" =~ ^[0-9]+$ ]] || die "--rpo-minutes takes whole minutes, got '$RPO_MINUTES'"
require_tools jq
[[ "$DRY_RUN" == true ]] || require_tools aws

NEEDS_OUTPUTS=true
if [[ -n "$REGION" && -n "$DR_REGION" && -n "$VAULT" && -n "$DR_VAULT" && -n "$IDENTIFIER" && "$TEST_PLAN_FLAG" == true ]]; then
    NEEDS_OUTPUTS=false
fi
load_outputs
REGION="${REGION:-${OUTPUT[region]:-}}"
DR_REGION="${DR_REGION:-${OUTPUT[drRegion]:-}}"
VAULT="${VAULT:-${OUTPUT[backupVault]:-}}"
DR_VAULT="${DR_VAULT:-${OUTPUT[drBackupVault]:-}}"
IDENTIFIER="${IDENTIFIER:-${OUTPUT[databaseIdentifier]:-}}"
[[ "$TEST_PLAN_FLAG" == true ]] || TEST_PLAN="${OUTPUT[restoreTestingPlan]:-}"
PLAN="${PLAN:-${VAULT:+${VAULT}-daily}}"
REPLICATES=false
if [[ "$DR_REGION_FLAG" == true || -n "${OUTPUT[databaseDrAutomatedBackupsArn]:-}" ]]; then REPLICATES=true; fi
[[ -n "$REGION" ]] || die "no primary region: stack '$STACK' has no output 'region' (is it an AWS stack?); pass --region"
[[ -n "$VAULT" ]] || die "no backup vault: stack '$STACK' has no output 'backupVault'; pass --vault"
[[ -n "$IDENTIFIER" ]] || die "no database: stack '$STACK' has no output 'databaseIdentifier'; pass --identifier"

set_now
iso_utc WEEK_AGO $((NOW - 7 * 86400))
iso_utc TEST_WINDOW_START $((NOW - 8 * 86400))
# A cross-region copy starts when the backup completes; an incremental RDS snapshot copy takes
# minutes, a first full one of a large database can take hours.
COPY_ALLOWANCE_HOURS=3
COPIES="unknown" DR_VAULT_ARN="" START_WINDOW_MINUTES=60
# Each check's verdict on its answers (verify.sh's `verdict`), all judged in the report's one jq.
# Its parameters: $limit and $dr_limit (hours), $db, $dr_region, $dr_vault, $rpo (minutes).
JQ_VERDICTS=''

# backup-plan: the plan by name (list-backup-plans), then its rules (get-backup-plan). Judged here,
# not in the report: where the plan copies decides the DR checks, its start window the age limit.
check_backup_plan() {
    local plans="$WORK/backup-plans.json" rules="$WORK/backup-plan.json" id rc=0
    call aws backup list-backup-plans --region "$REGION" --output json >"$plans" || rc=$?
    if [[ $rc -eq 0 ]]; then
        id="$(jq -r --arg n "$PLAN" '[.BackupPlansList[]? | select(.BackupPlanName == $n)][0].BackupPlanId // empty' "$plans" 2>"$ERR_FILE")" ||
            { record backup-plan fail "aws backup list-backup-plans --region $REGION: not the JSON it prints ($(call_error))"; return; }
        if [[ -z "$id" ]]; then
            record backup-plan fail "no backup plan named $PLAN in $REGION: the stack's backup layer is missing or renamed (pulumi up -s $STACK, or --backup-plan)"
            return
        fi
    elif [[ $rc -eq 3 ]]; then
        id="<BackupPlanId of $PLAN>"
    else
        record backup-plan fail "aws backup list-backup-plans --region $REGION: $(call_error)"
        return
    fi
    rc=0
    call aws backup get-backup-plan --region "$REGION" --backup-plan-id "$id" --output json >"$rules" || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 3 ]] || record backup-plan fail "aws backup get-backup-plan --backup-plan-id $id: $(call_error)"
        return
    fi
    # The plan's rules into the vault, as shell assignments of the locals below.
    local count=0 start_window=60 dr_arn="" copies_to="" detail="" assignments
    assignments="$(jq -r --arg v "$VAULT" --arg dv "$DR_VAULT" --arg r "$DR_REGION" --arg p "$PLAN" '
      [.BackupPlan.Rules[]? | select(.TargetBackupVaultName == $v)] as $rules
      | [$rules[].CopyActions[]?.DestinationBackupVaultArn] as $copies
      | "count=\($rules | length)",
        "start_window=\([$rules[].StartWindowMinutes // 480] | max // 60)",
        "dr_arn=\([$copies[] | select(test(":backup:" + $r + ":[0-9]+:backup-vault:" + $dv + "$"))][0] // "" | @sh)",
        "copies_to=\($copies | unique | join(", ") | @sh)",
        "detail=\("\($p) into \($v): " + ([$rules[] | "\(.ScheduleExpression) (start window \(.StartWindowMinutes // 480) min)"] | join(", ")) | @sh)"' \
        "$rules" 2>"$ERR_FILE")" ||
        { record backup-plan fail "aws backup get-backup-plan --backup-plan-id $id: not the JSON it prints ($(call_error))"; return; }
    eval "$assignments"
    if [[ "$count" -eq 0 ]]; then
        record backup-plan fail "plan $PLAN has no rule backing up into vault $VAULT"
        return
    fi
    START_WINDOW_MINUTES="$start_window" DR_VAULT_ARN="$dr_arn"
    if [[ -n "$DR_VAULT_ARN" ]]; then
        COPIES=yes
    elif [[ -z "$copies_to" ]]; then
        COPIES=no
    else
        COPIES=elsewhere
    fi
    case "$COPIES" in
        yes) record backup-plan pass "$detail, copied to $DR_VAULT_ARN" ;;
        no) record backup-plan pass "$detail, no copy to another region" ;;
        elsewhere) record backup-plan fail "$detail: copies go to $copies_to, not the DR vault $DR_VAULT in $DR_REGION" ;;
    esac
}

# The newest usable recovery point of each resource in a vault listing, against a limit in hours.
# Every resource with a recovery point in the past week is checked, and the database must be one.
JQ_VERDICTS+='
def recovery_points($limit):
  [.RecoveryPoints[]? | select(.Status == "COMPLETED" or .Status == "AVAILABLE")]
  | group_by(.ResourceArn)
  | map(max_by(.CreationDate | epoch) | {arn: .ResourceArn, type: .ResourceType, age: ($now - (.CreationDate | epoch))})
  | . as $latest
  | ($latest | map(select(.arn | test(":db:" + $db + "$"))) | length) as $hasdb
  | ($latest | map(select(.age > $limit * 3600))) as $stale
  | {ok: ($hasdb > 0 and ($stale | length) == 0),
     detail: (
       (if $hasdb == 0 then ["no completed recovery point of database \($db) in the past 7 days"] else [] end)
       + ($stale | map("\(.arn | split(":") | last) (\(.type)): newest completed \(.age | hours) ago"))
       + (if $hasdb > 0 and ($stale | length) == 0
          then ["newest completed per resource: " + ($latest | map("\(.arn | split(":") | last) (\(.type)) \(.age | hours) ago") | join(", "))]
          else [] end)
       | join("; ") + " (limit \($limit) h)")};
'

# check_vault NAME REGION VAULT: recovery-points (the limit $limit) or dr-recovery-points ($dr_limit).
check_vault() {
    local name="$1" region="$2" vault="$3" points="$WORK/$1.json" rc=0
    call aws backup list-recovery-points-by-backup-vault --region "$region" --backup-vault-name "$vault" --by-created-after "$WEEK_AGO" --output json >"$points" || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 3 ]] || record "$name" fail "$vault in $region: aws backup list-recovery-points-by-backup-vault: $(call_error)"
        return
    fi
    verdict "$name" "$vault in $region: " "$points"
}

# dr-copy-jobs: copy jobs run in the source region; each resource's newest finished one completed.
JQ_VERDICTS+='
def copy_jobs:
  [.CopyJobs[]? | select(.DestinationBackupVaultArn | test(":backup:" + $dr_region + ":[0-9]+:backup-vault:" + $dr_vault + "$"))]
  | group_by(.ResourceArn)
  | map({res: (.[0].ResourceArn | split(":") | last),
         last: (map(select(.State == "COMPLETED" or .State == "FAILED" or .State == "PARTIAL")) | max_by(.CreationDate | epoch)),
         running: (map(select(.State == "CREATED" or .State == "RUNNING")) | length)})
  | {ok: (length > 0 and all(.[]; .last.State == "COMPLETED")),
     detail: (if length == 0 then "no copy job to \($dr_vault) in the past \($dr_limit) h: the daily copies are not running"
              else map("\(.res): " + (if .last == null then "none finished" else "\(.last.State) \(.last.CopyJobId)" + (if .last.StatusMessage then " (\(.last.StatusMessage))" else "" end) end)
                       + (if .running > 0 then ", \(.running) in progress" else "" end)) | join("; ") end)};
'

check_copy_jobs() {
    local jobs="$WORK/copy-jobs.json" since filter=() rc=0
    [[ -z "$DR_VAULT_ARN" ]] || filter=(--by-destination-vault-arn "$DR_VAULT_ARN")
    iso_utc since $((NOW - DR_LIMIT * 3600))
    call aws backup list-copy-jobs --region "$REGION" "${filter[@]}" --by-created-after "$since" --output json >"$jobs" || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 3 ]] || record dr-copy-jobs fail "aws backup list-copy-jobs --region $REGION: $(call_error)"
        return
    fi
    verdict dr-copy-jobs "to $DR_VAULT in $DR_REGION: " "$jobs"
}

# restore-test: the newest finished job of the weekly restore test completed and passed validation.
JQ_VERDICTS+='
def restore_test:
  def final: .Status == "FAILED" or .Status == "ABORTED"
    or (.Status == "COMPLETED" and (.ValidationStatus == "SUCCESSFUL" or .ValidationStatus == "FAILED" or .ValidationStatus == "TIMED_OUT"));
  [.RestoreJobs[]?] as $all
  | ([$all[] | select(final)] | max_by(.CreationDate | epoch)) as $last
  | ([$all[] | select(final | not)] | length) as $pending
  | {ok: ($last != null and $last.Status == "COMPLETED" and $last.ValidationStatus == "SUCCESSFUL"),
     detail: ((if $last == null then "no finished restore test in the past 8 days (weekly schedule)"
               else "restore job \($last.RestoreJobId) of \($last.CreationDate | epoch | iso): \($last.Status)"
                 + (if $last.ValidationStatus then ", validation \($last.ValidationStatus)" else "" end)
                 + (if $last.ValidationStatusMessage then " (\($last.ValidationStatusMessage))"
                    elif $last.StatusMessage then " (\($last.StatusMessage))" else "" end) end)
              + (if $pending > 0 then "; \($pending) newer still running or validating" else "" end))};
'

# restore-test: the plan's ARN (get-restore-testing-plan), then its restore jobs of the past 8 days.
check_restore_test() {
    if [[ -z "$TEST_PLAN" ]]; then
        record restore-test skip "stack $STACK has no restore testing plan (output restoreTestingPlan; backup.restoreTesting.enabled); pass --restore-testing-plan to check one"
        return
    fi
    local plan="$WORK/restore-testing-plan.json" jobs="$WORK/restore-jobs.json" arn rc=0
    call aws backup get-restore-testing-plan --region "$REGION" --restore-testing-plan-name "$TEST_PLAN" --output json >"$plan" || rc=$?
    if [[ $rc -eq 0 ]]; then
        arn="$(jq -r '.RestoreTestingPlan.RestoreTestingPlanArn // empty' "$plan" 2>"$ERR_FILE")" || arn=""
        [[ -n "$arn" ]] || { record restore-test fail "restore testing plan $TEST_PLAN: no RestoreTestingPlanArn in the answer"; return; }
    elif [[ $rc -eq 3 ]]; then
        arn="<RestoreTestingPlanArn of $TEST_PLAN>"
    else
        record restore-test fail "restore testing plan $TEST_PLAN in $REGION: $(call_error)"
        return
    fi
    rc=0
    call aws backup list-restore-jobs --region "$REGION" --by-restore-testing-plan-arn "$arn" --by-created-after "$TEST_WINDOW_START" --output json >"$jobs" || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 3 ]] || record restore-test fail "aws backup list-restore-jobs --by-restore-testing-plan-arn $arn: $(call_error)"
        return
    fi
    verdict restore-test "$TEST_PLAN: " "$jobs"
}

# replicated-automated-backups: the replica's latest restorable time is within the RPO.
JQ_VERDICTS+='
def replicated:
  [.DBInstanceAutomatedBackups[]? | select(.DBInstanceIdentifier == $db and .Region != $dr_region and .RestoreWindow.LatestTime != null)]
  | (map(select(.Status == "replicating")) | if length > 0 then . else null end) as $live
  | (($live // .) | max_by(.RestoreWindow.LatestTime | epoch)) as $b
  | if $b == null then {ok: false, detail: "no automated backups of \($db) replicated to \($dr_region): check backup.replicateAutomatedBackups and the replication (aws rds describe-db-instances --query DBInstances[0].DBInstanceAutomatedBackupsReplications)"}
    else ($now - ($b.RestoreWindow.LatestTime | epoch)) as $lag
    | {ok: ($lag <= $rpo * 60 and $b.Status == "replicating"),
       detail: "\($b.DBInstanceAutomatedBackupsArn) (\($b.Status)): latest restorable time \($b.RestoreWindow.LatestTime | epoch | iso), \($lag | minutes) ago (RPO \($rpo) min)"}
    end;
'

# replicated-automated-backups: only the DR region is asked. Its own instances' backups (Region
# equal to the DR region, e.g. a rebuilt production-dr) are not the replica.
check_replicated() {
    if [[ "$REPLICATES" != true ]]; then
        record replicated-automated-backups skip "stack $STACK does not replicate its automated backups (no output databaseDrAutomatedBackupsArn); pass --dr-region to check anyway"
        return
    fi
    [[ -n "$DR_REGION" ]] || { record replicated-automated-backups fail "no DR region: pass --dr-region"; return; }
    local backups="$WORK/automated-backups.json" rc=0
    call aws rds describe-db-instance-automated-backups --region "$DR_REGION" --output json >"$backups" || rc=$?
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 3 ]] || record replicated-automated-backups fail "aws rds describe-db-instance-automated-backups --region $DR_REGION: $(call_error)"
        return
    fi
    verdict replicated-automated-backups "" "$backups"
}

JQ_VERDICTS+='
def verdict($check):
  .[0] | json_answer
  | if $check == "recovery-points" then recovery_points($limit)
    elif $check == "dr-recovery-points" then recovery_points($dr_limit)
    elif $check == "dr-copy-jobs" then copy_jobs
    elif $check == "restore-test" then restore_test
    elif $check == "replicated-automated-backups" then replicated
    else error("no verdict for the check \($check)") end;
'

check_backup_plan
if [[ -n "$MAX_AGE_HOURS" ]]; then
    LIMIT="$MAX_AGE_HOURS"
else
    LIMIT=$((24 + (START_WINDOW_MINUTES + 59) / 60 + 1))
fi
DR_LIMIT=$((LIMIT + COPY_ALLOWANCE_HOURS))
check_vault recovery-points "$REGION" "$VAULT"
if [[ "$COPIES" == no ]]; then
    record dr-recovery-points skip "plan $PLAN copies to no other region"
    record dr-copy-jobs skip "plan $PLAN copies to no other region"
elif [[ -z "$DR_VAULT" || -z "$DR_REGION" ]]; then
    record dr-recovery-points fail "no DR vault: pass --dr-vault and --dr-region (outputs drBackupVault, drRegion)"
else
    check_vault dr-recovery-points "$DR_REGION" "$DR_VAULT"
    check_copy_jobs
fi
check_restore_test
check_replicated
report "$JQ_VERDICTS" --argjson limit "$LIMIT" --argjson dr_limit "$DR_LIMIT" --arg db "$IDENTIFIER" \
    --arg dr_region "$DR_REGION" --arg dr_vault "$DR_VAULT" --argjson rpo "$RPO_MINUTES"
