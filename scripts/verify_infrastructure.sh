#!/usr/bin/env bash
# shellcheck disable=SC2016  # the single-quoted $names are jq's variables, not the shell's
# Verification after an apply (runbook 1.6): is the stack what the code says, up, quiet and
# reachable? Read-only: a preview, a GET of the health check, lists and describes.
#
#   ./scripts/verify_infrastructure.sh                     # production, names from `pulumi stack output`
#   ./scripts/verify_infrastructure.sh --stack staging --json
#   ./scripts/verify_infrastructure.sh --dry-run           # print the calls, make none
#
# Checks (each pass, fail or skip with the reason):
#   drift        `pulumi preview --expect-no-changes`: the stack matches the code and its config
#   health       GET <url>/health answers 200 with runbook 3.7's JSON (status healthy, version,
#                timestamp, every entry of checks healthy)
#   alarms       no alarm of the stack in ALARM, in its region and in us-east-1 (where the Route 53
#                health check's alarm lives)
#   nodes        every node of the cluster is Ready (at least one)
#   deployments  each of the app's Deployments has all its replicas updated, ready and available
#   pods         every pod of the app's namespace (finished Jobs aside) is Running and Ready
#   certificate  the ACM certificate of the URL's host is issued, in use and valid for more than
#                --min-certificate-days (30, runbook 4.2)
#
# Names come from the stack's outputs; each flag overrides one, so it works without Pulumi too
# (the drift check then is skipped, and says so):
#   --stack <name>           $PULUMI_STACK or production
#   --region <region>        output region (none: a stack without AWS, like dev)
#   --url <url>              output url
#   --alarm-prefix <prefix>  <app>-<stack> (alarms are named <app>-<stack>-<alarm>)
#   --namespace <ns>         output namespace
#   --deployments <a,b>      output deployments
#   --context <name> or --kubeconfig <file>: the cluster; default the stack's kubeconfig output
#                            (a secret, written to a private temp file) or, on dev, the context
#                            its rollbackCommand names
# Output: a short report, or --json. Exit 0 all checks passed, 1 a check failed, 2 cannot run.
# Needs jq 1.6 or later, curl, kubectl, the AWS CLI (AWS stacks), Pulumi (drift).
# docs/verification.md describes each check and what to do when one fails.
set -euo pipefail

SCRIPT="verify_infrastructure.sh"
# shellcheck source=scripts/lib/verify.sh
source "$(dirname "$0")/lib/verify.sh"

# Route 53 publishes health-check metrics only in us-east-1, so the service-down alarm is there
# whatever the stack's region (modules/observability/healthCheck.ts).
HEALTH_ALARM_REGION="us-east-1"

REGION="" URL="" PREFIX="" NAMESPACE="" DEPLOYMENTS="" CONTEXT="" KUBECONFIG_FILE="" MIN_DAYS=30
REGION_FLAG=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --stack) need_value "$@"; STACK="$2"; shift 2 ;;
        --region) need_value "$@"; REGION="$2"; REGION_FLAG=true; shift 2 ;;
        --url) need_value "$@"; URL="$2"; shift 2 ;;
        --alarm-prefix) need_value "$@"; PREFIX="$2"; shift 2 ;;
        --namespace) need_value "$@"; NAMESPACE="$2"; shift 2 ;;
        --deployments) need_value "$@"; DEPLOYMENTS="$2"; shift 2 ;;
        --context) need_value "$@"; CONTEXT="$2"; shift 2 ;;
        --kubeconfig) need_value "$@"; KUBECONFIG_FILE="$2"; shift 2 ;;
        --min-certificate-days) need_value "$@"; MIN_DAYS="$2"; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        --json) JSON=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ "$MIN_DAYS" =~ ^[0-9]+$ ]] || die "--min-certificate-days takes whole days, got '$MIN_DAYS'"
[[ -z "$CONTEXT" || -z "$KUBECONFIG_FILE" ]] || die "--context and --kubeconfig name the cluster twice: pass one"
require_tools jq
[[ "$DRY_RUN" == true ]] || require_tools curl kubectl

