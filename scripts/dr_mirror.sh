#!/usr/bin/env bash
# shellcheck disable=SC2016  # the single-quoted $names are jq's variables, not the shell's
# Fills the DR region's mirror and pre-warms its pull-through caches, while the primary region is
# healthy: the charts and images a DR rebuild takes from its own region's ECR (modules/dr/mirror.ts,
# modules/dr/names.ts PULL_THROUGH_CACHES; docs/dr-standby.md, "The mirror and the caches").
#
#   ./scripts/dr_mirror.sh                                   # the drMirror output of production
#   ./scripts/dr_mirror.sh --stack production --dry-run      # what it would copy and pull, nothing done
#   ./scripts/dr_mirror.sh --manifest drMirror.json          # the output saved as a file
#
# Options: --manifest FILE (the `drMirror` output as JSON: pulumi stack output --stack production
# --json drMirror), or --stack NAME to read it so ($PULUMI_STACK or production); --dry-run (read
# the charts and which tags the mirror has, print each write, make none); -h, --help.
# Steps, in the manifest's region, in the caller's account (aws sts get-caller-identity):
#   1. helm and skopeo log in to <account>.dkr.ecr.<region>.amazonaws.com: the ECR password goes
#      on stdin only, into credential files of a temporary directory removed at exit;
#   2. each chart is pulled from its HTTP repository at its version and pushed as OCI to
#      oci://<host>/<prefix>/charts, unless that tag is there (the tags are immutable: a re-run
#      skips what it copied before);
#   3. each image a chart renders at its defaults (helm template, the `image:` fields) is copied
#      at its tag (skopeo copy --all --preserve-digests) when its repository is one of `images`,
#      unless there; pulled once through the pull-through cache when its registry is one of
#      `caches`; and is an error otherwise, naming the chart and the image;
#   4. each `prewarm` image is pulled once through its cache;
#   5. a summary: copied, already present, pre-warmed.
# Needs aws, helm, skopeo and jq (and pulumi without --manifest), with the rights of the CI role
# <app>-ci-dr-mirror (modules/ci/deployPolicy.ts drMirrorStatements).
# Exit 0 the mirror and the caches hold everything; 1 a call failed (at once), or an image is
# neither mirrored nor cached (said after all the rest is done); 2 bad arguments, a missing tool
# or an unusable manifest.
set -euo pipefail

SCRIPT="dr_mirror.sh"
# shellcheck source=scripts/lib/verify.sh
source "$(dirname "$0")/lib/verify.sh"

MANIFEST_FILE=""
STACK_FLAG=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --manifest) need_value "$@"; MANIFEST_FILE="$2"; shift 2 ;;
        --stack) need_value "$@"; STACK="$2"; STACK_FLAG=true; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -z "$MANIFEST_FILE" || "$STACK_FLAG" == false ]] || die "give --manifest or --stack, not both"
require_tools jq aws helm
# A dry run pulls nothing through skopeo.
[[ "$DRY_RUN" == true ]] || require_tools skopeo
[[ -n "$MANIFEST_FILE" ]] || require_tools pulumi

# fail MESSAGE...: a call failed or the mirror cannot be completed; exit 1.
fail() {
    printf '%s: %s\n' "$SCRIPT" "$*" >&2
    exit 1
}
log() { printf '%s: %s\n' "$SCRIPT" "$*" >&2; }

# The manifest, from its file or the stack's output.
if [[ -n "$MANIFEST_FILE" ]]; then
    [[ -r "$MANIFEST_FILE" ]] || die "cannot read --manifest $MANIFEST_FILE"
    MANIFEST="$(<"$MANIFEST_FILE")"
elif ! MANIFEST="$(pulumi stack output --stack "$STACK" --json drMirror --cwd "$ROOT" 2>"$ERR_FILE")"; then
    die "could not read the drMirror output of stack '$STACK' ($(call_error)). Log in to the stack's backend (pulumi login ...), or pass --manifest FILE"
