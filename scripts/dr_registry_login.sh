#!/usr/bin/env bash
# Logs Helm into a region's ECR before a DR rebuild (runbook 3.9 "Regional outage"): the rebuild
# installs the controllers' charts from the standby's mirror as OCI artifacts
# (oci://<account>.dkr.ecr.<region>.amazonaws.com/<app>/production/mirror/charts/<chart>,
# modules/dr/mirror.ts), and Pulumi's Helm releases authenticate to an OCI registry only through
# Helm's own registry login, not through credentials in the program.
#
#   ./scripts/dr_registry_login.sh [--region us-west-2] [--dry-run]
#
# Two calls, both in the region: STS get-caller-identity through the region's own endpoint (the
# registry's account) and ECR get-login-password, whose token goes to `helm registry login` on
# stdin, never in an argument or a log. The token lasts 12 hours: log in again before a later
# `pulumi up`. --dry-run prints the login it would make. Exit 0 logged in, 1 a call or a tool
# failed, 2 bad arguments.
set -euo pipefail

REGION="us-west-2"
DRY_RUN=false
export AWS_PAGER="" AWS_STS_REGIONAL_ENDPOINTS=regional

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
bad() { printf 'dr_registry_login.sh: %s (see --help)\n' "$*" >&2; exit 2; }
die() { printf 'dr_registry_login.sh: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --region)
            [[ -n "${2:-}" && "${2:0:2}" != "--" ]] || bad "$1 needs a value"
            REGION="$2"; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) bad "unknown argument $1" ;;
    esac
done
[[ "$REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || bad "--region $REGION is not an AWS region such as us-west-2"
command -v aws >/dev/null 2>&1 || die "the AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
command -v helm >/dev/null 2>&1 || die "helm is required (3.8 or later, for OCI registries): https://helm.sh/docs/intro/install/"

ACCOUNT="$(aws sts get-caller-identity --region "$REGION" --query Account --output text)" || die "aws sts get-caller-identity failed in $REGION: check the credentials (a role assumed through ${REGION}'s STS endpoint)"
[[ "$ACCOUNT" =~ ^[0-9]{12}$ ]] || die "aws sts get-caller-identity gave no account id in $REGION (got '${ACCOUNT}')"
HOST="${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com"

if [[ "$DRY_RUN" == true ]]; then
    printf 'would log helm into %s with a token from aws ecr get-login-password --region %s\n' "$HOST" "$REGION"
    exit 0
fi
TOKEN="$(aws ecr get-login-password --region "$REGION")" || die "aws ecr get-login-password failed in $REGION: the identity needs ecr:GetAuthorizationToken"
[[ -n "$TOKEN" ]] || die "aws ecr get-login-password gave an empty token in $REGION"
helm registry login --username AWS --password-stdin "$HOST" <<<"$TOKEN" >/dev/null || die "helm registry login to $HOST failed (helm 3.8 or later speaks OCI registries)"
printf 'helm is logged into %s for 12 hours: pulumi up can install the mirrored charts\n' "$HOST"
