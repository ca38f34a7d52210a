/**
 * How a reader (or a tool) tells a value the plan's mocks invented from one the program chose.
 *
 * Everything that AWS or Kubernetes would pick at random or from the account (ids, random
 * suffixes, per-account hashes in endpoints, the account itself) carries a mark, in whatever
 * alphabet the format allows, the way AWS's own documentation writes its examples:
 *
 * - digits and hex: the example account's digits, `123456789012`, or its first digits where the
 *   format is shorter (EC2 ids end in `12345678`, UUIDs in `-123456789012`, autonamed names in
 *   `-1234567`, RDS endpoints read `<id>.123456789012.<region>.rds.amazonaws.com`);
 * - upper-case ids: the word `EXAMPLE` (hosted zones `Z…EXAMPLE`, role ids `AROA…EXAMPLE`, EKS
 *   endpoints `https://…EXAMPLE.gr7.<region>.eks.amazonaws.com`), as in `AKIAIOSFODNN7EXAMPLE`;
 * - name servers: the reserved top-level domain `.example` (RFC 2606), so that a copied
 *   delegation can point at nobody's zone;
 * - public IP addresses: the documentation range 198.51.100.0/24 (RFC 5737);
 * - PagerDuty object ids, seven characters (`P` and six upper-case letters or digits), too short for
 *   the account's digits and a variety of ids: `P`, two characters, then `1234` (`PQ71234`).
 *
 * Values AWS derives from the program's own inputs (a bucket's ARN from the bucket name the
 * program gave, `<bucket>.s3.amazonaws.com`) are left as AWS would derive them: they are the real
 * values, not inventions. Every resource `id` in an offline plan is the mocks' answer.
 */

/** The account every mocked ARN lives in: the one AWS's documentation uses for its examples. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** The word the mocks put in upper-case ids. */
export const EXAMPLE = "EXAMPLE";

/** The documentation network public IP addresses come from (RFC 5737 TEST-NET-2). */
export const MOCK_PUBLIC_NETWORK = "198.51.100";

/** The end of the PagerDuty ids the mocks make: `P<two characters>1234`. */
export const PAGERDUTY_ID_MARK = MOCK_ACCOUNT_ID.slice(0, 4);

/** The shortest run of the account's digits any mark uses (ElastiCache's six-character hash). */
const DIGITS_MARK = MOCK_ACCOUNT_ID.slice(0, 6);

/**
 * Finds every mark in a text. Global: use with `matchAll`, or `isMockMade` for a yes or no.
 * The `.example` alternative stops where a label or a dot follows, so `api.example.com` (a
 * domain the program chose) is not taken for one.
 */
export const MOCK_MARK = new RegExp(
    `${DIGITS_MARK}|${EXAMPLE}|\\.example(?![\\w.-])|\\b${MOCK_PUBLIC_NETWORK.replace(/\./g, "\\.")}\\.\\d{1,3}\\b|\\bP[A-Z0-9]{2}${PAGERDUTY_ID_MARK}\\b`,
    "g",
);

/** True when a text contains a value the mocks invented. */
export function isMockMade(text: string): boolean {
    return new RegExp(MOCK_MARK.source).test(text);
}
