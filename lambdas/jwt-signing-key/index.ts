import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { RotationContext, RotationSteps, createPendingOnce, currentValue, pendingValue, rotationHandler } from "../shared/rotation";
import { parseJwtKeys, rotateJwtKeys } from "./key";

/**
 * Rotation of the JWT signing key (`<app>/<environment>/SECRET_KEY`). The key lives only in the
 * secret, so `setSecret` has nothing to change elsewhere; `testSecret` checks that the pending
 * value keeps the current signing key as its `previous`, which is what keeps tokens issued before
 * the rotation verifiable.
 */
export const steps: RotationSteps = {
    async createSecret(ctx: RotationContext) {
        await createPendingOnce(ctx, async (current) => JSON.stringify(rotateJwtKeys(parseJwtKeys(current))));
    },
    async setSecret() {
        // Nothing outside Secrets Manager holds the key.
    },
    async testSecret(ctx: RotationContext) {
        const pending = parseJwtKeys(await pendingValue(ctx));
        const current = parseJwtKeys(await currentValue(ctx));
        if (pending.previous !== current.current) {
            throw new Error("The pending JWT key secret does not keep the current signing key as previous: tokens issued now would stop verifying.");
        }
        if (pending.current === current.current) throw new Error("The pending JWT key secret has the same signing key as the current one.");
    },
};

export const handler = rotationHandler(new SecretsManagerClient({}), steps);