NEEDS_OUTPUTS=true
if [[ "$REGION_FLAG" == true && -n "$URL" && -n "$PREFIX" && -n "$NAMESPACE" && -n "$DEPLOYMENTS" && -n "$CONTEXT$KUBECONFIG_FILE" ]]; then
    NEEDS_OUTPUTS=false
fi
load_outputs
HAS_PULUMI=false
if command -v pulumi >/dev/null 2>&1; then HAS_PULUMI=true; fi
[[ "$REGION_FLAG" == true ]] || REGION="${OUTPUT[region]:-}"
URL="${URL:-${OUTPUT[url]:-}}"
NAMESPACE="${NAMESPACE:-${OUTPUT[namespace]:-}}"
DEPLOYMENTS="${DEPLOYMENTS:-${OUTPUT[deployments]:-}}"
if [[ -z "$PREFIX" ]]; then
    cluster="${OUTPUT[clusterName]:-}" environment="${OUTPUT[environment]:-}"
    [[ -z "$cluster" || -z "$environment" ]] || PREFIX="${cluster%-"$environment"}-${STACK}"
fi
[[ -n "$URL" ]] || die "no URL: stack '$STACK' has no output 'url'; pass --url"
[[ -n "$NAMESPACE" ]] || die "no namespace: stack '$STACK' has no output 'namespace'; pass --namespace"
[[ -z "$REGION" || "$DRY_RUN" == true ]] || require_tools aws
HOST="${URL#https://}"
HOST="${HOST%%[:/]*}"
set_now
# Each check's verdict on its answers (verify.sh's `verdict`), all judged in the report's one jq.
# Its parameters: $alarm_prefix, $alarm_regions (space-separated), $other_stacks (alarm name
# prefixes, one a line), $namespace, $deployments (comma-separated), $host, $min_days, $region.
JQ_VERDICTS=''
ALARM_REGIONS=() OTHER_STACKS=""

# drift: a preview that fails on any change (exit 0 only when there is none).
check_drift() {
    if [[ "$HAS_PULUMI" != true ]]; then
        record drift skip "pulumi is not installed: drift not checked (pulumi preview --expect-no-changes --stack $STACK)"
        return
    fi
    local out="$WORK/preview.txt" rc=0
    call pulumi preview --stack "$STACK" --cwd "$ROOT" --expect-no-changes --non-interactive --color never >"$out" || rc=$?
    [[ $rc -ne 3 ]] || return 0
    # The preview's summary: the lines after "Resources:" up to the first blank one, without their indent.
    local summary="" line on=false
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ "$on" == false ]]; then
            [[ "$line" != Resources:* ]] || on=true
            continue
        fi
        [[ "$line" =~ [^[:space:]] ]] || break
        summary+="${summary:+, }${line#"${line%%[! ]*}"}"
    done <"$out"
    if [[ $rc -eq 0 ]]; then
        record drift pass "pulumi preview --expect-no-changes: no changes${summary:+ ($summary)}"
    elif [[ -n "$summary" ]]; then
        record drift fail "the stack differs from the code and config: $summary (pulumi preview --diff --stack $STACK shows what; pulumi up applies it)"
    else
        record drift fail "pulumi preview failed: $(call_error)"
    fi
}

