/**
 * How long a rotated value takes to reach every pod, against which the JWT key schedule is set.
 * Pure: the component, the tests and docs/secrets.md use the same numbers.
 *
 * After a rotation, External Secrets Operator writes the new value into the app's Secret within
 * one refresh interval; the Reloader then rolls the Deployments (docs/secrets.md gives the
 * figures). A new JWT key is therefore published verify-only for at least that long, plus a
 * rollout, before any pod signs with it.
 */

/** Time allowed for a rollout of every track after the Secret changes (each Deployment's progress deadline is 10 minutes). */
export const ROLLOUT_ALLOWANCE_SECONDS = 3600;

/** Seconds in an ESO refresh interval, a Go duration such as `1h`, `30m`, `1h30m` or `90s`. */
export function durationSeconds(duration: string): number {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
    if (!m || duration === "") throw new Error(`The refresh interval ${JSON.stringify(duration)} is not a duration such as 1h, 30m or 1h30m.`);
    const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    if (seconds === 0) throw new Error("A refresh interval of 0 turns External Secrets' refresh off: rotated values would never reach the pods.");
    return seconds;
}

/** The youngest a published (`next`) JWT key may be when a rotation makes it sign. */
export function minNextKeyAgeSeconds(refreshInterval: string): number {
    return durationSeconds(refreshInterval) + ROLLOUT_ALLOWANCE_SECONDS;
}
