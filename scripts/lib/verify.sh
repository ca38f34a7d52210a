# shellcheck shell=bash disable=SC2016  # the single-quoted $names are jq's variables, not the shell's
# Shared by scripts/verify_backups.sh and scripts/verify_infrastructure.sh: argument helpers, the
# stack's outputs, calls that --dry-run prints instead of running, the list of checks and the
# report (text, or JSON with --json); scripts/dr_mirror.sh uses its argument, tool and error
# helpers and its temporary directory. Sourced, never run.
#
# Exit codes of a verify script: 0 every check passed (some may be skipped, each says why),
# 1 at least one check failed, 2 the checks could not run (bad arguments, a missing tool, a name
# that neither a flag nor the stack's outputs give).
#
# A run starts few processes: the calls themselves, jq only where an answer decides the next call,
# and one jq at the end that judges every other answer and prints the report (`verdict`, `report`).
# Starting jq costs more than most of what it computes here, and a run is also what the tests
# repeat dozens of times.

ROOT="$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)"
STACK="${PULUMI_STACK:-production}"
DRY_RUN=false
JSON=false
OUTPUTS='{}'
# The stack's outputs by name, as text (load_outputs); read by the scripts that source this file.
# shellcheck disable=SC2034
declare -A OUTPUT=()
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CALLS_FILE="$WORK/calls.txt"
ERR_FILE="$WORK/stderr.txt"
: >"$CALLS_FILE"
# jq arguments of the report: the checks in report order, each as four named strings (--arg
# check<n>_name, _status, _detail, _answers: add_check), and each verdict's answers (--rawfile
# answer_<k>). Named, not positional: jq 1.6 reads an --args value that starts with - as an option.
REPORT_ARGS=()
CHECK_COUNT=0
# The AWS CLI v2 pages long output through `less` when it thinks a person reads it.
export AWS_PAGER=""

# die MESSAGE...: the checks cannot run; say why and how to fix it, exit 2, nothing on stdout.
die() {
    printf '%s: %s\n' "$SCRIPT" "$*" >&2
    exit 2
}

# usage: the script's header comment (after the shebang and any shellcheck directive).
usage() {
    awk 'NR == 1 || /^# shellcheck / { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# need_value FLAG VALUE: a flag's value must be present (not another flag).
need_value() {
    [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || die "$1 needs a value (see --help)"
}

JQ_INSTALL="apt-get install -y jq (Debian, Ubuntu), brew install jq (macOS); AWS CloudShell has it"

# require_tools TOOL...: each tool is on PATH, or exit 2 naming how to install it.
require_tools() {
    local tool
    for tool in "$@"; do
        if command -v "$tool" >/dev/null 2>&1; then
            [[ "$tool" != jq ]] || require_jq_1_6
            continue
        fi
        case "$tool" in
            jq) die "jq is required: $JQ_INSTALL" ;;
            aws) die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" ;;
            helm) die "helm is required: https://helm.sh/docs/intro/install/ (GitHub's Ubuntu runners have it)" ;;
            skopeo) die "skopeo is required: apt-get install -y skopeo (Debian, Ubuntu), brew install skopeo (macOS); GitHub's Ubuntu runners have it" ;;
            pulumi) die "pulumi is required: https://www.pulumi.com/docs/iac/download-install/ (see --help for what to pass without it)" ;;
            *) die "$tool is required and not on PATH" ;;
        esac
    done
}

# require_jq_1_6: the report reads the answers with --rawfile, finds its values in $ARGS and sets
# the exit status with halt_error, all new in jq 1.6 (Amazon Linux 2 still ships 1.5). A
# version string that is not jq's own (another implementation) is let through.
require_jq_1_6() {
    local version
    version="$(jq --version 2>/dev/null)" || version=""
    if [[ "$version" =~ ^jq-1\.([0-9]+)([^0-9]|$) ]] && ((BASH_REMATCH[1] < 6)); then
        die "jq 1.6 or later is required, this is $version: $JQ_INSTALL"
    fi
}

# set_now: NOW, the clock every age is measured against. VERIFY_NOW (epoch seconds) pins it, so
# that recorded AWS answers can be replayed and give the same report.
set_now() {
    if [[ -n "${VERIFY_NOW:-}" ]]; then
        [[ "$VERIFY_NOW" =~ ^[0-9]+$ ]] || die "VERIFY_NOW must be epoch seconds, got '$VERIFY_NOW'"
        NOW="$VERIFY_NOW"
    elif [[ -n "${EPOCHSECONDS:-}" ]]; then
        NOW="$EPOCHSECONDS"
    else
        NOW="$(date -u +%s)"
    fi
}

