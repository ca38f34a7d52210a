#!/usr/bin/env bash
# The failover switch (runbook 3.9 "Regional outage"): engages, releases or shows the switch that
# sends api traffic to the DR region, with one regional CloudWatch call in the DR region.
#
#   ./scripts/dr_switch.sh status                   # the switch alarm's state: engaged, released, unknown
#   ./scripts/dr_switch.sh engage [--wait]          # FailoverEngaged = 1: DNS answers the DR region
#   ./scripts/dr_switch.sh release --yes [--wait]   # FailoverEngaged = 0: DNS answers the primary again
#
# Options: --region <dr region> (default us-west-2), --app <appName> (default myapp), --wait (until
# the alarm shows the new state, at most 5 minutes: DR_SWITCH_WAIT_SECONDS), --dry-run (print the write, make no call).
# How it works: the script publishes the metric Ops/DR FailoverEngaged (no dimensions) with
# cloudwatch put-metric-data, a data-plane call of the DR region; the alarm
# <app>-production-dr-failover turns ALARM on 1 and OK on 0 (then INSUFFICIENT_DATA while no new
# value comes, and Route 53's switch health check keeps the last known status); the primary's
# health check is healthy only while the switch is not engaged, so DNS fails over without a
# Route 53 or IAM call, and `pulumi up -s production` never fails back on its own: only `release`
# does. `status` reads the alarm and, when it has no data, its history's last ALARM or OK. Release only once production is caught up (docs/disaster-recovery.md,
# "Failback"). Exit 0 done, 1 an AWS call failed or the alarm is missing, 2 bad arguments.
set -euo pipefail

REGION="us-west-2"
APP="myapp"
ACTION=""
WAIT=false
YES=false
DRY_RUN=false
POLL_SECONDS="${DR_SWITCH_POLL_SECONDS:-10}"
WAIT_SECONDS="${DR_SWITCH_WAIT_SECONDS:-300}"
export AWS_PAGER=""

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
bad() { printf 'dr_switch.sh: %s (see --help)\n' "$*" >&2; exit 2; }
die() { printf 'dr_switch.sh: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        engage | release | status)
            [[ -z "$ACTION" ]] || bad "give one action, got $ACTION and $1"
            ACTION="$1"; shift ;;
        --region | --app)
            [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || bad "$1 needs a value"
            if [[ "$1" == --region ]]; then REGION="$2"; else APP="$2"; fi
            shift 2 ;;
        --wait) WAIT=true; shift ;;
        --yes) YES=true; shift ;;
        --dry-run) DRY_RUN=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) bad "unknown argument $1" ;;
    esac
