# shellcheck shell=bash disable=SC2016  # the single-quoted $names are jq's variables, not the shell's
# Shared by scripts/verify_backups.sh and scripts/verify_infrastructure.sh: argument helpers, the
# stack's outputs, calls that --dry-run prints instead of running, the list of checks and the
# report (text, or JSON with --json). Sourced, never run.
#
# Exit codes of a verify script: 0 every check passed (some may be skipped, each says why),
# 1 at least one check failed, 2 the checks could not run (bad arguments, a missing tool, a name
# that neither a flag nor the stack's outputs give).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK="${PULUMI_STACK:-production}"
DRY_RUN=false
JSON=false
OUTPUTS='{}'
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CHECKS_FILE="$WORK/checks.jsonl"
CALLS_FILE="$WORK/calls.txt"
ERR_FILE="$WORK/stderr.txt"
: >"$CHECKS_FILE"
: >"$CALLS_FILE"
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

# require_tools TOOL...: each tool is on PATH, or exit 2 naming how to install it.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 && continue
        case "$tool" in
            jq) die "jq is required: apt-get install -y jq (Debian, Ubuntu), brew install jq (macOS); AWS CloudShell has it" ;;
            aws) die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" ;;
            *) die "$tool is required and not on PATH" ;;
        esac
    done
}

# now_epoch: the clock every age is measured against. VERIFY_NOW (epoch seconds) pins it, so that
# recorded AWS answers can be replayed and give the same report.
now_epoch() {
    if [[ -n "${VERIFY_NOW:-}" ]]; then
        [[ "$VERIFY_NOW" =~ ^[0-9]+$ ]] || die "VERIFY_NOW must be epoch seconds, got '$VERIFY_NOW'"
        printf '%s\n' "$VERIFY_NOW"
    else
        date -u +%s
    fi
}

# jq definitions shared by the checks. `epoch` reads an AWS CLI timestamp in either form the CLI
# prints: ISO 8601 (CLI v2's default, `2026-01-15T05:10:00.123000+00:00`, or RDS's
# `2026-01-15T05:10:00Z`) or epoch seconds (CLI v1 prints JSON-protocol services' timestamps
# as received: `1768453800.123`). `hours` prints a duration with one decimal.
JQ_DEFS='
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

# jqx ARGS...: jq with the shared definitions prepended to the filter (the last argument).
jqx() {
    local filter="${*: -1}"
    jq "${@:1:$#-1}" "$JQ_DEFS $filter"
}

# load_outputs: the stack's outputs (`pulumi stack output --json`), unless every name came from a
# flag (NEEDS_OUTPUTS=false) or Pulumi is not installed (then each name needs its flag).
load_outputs() {
    [[ "${NEEDS_OUTPUTS:-true}" == true ]] || return 0
    if ! command -v pulumi >/dev/null 2>&1; then
        printf '%s: pulumi is not installed: every name must come from its flag (see --help)\n' "$SCRIPT" >&2
        return 0
    fi
    if ! OUTPUTS="$(pulumi stack output --json --stack "$STACK" --cwd "$ROOT" 2>"$ERR_FILE")"; then
        die "could not read the outputs of stack '$STACK' ($(head -c 300 "$ERR_FILE")). Log in to the stack's backend (pulumi login ...), or pass every name as a flag (see --help)"
    fi
    jq -e 'type == "object"' >/dev/null 2>&1 <<<"$OUTPUTS" || die "pulumi stack output --json --stack $STACK did not print a JSON object"
}

# output NAME: one stack output as text ("" when the stack does not export it).
output() {
    jq -r --arg k "$1" '.[$k] // empty | if type == "string" then . else tojson end' <<<"$OUTPUTS"
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

# call_error: the first line of the last failed call's stderr, for a report.
call_error() {
    local line
    line="$(grep -v '^[[:space:]]*$' "$ERR_FILE" | head -n 1 || true)"
    printf '%s' "${line:-no error message}"
}

# record NAME STATUS DETAIL: one check's result (STATUS pass, fail or skip).
record() {
    jq -cn --arg name "$1" --arg status "$2" --arg detail "$3" '{name: $name, status: $status, detail: $detail}' >>"$CHECKS_FILE"
}

# report: the calls (--dry-run) or the checks, as text or JSON; exits 0, or 1 when a check failed.
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
    local failed
    failed="$(jq -s '[.[] | select(.status == "fail")] | length' "$CHECKS_FILE")"
    if [[ "$JSON" == true ]]; then
        jq -s --arg script "$SCRIPT" --arg stack "$STACK" --argjson now "$NOW" \
            '{script: $script, stack: $stack, checkedAt: ($now | todate), ok: (all(.[]; .status != "fail")), checks: .}' "$CHECKS_FILE"
    else
        printf '%s, stack %s, %s\n' "$SCRIPT" "$STACK" "$(jq -rn --argjson now "$NOW" '$now | todate')"
        jq -r '"  \(.status | ascii_upcase | . + "    " | .[0:5]) \(.name): \(.detail)"' "$CHECKS_FILE"
        if [[ "$failed" -eq 0 ]]; then
            printf 'All checks passed.\n'
        else
            printf '%s check(s) failed.\n' "$failed"
        fi
    fi
    [[ "$failed" -eq 0 ]] || exit 1
    exit 0
}