# health: curl's output is the body, then the status code on the last line.
JQ_VERDICTS+='
def health:
  (split("\n") | until(length == 0 or .[-1] != ""; .[:-1])) as $lines
  | ($lines[-1] // "") as $code
  | ($lines[:-1] | join("\n")) as $body
  | [try ($body | fromjson) catch null][0] as $b
  | if ($b | type) != "object" then {ok: false, detail: "HTTP \($code), not a JSON object: \($body | gsub("\\s+"; " ") | .[0:120])"}
    else
      ([ (if $code != "200" then "HTTP \($code)" else empty end),
         (if $b.status != "healthy" then "status \($b.status | tojson)" else empty end),
         (if ($b.version | type) != "string" then "no version" else empty end),
         (if ($b.timestamp | type) != "string" or (($b.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)$")) | not) then "timestamp \($b.timestamp | tojson) is not ISO 8601" else empty end),
         (if ($b.checks | type) != "object" then "no checks object"
          else ($b.checks | to_entries[] | select(.value != "healthy") | "\(.key) \(.value | tojson)") end)
       ]) as $problems
      | {ok: ($problems | length == 0),
         detail: (if ($problems | length) == 0
                  then "200, healthy, version \($b.version), checks " + ($b.checks | keys | join(", "))
                  else $problems | join("; ") end)}
    end;
'

# health: runbook 3.7's endpoint.
check_health() {
    local out="$WORK/health.txt" rc=0 target="${URL%/}/health"
    call curl --silent --show-error --max-time 10 --write-out '\n%{http_code}' "$target" >"$out" || rc=$?
    [[ $rc -ne 3 ]] || return 0
    if [[ $rc -ne 0 ]]; then
        record health fail "GET $target: $(call_error)"
        return
    fi
    verdict health "GET $target: " "$out"
}

# OTHER_STACKS: the name prefixes, one a line, of alarms that belong to another committed stack
# whose name extends this one's (production-dr's alarms start with production's prefix): the
# Pulumi.<stack>.yaml files list those stacks.
other_stack_prefixes() {
    local f other app="${PREFIX%-"$STACK"}"
    for f in "$ROOT"/Pulumi.*.yaml; do
        other="${f##*/Pulumi.}"
        other="${other%.yaml}"
        [[ "$other" != "$STACK"-* ]] || OTHER_STACKS+="$app-$other-"$'\n'
    done
}

# alarms: one describe-alarms answer a region, in the order of $alarm_regions.
JQ_VERDICTS+='
def alarms:
  ($other_stacks | split("\n") | map(select(length > 0))) as $exclude
  | ($alarm_regions | split(" ")) as $regions
  | [range(0; length) as $i | .[$i] | json_answer
     | (.MetricAlarms // []) + (.CompositeAlarms // []) | .[]
     | select(.AlarmName as $n | [$exclude[] as $p | $n | startswith($p)] | any | not)
     | "\(.AlarmName) (\($regions[$i])) since \(.StateUpdatedTimestamp | epoch | iso): \(.StateReason // "")"] as $firing
  | if ($firing | length) == 0 then {ok: true, detail: "no alarm named \($alarm_prefix)-* in ALARM in \($regions | join(", "))"}
    else {ok: false, detail: (($firing | join("; ")) + " (docs/runbooks/<alarm>.md)")} end;
'

# alarms: describe-alarms --state-value ALARM in each region the stack has alarms.
check_alarms() {
    if [[ -z "$REGION" ]]; then
        record alarms skip "stack $STACK has no AWS region (output region): no CloudWatch alarms"
        return
    fi
    [[ -n "$PREFIX" ]] || { record alarms fail "no alarm prefix: pass --alarm-prefix <app>-<stack>"; return; }
    local region out answers=() rc
    ALARM_REGIONS=("$REGION")
    [[ "$REGION" == "$HEALTH_ALARM_REGION" ]] || ALARM_REGIONS+=("$HEALTH_ALARM_REGION")
    other_stack_prefixes
    for region in "${ALARM_REGIONS[@]}"; do
        rc=0 out="$WORK/alarms-$region.json"
        call aws cloudwatch describe-alarms --region "$region" --alarm-name-prefix "${PREFIX}-" --state-value ALARM --output json >"$out" || rc=$?
        [[ $rc -ne 3 ]] || continue
        if [[ $rc -ne 0 ]]; then
            record alarms fail "aws cloudwatch describe-alarms --region $region: $(call_error)"
            return
        fi
        answers+=("$out")
    done
    [[ "$DRY_RUN" != true ]] || return 0
    verdict alarms "" "${answers[@]}"
}

# The cluster: --context, --kubeconfig, the stack's kubeconfig output, or dev's context.
KUBECTL=()
ACCESS_ERROR=""
cluster_access() {
    if [[ -n "$CONTEXT" ]]; then
        KUBECTL=(kubectl --context "$CONTEXT")
    elif [[ -n "$KUBECONFIG_FILE" ]]; then
        KUBECTL=(kubectl --kubeconfig "$KUBECONFIG_FILE")
    elif [[ -n "${OUTPUT[kubeconfig]:-}" && "$HAS_PULUMI" == true ]]; then
        local file="$WORK/kubeconfig" rc=0
        (umask 077 && call pulumi stack output kubeconfig --show-secrets --stack "$STACK" --cwd "$ROOT" >"$file") || rc=$?
        if [[ $rc -ne 0 && $rc -ne 3 ]]; then
            ACCESS_ERROR="could not read the stack's kubeconfig output: $(call_error)"
            return 1
        fi
        KUBECTL=(kubectl --kubeconfig "$file")
    elif [[ "${OUTPUT[rollbackCommand]:-}" =~ --context[[:space:]]+([^[:space:]]+) ]]; then
        KUBECTL=(kubectl --context "${BASH_REMATCH[1]}")
    else
        ACCESS_ERROR="no access to the cluster: pass --context or --kubeconfig (aws eks update-kubeconfig --name <clusterName> --region <region>)"
        return 1
    fi
}

# kube_json NAME FILE ARGS...: `kubectl ... -o json` for a check, into FILE; status 1 (nothing to
# judge) under --dry-run or after recording the failure.
kube_json() {
    local name="$1" file="$2" rc=0
    shift 2
    call "${KUBECTL[@]}" --request-timeout 20s "$@" --output json >"$file" || rc=$?
    if [[ $rc -eq 3 ]]; then
        return 1
    elif [[ $rc -ne 0 ]]; then
        record "$name" fail "kubectl $*: $(call_error)"
        return 1
    fi
}

# nodes, deployments, pods: a `kubectl get ... -o json` list each.
JQ_VERDICTS+='
def nodes:
  [.items[] | {name: .metadata.name, ready: ([.status.conditions[]? | select(.type == "Ready")][0].status == "True")}] as $n
  | {ok: (($n | length) > 0 and all($n[]; .ready)),
     detail: (if ($n | length) == 0 then "the cluster has no nodes"
              else "\([$n[] | select(.ready)] | length) of \($n | length) nodes Ready"
                + ([$n[] | select(.ready | not) | .name] | if length > 0 then "; not Ready: " + join(", ") else "" end) end)};
def deployments:
  ($deployments | split(",") | map(select(length > 0))) as $names
  | (if ($names | length) > 0 then $names else [.items[].metadata.name] end) as $names
  | (.items | map({key: .metadata.name, value: .}) | from_entries) as $by
  | [$names[] as $d | $by[$d] as $x
     | if $x == null then {ok: false, text: "\($d) not found in namespace \($namespace)"}
       else ($x.spec.replicas // 1) as $want
       | ($x.status.readyReplicas // 0) as $ready
       | {ok: ($want > 0 and $ready == $want and ($x.status.updatedReplicas // 0) == $want and ($x.status.availableReplicas // 0) == $want),
          text: "\($d) \($ready)/\($want) ready, \($x.status.updatedReplicas // 0) updated, \($x.status.availableReplicas // 0) available"}
       end] as $r
  | {ok: (($r | length) > 0 and all($r[]; .ok)),
     detail: (if ($r | length) == 0 then "no Deployment in namespace \($namespace)" else [$r[].text] | join("; ") end)};
def pods:
  [.items[] | select(.status.phase != "Succeeded")
   | {name: .metadata.name, phase: .status.phase,
      ready: ([.status.conditions[]? | select(.type == "Ready")][0].status == "True"),
      why: (.status.reason as $r | [.status.containerStatuses[]?.state.waiting.reason // empty] | first // $r)}] as $p
  | {ok: (($p | length) > 0 and all($p[]; .ready and .phase == "Running")),
     detail: (if ($p | length) == 0 then "no running pod in namespace \($namespace)"
              else "\([$p[] | select(.ready and .phase == "Running")] | length) of \($p | length) pods Running and Ready in \($namespace)"
                + ([$p[] | select((.ready and .phase == "Running") | not) | "\(.name) \(.phase)\(if .why then " (\(.why))" else "" end)"]
                   | if length > 0 then "; not ready: " + join(", ") else "" end) end)};
'

check_cluster() {
    if ! cluster_access; then
        record nodes fail "$ACCESS_ERROR"
        record deployments fail "$ACCESS_ERROR"
        record pods fail "$ACCESS_ERROR"
        return
    fi
    if kube_json nodes "$WORK/nodes.json" get nodes; then
        verdict nodes "" "$WORK/nodes.json"
    fi
    if kube_json deployments "$WORK/deployments.json" get deployments --namespace "$NAMESPACE"; then
        verdict deployments "" "$WORK/deployments.json"
    fi
    if kube_json pods "$WORK/pods.json" get pods --namespace "$NAMESPACE"; then
        verdict pods "" "$WORK/pods.json"
    fi
}

# certificate: the ACM certificates of the URL's host; the one in use, or all when none is.
JQ_VERDICTS+='
def certificate:
  [.CertificateSummaryList[]? | select(.DomainName == $host or ((.SubjectAlternativeNameSummaries // []) | index($host)))] as $all
  | ([$all[] | select(.InUse == true)] | if length > 0 then . else $all end) as $certs
  | if ($certs | length) == 0 then {ok: false, detail: "no ACM certificate for \($host) in \($region)"}
    else [$certs[] | ((((.NotAfter // $now) | epoch) - $now) / 86400 | floor) as $days
          | {ok: (.Status == "ISSUED" and .InUse == true and $days > $min_days),
             text: "\(.CertificateArn): \(.Status)\(if .InUse then ", in use" else ", not in use" end), expires \(.NotAfter // "?" | if . == "?" then . else epoch | iso end) (\($days) days; more than \($min_days) needed)"}] as $r
    | {ok: all($r[]; .ok), detail: [$r[].text] | join("; ")}
    end;
'

# certificate: the ACM certificate of the URL's host in the stack's region (the load balancer's).
check_certificate() {
    if [[ "$URL" != https://* ]]; then
        record certificate skip "$URL is not HTTPS: no certificate"
        return
    elif [[ -z "$REGION" ]]; then
        record certificate skip "stack $STACK has no AWS region: no ACM certificate"
        return
    fi
    local out="$WORK/certificates.json" rc=0
    call aws acm list-certificates --region "$REGION" --output json >"$out" || rc=$?
    [[ $rc -ne 3 ]] || return 0
    if [[ $rc -ne 0 ]]; then
        record certificate fail "aws acm list-certificates --region $REGION: $(call_error)"
        return
    fi
    verdict certificate "" "$out"
}

JQ_VERDICTS+='
def verdict($check):
  if $check == "health" then .[0] | health
  elif $check == "alarms" then alarms
  else .[0] | json_answer
    | if $check == "nodes" then nodes
      elif $check == "deployments" then deployments
      elif $check == "pods" then pods
      elif $check == "certificate" then certificate
      else error("no verdict for the check \($check)") end
  end;
'

check_drift
check_health
check_alarms
check_cluster
check_certificate
report "$JQ_VERDICTS" --arg alarm_prefix "$PREFIX" --arg alarm_regions "${ALARM_REGIONS[*]}" --arg other_stacks "$OTHER_STACKS" \
    --arg namespace "$NAMESPACE" --arg deployments "$DEPLOYMENTS" --arg host "$HOST" --argjson min_days "$MIN_DAYS" --arg region "$REGION"
