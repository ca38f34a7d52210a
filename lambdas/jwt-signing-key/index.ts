import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { RotationContext, RotationError, RotationSteps, createPendingOnce, currentValue, pendingValue, rotationHandler } from "../shared/rotation";
import { parseJwtKeys, rotateJwtKeys, rotationProblem } from "./key";

/**
 * Rotation of the JWT signing key (`<app>/<environment>/SECRET_KEY`, see key.ts). The keys live
 * only in the secret, so `setSecret` has nothing to change elsewhere; `testSecret` checks that
 * the pending value promotes the published `next` key and keeps the signing key as `previous`.
 *
 * A `next` key signs only once every pod can have it: External Secrets refreshes the app's Secret
 * within its refresh interval and the Reloader rolls the pods after that, so createSecret refuses
 * to promote a `next` younger than `MIN_NEXT_KEY_AGE_SECONDS` (two rotations in a row, by hand).
 * The scheduled rotation, a whole period after the last one, always passes.
 */

/** Refresh interval (1 h) plus a rollout of every pod, with room: the youngest `next` key that may sign. */
export const DEFAULT_MIN_NEXT_KEY_AGE_SECONDS = 2 * 3600;

export interface JwtRotationDeps {
    /** Seconds a `next` key must have been published before it signs. */
    minNextKeyAgeSeconds: number;
    now?: () => Date;
}

/** The rotation steps. */
export function jwtSteps(deps: JwtRotationDeps): RotationSteps {
    return {
        async createSecret(ctx: RotationContext) {
            await createPendingOnce(ctx, async (current) => {
                const keys = parseJwtKeys(current.value);
                if (keys.next !== undefined) {
                    // The current version published this `next` key when it was created.
                    const published = current.createdDate;
                    const now = (deps.now ?? (() => new Date()))();
                    const age = published ? (now.getTime() - published.getTime()) / 1000 : -1;
                    if (age < deps.minNextKeyAgeSeconds) {
                        throw new RotationError(
                            `The next JWT key was published ${published ? `${Math.floor(age / 60)} minutes` : "at an unknown time"} ago; it signs no sooner than ` +
                                `${Math.ceil(deps.minNextKeyAgeSeconds / 60)} minutes after, once every pod can hold it. Rotate again later (docs/runbooks/secret-overdue.md).`,
                        );
                    }
                }
                return JSON.stringify(rotateJwtKeys(keys));
            });
        },
        async setSecret() {
            // Nothing outside Secrets Manager holds the keys.
        },
        async testSecret(ctx: RotationContext) {
            const current = await currentValue(ctx);
            const pending = await pendingValue(ctx);
            const keys = parseJwtKeys(pending);
            // RotateImmediately=false: Secrets Manager tests the configuration by running testSecret
            // on an AWSPENDING version it creates and removes; a copy of the current value has
            // nothing to compare, and readable keys are all there is to test.
            if (pending === current) return;
            const problem = rotationProblem(parseJwtKeys(current), keys);
            if (problem) throw new Error(problem);
        },
    };
}

/**
 * `MIN_NEXT_KEY_AGE_SECONDS`: whole seconds, 0 or more. Anything else, an empty value included
 * (which `Number` reads as 0, turning the wait off), is the default.
 */
export function minAgeFromEnv(value: string | undefined): number {
    // Stryker disable next-line ConditionalExpression: RegExp#test reads undefined as "undefined", which the pattern refuses too; the first test is for the type checker
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : DEFAULT_MIN_NEXT_KEY_AGE_SECONDS;
}

export const handler = rotationHandler(new SecretsManagerClient({}), jwtSteps({ minNextKeyAgeSeconds: minAgeFromEnv(process.env["MIN_NEXT_KEY_AGE_SECONDS"]) }));