fi

# The manifest's shape (modules/dr/mirror.ts MirrorManifest), then its values as shell assignments.
JQ_MANIFEST='
def text: type == "string" and length > 0;
def strings: type == "object" and ([.[] | text] | all);
if type == "object"
   and (.region | text and test("^[a-z]{2}(-[a-z]+)+-[0-9]$"))
   and (.prefix | text)
   and (.charts | type == "array" and length > 0)
   and ([.prefix as $p | .charts[] | (.chart | text) and (.repo | text) and (.version | text)
         and .repository == "\($p)/charts/\(.chart)" and ((.templateValues // {}) | strings)] | all)
   and (.images | strings) and (.caches | strings)
   and (.prewarm | type == "array" and ([.[] | text] | all))
then
  "REGION=\(.region | @sh)", "PREFIX=\(.prefix | @sh)",
  (.charts[] | "CHARTS+=(\(.chart | @sh)) CHART_REPO[\(.chart | @sh)]=\(.repo | @sh) CHART_VERSION[\(.chart | @sh)]=\(.version | @sh) CHART_REPOSITORY[\(.chart | @sh)]=\(.repository | @sh) CHART_SETS[\(.chart | @sh)]=\([(.templateValues // {}) | to_entries[] | "--set-string", "\(.key)=\(.value)"] | @sh | @sh)"),
  (.images | to_entries[] | "IMAGES[\(.key | @sh)]=\(.value | @sh)"),
  (.caches | to_entries[] | "CACHES[\(.key | @sh)]=\(.value | @sh)"),
  (.prewarm[] | "PREWARM+=(\(@sh))")
else error("not a MirrorManifest") end'
REGION="" PREFIX=""
CHARTS=() PREWARM=()
declare -A CHART_REPO=() CHART_VERSION=() CHART_REPOSITORY=() CHART_SETS=() IMAGES=() CACHES=()
assignments="$(jq -r "$JQ_MANIFEST" 2>/dev/null <<<"$MANIFEST")" ||
    die "the manifest is not a drMirror output (modules/dr/mirror.ts MirrorManifest: region, prefix, charts with their repository <prefix>/charts/<chart>, images, caches, prewarm)"
eval "$assignments"

# act CMD...: a write. Printed under --dry-run (quoted as a shell needs it), else run, its output
# kept in $ERR_FILE for the error message.
act() {
    if [[ "$DRY_RUN" == true ]]; then
        local quoted
        printf -v quoted ' %q' "$@"
        printf '+%s\n' "$quoted"
        return 0
    fi
    "$@" >"$ERR_FILE" 2>&1
}

# The caller's account, and the registry the mirror and the caches are in.
ACCOUNT="$(aws sts get-caller-identity --region "$REGION" --query Account --output text 2>"$ERR_FILE")" ||
    fail "aws sts get-caller-identity --region $REGION failed: $(call_error)"
[[ "$ACCOUNT" =~ ^[0-9]{12}$ ]] || fail "aws sts get-caller-identity printed '$ACCOUNT', not an account id"
HOST="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"

# Credentials for this run only: helm's and skopeo's files in the temporary directory.
export HELM_REGISTRY_CONFIG="$WORK/helm-registry.json" REGISTRY_AUTH_FILE="$WORK/containers-auth.json"

# login TOOL ARGS...: the ECR password piped into TOOL's login, never in its arguments.
login() {
    if [[ "$DRY_RUN" == true ]]; then
        local quoted
        printf -v quoted ' %q' "$@"
        printf '+ aws ecr get-login-password --region %q |%s\n' "$REGION" "$quoted"
        return 0
    fi
    aws ecr get-login-password --region "$REGION" 2>"$ERR_FILE" | "$@" >"$WORK/login.out" 2>&1 ||
        fail "logging $1 in to $HOST failed: $(grep -hv '^[[:space:]]*$' "$ERR_FILE" "$WORK/login.out" | head -n 1)"
}
login helm registry login --username AWS --password-stdin "$HOST"
login skopeo login --username AWS --password-stdin "$HOST"

# tag_exists REPOSITORY TAG: whether the mirror's repository holds TAG (exit 1 when ECR cannot say).
tag_exists() {
    if aws ecr describe-images --region "$REGION" --repository-name "$1" --image-ids "imageTag=$2" --output json >/dev/null 2>"$ERR_FILE"; then
        return 0
    fi
    case "$(call_error)" in
        *ImageNotFoundException*) return 1 ;;
        *RepositoryNotFoundException*) fail "no repository $1 in $REGION: production's standby footprint creates it (modules/dr/mirrorRegistry.ts); pulumi up -s production first" ;;
        *) fail "aws ecr describe-images --region $REGION --repository-name $1 --image-ids imageTag=$2 failed: $(call_error)" ;;
    esac
}

COPIED=() PRESENT=() PREWARMED=() UNKNOWN=()
declare -A SEEN=()

# parse_image REF: IMG_HOST, IMG_PATH, IMG_REPO (host/path, with Docker Hub's implicit host and
# library/ spelled out), IMG_TAG and IMG_DIGEST (either may be empty; neither means latest).
parse_image() {
    local name="${1%%@*}"
    IMG_DIGEST="" IMG_TAG=""
    [[ "$name" == "$1" ]] || IMG_DIGEST="${1#*@}"
    if [[ "${name##*/}" == *:* ]]; then
        IMG_TAG="${name##*:}"
        name="${name%:*}"
    fi
    local first="${name%%/*}"
    if [[ "$name" == */* && ("$first" == *.* || "$first" == *:* || "$first" == localhost) ]]; then
        IMG_HOST="$first" IMG_PATH="${name#*/}"
    else
        IMG_HOST="docker.io" IMG_PATH="$name"
        [[ "$IMG_PATH" == */* ]] || IMG_PATH="library/$IMG_PATH"
    fi
    IMG_REPO="$IMG_HOST/$IMG_PATH"
    [[ -n "$IMG_TAG" || -n "$IMG_DIGEST" ]] || IMG_TAG="latest"
}

# prewarm REF: pulled once through the cache (into a temporary directory, removed after): the
# cache creates its repository and imports the image, which a rebuild's nodes then only read.
PREWARM_COUNT=0
prewarm() {
    local dir="$WORK/prewarm-$PREWARM_COUNT"
    PREWARM_COUNT=$((PREWARM_COUNT + 1))
    act skopeo copy --all "docker://$1" "dir:$dir" || fail "pulling $1 through the cache failed: $(call_error)"
    rm -rf "$dir"
}

# image SOURCE REF: one image a chart renders (SOURCE "chart <name> <version>") or a prewarm one.
image() {
    local source="$1" ref="$2" ref_at
    [[ -z "${SEEN[$ref]:-}" ]] || return 0
    SEEN[$ref]=1
    parse_image "$ref"
    if [[ -n "$IMG_DIGEST" ]]; then ref_at="@$IMG_DIGEST"; else ref_at=":$IMG_TAG"; fi
    local mirror="${IMAGES[$IMG_REPO]:-}" cache="${CACHES[$IMG_HOST]:-}"
    if [[ -n "$mirror" ]]; then
        if [[ -z "$IMG_TAG" ]]; then
            UNKNOWN+=("$source renders $ref, by digest only: the mirror keeps its copies by tag; pin a tag in the chart's values (modules/cluster/controllers.ts)")
        elif tag_exists "$mirror" "$IMG_TAG"; then
            PRESENT+=("$ref")
        else
            act skopeo copy --all --preserve-digests "docker://$IMG_REPO$ref_at" "docker://$HOST/$mirror:$IMG_TAG" ||
                fail "copying $ref to $HOST/$mirror:$IMG_TAG failed: $(call_error)"
            COPIED+=("$ref")
        fi
    elif [[ -n "$cache" ]]; then
        prewarm "$HOST/$cache/$IMG_PATH$ref_at"
        PREWARMED+=("$ref")
    else
        UNKNOWN+=("$source renders $ref ($IMG_REPO), which neither the mirror copies nor a pull-through cache serves (registry $IMG_HOST): mirror it (MIRRORED_IMAGES in modules/dr/mirror.ts) or point the chart at a cached registry (PULL_THROUGH_CACHES in modules/dr/names.ts), so that a rebuild can pull it")
    fi
}

# The `image:` fields of rendered manifests: `image: repo:tag`, quoted or not, in a list or not.
IMAGE_LINE='^[[:space:]]*(-[[:space:]]+)?image:[[:space:]]*["'\'']?([A-Za-z0-9][A-Za-z0-9._/:@-]*)["'\'']?[[:space:]]*$'
mkdir -p "$WORK/charts"
sets=()
for chart in "${CHARTS[@]}"; do
    version="${CHART_VERSION[$chart]}" repository="${CHART_REPOSITORY[$chart]}"
    tgz="$WORK/charts/$chart-$version.tgz"
    helm pull "$chart" --repo "${CHART_REPO[$chart]}" --version "$version" --destination "$WORK/charts" >/dev/null 2>"$ERR_FILE" ||
        fail "helm pull $chart --repo ${CHART_REPO[$chart]} --version $version failed: $(call_error)"
    # OCI tags cannot hold "+": Helm pushes version 1.0.0+a as tag 1.0.0_a.
    if tag_exists "$repository" "${version//+/_}"; then
        PRESENT+=("chart $chart $version")
    else
        act helm push "$tgz" "oci://$HOST/$PREFIX/charts" || fail "helm push of $chart $version to oci://$HOST/$PREFIX/charts failed: $(call_error)"
        COPIED+=("chart $chart $version")
    fi
    eval "sets=(${CHART_SETS[$chart]})"
    helm template "$chart" "$tgz" "${sets[@]}" >"$WORK/$chart.yaml" 2>"$ERR_FILE" ||
        fail "helm template $chart $version failed: $(call_error)"
    found=()
    while IFS= read -r line; do
        if [[ "$line" =~ $IMAGE_LINE ]]; then found+=("${BASH_REMATCH[2]}"); fi
    done <"$WORK/$chart.yaml"
    if [[ ${#found[@]} -eq 0 ]]; then
        UNKNOWN+=("chart $chart $version renders no image: field at its defaults, so which images it needs is not known (check helm template $chart --repo ${CHART_REPO[$chart]} --version $version)")
    fi
    for ref in "${found[@]}"; do image "chart $chart $version" "$ref"; done
done
for ref in "${PREWARM[@]}"; do image "the prewarm list" "$ref"; done

# list LABEL ITEMS...: one summary line.
list() {
    local label="$1" joined=""
    shift
    if [[ $# -gt 0 ]]; then printf -v joined ', %s' "$@"; joined=": ${joined:2}"; fi
    printf '%s (%d)%s\n' "$label" "$#" "$joined"
}
if [[ "$DRY_RUN" == true ]]; then
    printf '# %s --dry-run: mirror %s in %s; the writes above were printed, none made\n' "$SCRIPT" "$PREFIX" "$HOST"
    list "to copy" "${COPIED[@]}"
    list "already present" "${PRESENT[@]}"
    list "to pre-warm" "${PREWARMED[@]}"
else
    printf 'mirror %s in %s\n' "$PREFIX" "$HOST"
    list "copied" "${COPIED[@]}"
    list "already present" "${PRESENT[@]}"
    list "pre-warmed" "${PREWARMED[@]}"
fi
if [[ ${#UNKNOWN[@]} -gt 0 ]]; then
    for u in "${UNKNOWN[@]}"; do log "$u"; done
    exit 1
fi