done
[[ -n "$ACTION" ]] || bad "no action: engage, release or status"
[[ "$REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || bad "--region $REGION is not an AWS region such as us-west-2"
[[ "$POLL_SECONDS" =~ ^[0-9]+$ && "$WAIT_SECONDS" =~ ^[0-9]+$ ]] || bad "DR_SWITCH_POLL_SECONDS and DR_SWITCH_WAIT_SECONDS must be whole seconds"
if [[ "$ACTION" == release && "$YES" != true ]]; then
    bad "release sends production's traffic back to the primary region: only once production is rebuilt and its database caught up (docs/disaster-recovery.md, \"Failback\"); run it again with --yes"
fi
command -v aws >/dev/null 2>&1 || die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"

ALARM="${APP}-production-dr-failover"
ERR="$(mktemp)"
trap 'rm -f "$ERR"' EXIT

# alarm_state: "<state>\t<since>\t<reason>" of the switch alarm, or exit 1 when it cannot be read.
alarm_state() {
    local out
    out="$(aws cloudwatch describe-alarms --region "$REGION" --alarm-names "$ALARM" \
        --query 'MetricAlarms[0].[StateValue,StateUpdatedTimestamp,StateReason]' --output text 2>"$ERR")" ||
        die "aws cloudwatch describe-alarms --region $REGION --alarm-names $ALARM failed: $(grep -v '^[[:space:]]*$' "$ERR" | head -n 1)"
    [[ -n "$out" && "$out" != None ]] || die "no alarm $ALARM in $REGION: production's standby footprint creates it (dr.standby); is it deployed, and is --region the DR region?"
    printf '%s\n' "$out"
}

# effective: "<ALARM|OK|unknown>\t<since>\t<detail>": what Route 53's switch health check sees. The
# alarm is ALARM or OK for about a minute after each value; with no new value it turns
# INSUFFICIENT_DATA, and the health check keeps the last known status (LastKnownStatus), which is
# the alarm's last transition to ALARM or OK in its history.
effective() {
    local current state since reason hist
    current="$(alarm_state)" || exit 1
    IFS=$'\t' read -r state since reason <<<"$current"
    if [[ "$state" == ALARM || "$state" == OK ]]; then
        printf '%s\t%s\t%s\n' "$state" "$since" "$reason"
        return 0
    fi
    hist="$(aws cloudwatch describe-alarm-history --region "$REGION" --alarm-name "$ALARM" --history-item-type StateUpdate --scan-by TimestampDescending --max-items 100 \
        --query "AlarmHistoryItems[?ends_with(HistorySummary, 'to ALARM') || ends_with(HistorySummary, 'to OK')] | [0].[Timestamp,HistorySummary]" --output text 2>"$ERR")" ||
        die "aws cloudwatch describe-alarm-history --region $REGION --alarm-name $ALARM failed: $(grep -v '^[[:space:]]*$' "$ERR" | head -n 1)"
    if [[ -z "$hist" || "$hist" == None ]]; then
        printf 'unknown\t%s\t%s\n' "$since" "the alarm is $state and its history has no ALARM or OK: no FailoverEngaged value was ever published (or not in the history's 30 days)"
        return 0
    fi
    local at summary
    IFS=$'\t' read -r at summary <<<"$hist"
    if [[ "$summary" == *"to ALARM" ]]; then state=ALARM; else state=OK; fi
    printf '%s\t%s\t%s\n' "$state" "$at" "the alarm is INSUFFICIENT_DATA since $since (no new value, as expected); its last state, which the switch health check keeps: $summary"
}

# meaning STATE: what the switch's effective state means for traffic.
meaning() {
    case "$1" in
        ALARM) echo "engaged: DNS answers the DR region" ;;
        OK) echo "released: DNS answers the primary region while its health check passes" ;;
        *) echo "unknown: Route 53's switch health check has no status from this alarm yet" ;;
    esac
}

if [[ "$ACTION" == status ]]; then
    current="$(effective)" || exit 1
    IFS=$'\t' read -r state since reason <<<"$current"
    printf '%s %s since %s: %s\n' "$ALARM" "$state" "$since" "$(meaning "$state")"
    printf '  %s\n' "$reason"
    exit 0
fi

VALUE=1 WANT=ALARM
[[ "$ACTION" == engage ]] || { VALUE=0; WANT=OK; }
CALL=(aws cloudwatch put-metric-data --region "$REGION" --namespace Ops/DR --metric-name FailoverEngaged --value "$VALUE")
if [[ "$DRY_RUN" == true ]]; then
    printf '+'; printf ' %q' "${CALL[@]}"; printf '\n'
    exit 0
fi
"${CALL[@]}" 2>"$ERR" || die "${CALL[*]} failed: $(grep -v '^[[:space:]]*$' "$ERR" | head -n 1)"
printf 'published Ops/DR FailoverEngaged=%s in %s (%s)\n' "$VALUE" "$REGION" "$ACTION"

if [[ "$WAIT" == true ]]; then
    # The alarm evaluates each minute; Route 53's health checkers see its new state within about
    # a minute more, and resolvers after the record's TTL.
    for ((i = 0; i <= WAIT_SECONDS; i += POLL_SECONDS > 0 ? POLL_SECONDS : 1)); do
        current="$(effective)" || exit 1
        IFS=$'\t' read -r state since _ <<<"$current"
        if [[ "$state" == "$WANT" ]]; then
            printf '%s %s since %s: %s\n' "$ALARM" "$state" "$since" "$(meaning "$state")"
            exit 0
        fi
        sleep "$POLL_SECONDS"
    done
    die "$ALARM is still $state after $WAIT_SECONDS s (wanted $WANT): check the alarm's metric (Ops/DR FailoverEngaged, no dimensions) with ./scripts/dr_switch.sh status"
fi
printf 'the alarm %s turns %s within about a minute: ./scripts/dr_switch.sh status\n' "$ALARM" "$WANT"
