#!/usr/bin/env bash
# A stand-in for aws, pulumi, kubectl, curl, psql, helm and skopeo in the scripts' tests, linked
# under each name in a directory put first on PATH. It records every call and answers from recordings:
#
#   $FAKE_CLI_DIR/calls.log     one line per call: the tool and its arguments, shell-quoted
#   $FAKE_CLI_DIR/routes.tsv    lines "<extended regex><TAB><answer>": the first regex matching
#                               "<tool> <arguments>" picks the answer
#   $FAKE_CLI_DIR/answers/<answer>.out, .err, .rc   its stdout, stderr and exit status (default 0)
#   $FAKE_CLI_DIR/answers/<answer>.stdin            present: the call reads its stdin to the end,
#                               appended to $FAKE_CLI_DIR/stdin.log as "<tool>: <what it read>"
#
# A call no route matches fails loudly (exit 97), so a script can never pass on a call nobody
# recorded. Only shell builtins run here: a test makes hundreds of these calls.
set -euo pipefail

tool="${0##*/}"
dir="${FAKE_CLI_DIR:?FAKE_CLI_DIR is not set}"
quoted=""
printf -v quoted ' %q' "$@"
printf '%s%s\n' "$tool" "$quoted" >>"$dir/calls.log"

# print FILE: the file's bytes as they are (read stops at EOF with status 1, its text kept).
print() {
    local text=""
    IFS= read -r -d '' text <"$1" || true
    printf '%s' "$text"
}

line="$tool $*"
# The call's own stdin, as fd 3: the loop below reads the routes on its stdin.
exec 3<&0
while IFS=$'\t' read -r pattern answer; do
    [[ -n "$pattern" ]] || continue
    if [[ "$line" =~ $pattern ]]; then
        base="$dir/answers/$answer"
        if [[ -f "$base.stdin" ]]; then
            input=""
            IFS= read -r -d '' input <&3 || true
            printf '%s: %s\n' "$tool" "$input" >>"$dir/stdin.log"
        fi
        [[ ! -f "$base.out" ]] || print "$base.out"
        [[ ! -f "$base.err" ]] || print "$base.err" >&2
        rc=0
        [[ ! -f "$base.rc" ]] || read -r rc <"$base.rc" || true
        exit "$rc"
    fi
done <"$dir/routes.tsv"

printf 'fake %s: no recorded answer for: %s\n' "$tool" "$line" >&2
exit 97
