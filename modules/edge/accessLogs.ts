/**
 * Days a replaced or deleted access log stays recoverable as a noncurrent version (never longer
 * than the logs themselves are kept): time to notice that a log went missing.
 */
export const NONCURRENT_LOG_DAYS = 30;

/**
 * The Elastic Load Balancing account of each region that predates August 2022: the principal a
 * log bucket's policy must allow there. Newer regions deliver as the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`, which the policy always allows too.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-central-1": "054676820928",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
};