# iso_utc VAR EPOCH: sets VAR to the UTC time EPOCH (seconds, not negative) as the AWS CLI takes it,
# 2026-01-15T10:30:00Z, in shell arithmetic (the civil-from-days algorithm of
# https://howardhinnant.github.io/date_algorithms.html), where `date` would differ between GNU and
# BSD and jq would be a process per date.
iso_utc() {
    local secs=$(($2 % 86400)) z=$(($2 / 86400 + 719468))
    local era=$((z / 146097))
    local doe=$((z - era * 146097))
    local yoe=$(((doe - doe / 1460 + doe / 36524 - doe / 146096) / 365))
    local doy=$((doe - (365 * yoe + yoe / 4 - yoe / 100)))
    local mp=$(((5 * doy + 2) / 153))
    local day=$((doy - (153 * mp + 2) / 5 + 1)) month=$((mp < 10 ? mp + 3 : mp - 9))
    local year=$((yoe + era * 400 + (month <= 2 ? 1 : 0)))
    printf -v "$1" '%04d-%02d-%02dT%02d:%02d:%02dZ' "$year" "$month" "$day" $((secs / 3600)) $((secs % 3600 / 60)) $((secs % 60))
}

# jq definitions shared by the checks. `epoch` reads an AWS CLI timestamp in either form the CLI
# prints: ISO 8601 (CLI v2's default, `2026-01-15T05:10:00.123000+00:00`, or RDS's
# `2026-01-15T05:10:00Z`) or epoch seconds (CLI v1 prints JSON-protocol services' timestamps
# as received: `1768453800.123`). `hours` prints a duration with one decimal. `json_answer` reads
# a call's answer (text) as JSON, or fails quoting its start.
#
# Each `try` here sits inside [...]: jq 1.6's `try` also catches errors raised downstream of it in
# the pipeline (fixed in jq 1.7), which would report, say, a missing field as "not JSON".
JQ_DEFS='
def json_answer:
  . as $text | [try {json: fromjson} catch null][0]
  | if . == null then error("not JSON: \($text | gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ") | .[0:120])") else .json end;
def epoch:
  if type == "number" then .
  elif type == "string" then
    (capture("^(?<s>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?$")
      // error("not a timestamp: \(.)")) as $m
    | ($m.s + "Z" | fromdateiso8601)
      - (if ($m.z // "Z") == "Z" then 0
         else ($m.z | gsub(":"; "")) as $z
           | (if ($z | startswith("-")) then -1 else 1 end) * (($z[1:3] | tonumber) * 3600 + ($z[3:5] | tonumber) * 60)
         end)
  else error("not a timestamp: \(.)") end;
def hours: . / 3600 * 10 | floor / 10 | tostring + " h";
def minutes: . / 60 | floor | tostring + " min";
def iso: floor | todate;
'

# load_outputs: the stack's outputs (`pulumi stack output --json`) into OUTPUT[name], unless every
# name came from a flag (NEEDS_OUTPUTS=false) or Pulumi is not installed (then each name needs its
# flag). A string output is its text, a list is its items joined by commas, anything else its JSON.
load_outputs() {
    [[ "${NEEDS_OUTPUTS:-true}" == true ]] || return 0
    if ! command -v pulumi >/dev/null 2>&1; then
        printf '%s: pulumi is not installed: every name must come from its flag (see --help)\n' "$SCRIPT" >&2
        return 0
    fi
    if ! OUTPUTS="$(pulumi stack output --json --stack "$STACK" --cwd "$ROOT" 2>"$ERR_FILE")"; then
        die "could not read the outputs of stack '$STACK' ($(head -c 300 "$ERR_FILE")). Log in to the stack's backend (pulumi login ...), or pass every name as a flag (see --help)"
    fi
    local assignments
    assignments="$(jq -r 'if type == "object" then to_entries[] else error("not an object") end
      | "OUTPUT[\(.key | @sh)]=\(.value // "" | if type == "string" then . elif type == "array" then map(tostring) | join(",") else tojson end | @sh)"' \
        2>/dev/null <<<"$OUTPUTS")" || die "pulumi stack output --json --stack $STACK did not print a JSON object"
    eval "$assignments"
}

# call CMD...: runs a command that reads the system, its stdout for the caller, its stderr kept in
# $ERR_FILE. Under --dry-run it is printed (with its arguments quoted as a shell would need them)
# instead of run, and the status is 3.
call() {
    if [[ "$DRY_RUN" == true ]]; then
        local quoted
        printf -v quoted ' %q' "$@"
        printf '+%s\n' "$quoted" >>"$CALLS_FILE"
        return 3
    fi
    "$@" 2>"$ERR_FILE"
}

# call_error: the first line of the last failed call's stderr that is not blank, for a report.
call_error() {
    local line
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ "$line" =~ [^[:space:]] ]]; then
            printf '%s' "$line"
            return 0
        fi
    done <"$ERR_FILE"
    printf 'no error message'
}

# add_check NAME STATUS DETAIL ANSWERS: the next check of the report. STATUS is pass, fail, skip, or
# verdict (judged by the report's jq; DETAIL is then the text before the verdict's own, ANSWERS the
# names of its answers among the report's jq arguments, space-separated).
add_check() {
    REPORT_ARGS+=(--arg "check${CHECK_COUNT}_name" "$1" --arg "check${CHECK_COUNT}_status" "$2"
        --arg "check${CHECK_COUNT}_detail" "$3" --arg "check${CHECK_COUNT}_answers" "$4")
    CHECK_COUNT=$((CHECK_COUNT + 1))
}

# record NAME STATUS DETAIL: one check's result (STATUS pass, fail or skip).
record() {
    add_check "$1" "$2" "$3" ""
}

# verdict NAME PREFIX FILE...: the check NAME is judged by the script's jq `verdict(NAME)` on the
# text of each FILE (a call's answer, in that order), when the report runs: a verdict
# {ok: bool, detail: string} becomes pass or fail with PREFIX followed by the verdict's detail.
# An answer the verdict cannot read (not JSON, a value it does not expect) fails the check, saying
# why.
verdict() {
    local name="$1" prefix="$2" file key keys=""
    shift 2
    for file in "$@"; do
        key="answer_${#REPORT_ARGS[@]}"
        REPORT_ARGS+=(--rawfile "$key" "$file")
        keys+="${keys:+ }$key"
    done
    add_check "$name" verdict "$prefix" "$keys"
}

# The report's jq: each check (add_check) as a result, verdicts judged by the script's `verdict`;
# then the JSON object, or the text report. The exit status is 1 when a check failed.
JQ_REPORT='
  [range(0; $check_count) | "check\(.)_" as $c
   | [$ARGS.named[$c + ("name", "status", "detail", "answers")]] as [$name, $status, $detail, $keys]
   | if $status != "verdict" then {name: $name, status: $status, detail: $detail}
     else [try ([$keys | split(" ")[] | $ARGS.named[.]] | verdict($name))
           catch {ok: false, detail: "could not read the answer: \(tostring | .[0:300])"}][0] as $v
       | {name: $name, status: (if $v.ok == true then "pass" else "fail" end), detail: ($detail + $v.detail)}
     end] as $checks
  | ([$checks[] | select(.status == "fail")] | length) as $failed
  | if $json then {script: $script, stack: $stack, checkedAt: ($now | todate), ok: ($failed == 0), checks: $checks}
    else "\($script), stack \($stack), \($now | todate)",
      ($checks[] | "  \(.status | ascii_upcase | . + "    " | .[0:5]) \(.name): \(.detail)"),
      (if $failed == 0 then "All checks passed." else "\($failed) check(s) failed." end)
    end,
    (if $failed > 0 then "" | halt_error(1) else empty end)
'

# report VERDICTS JQ_ARGS...: the calls (--dry-run) or the checks, as text or JSON; exits 0, or 1
# when a check failed. VERDICTS is the script's jq defining `verdict($check)` over a check's
# answers; JQ_ARGS are the parameters it reads (--arg name value, --argjson name value).
report() {
    if [[ "$DRY_RUN" == true ]]; then
        if [[ "$JSON" == true ]]; then
            jq -Rn --arg script "$SCRIPT" --arg stack "$STACK" '{script: $script, stack: $stack, dryRun: true, calls: [inputs | sub("^\\+ "; "")]}' <"$CALLS_FILE"
        else
            printf '# %s --stack %s --dry-run: the calls it would make, none made\n' "$SCRIPT" "$STACK"
            cat "$CALLS_FILE"
        fi
        exit 0
    fi
    local verdicts="$1" rc=0
    shift
    jq -nr --arg script "$SCRIPT" --arg stack "$STACK" --argjson now "$NOW" --argjson json "$JSON" --argjson check_count "$CHECK_COUNT" \
        "${REPORT_ARGS[@]}" "$@" "$JQ_DEFS $verdicts $JQ_REPORT" || rc=$?
    exit "$rc"
}
