import {
    DescribeSecretCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";

/**
 * The Secrets Manager rotation protocol, shared by the rotation Lambdas. Secrets Manager calls a
 * rotation function four times with one `ClientRequestToken` (the new version's id):
 *
 * 1. `createSecret`: put the new value as version `token`, labelled AWSPENDING;
 * 2. `setSecret`: make the new value valid where it is used (the database);
 * 3. `testSecret`: prove the new value works;
 * 4. `finishSecret`: move AWSCURRENT to the new version (Secrets Manager moves AWSPREVIOUS to the
 *    old one).
 *
 * Until step 4, AWSCURRENT still names the old value, and every step is idempotent: a failure at
 * any step leaves the app on a working secret, and Secrets Manager's retry with the same token
 * resumes where it stopped instead of starting a second, different rotation.
 */

export const ROTATION_STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The event Secrets Manager invokes a rotation function with. */
export interface RotationEvent {
    SecretId: string;
    ClientRequestToken: string;
    Step: RotationStep;
}

/** What one rotation's steps have at hand. */
export interface RotationContext {
    sm: SecretsManagerClient;
    secretId: string;
    token: string;
}

/** The secret-specific steps; `finishSecret` is the same for every secret. */
export interface RotationSteps {
    createSecret(ctx: RotationContext): Promise<void>;
    setSecret(ctx: RotationContext): Promise<void>;
    testSecret(ctx: RotationContext): Promise<void>;
}

/** A rotation refused before any step runs: Secrets Manager records the failure, nothing changes. */
export class RotationError extends Error {
    override readonly name = "RotationError";
}

/** The secret string of a version by stage (and id), or undefined when no such version exists. */
export async function getSecretString(
    sm: SecretsManagerClient,
    secretId: string,
    stage: "AWSCURRENT" | "AWSPENDING" | "AWSPREVIOUS",
    versionId?: string,
): Promise<string | undefined> {
    try {
        const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) }));
        if (out.SecretString === undefined) throw new RotationError(`Secret ${secretId} (${stage}) has no SecretString; binary secrets are not rotated here.`);
        return out.SecretString;
    } catch (e) {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
    }
}

/** The AWSCURRENT value, which must exist. */
export async function currentValue(ctx: RotationContext): Promise<string> {
    const v = await getSecretString(ctx.sm, ctx.secretId, "AWSCURRENT");
    if (v === undefined) throw new RotationError(`Secret ${ctx.secretId} has no AWSCURRENT version.`);
    return v;
}

/** This rotation's AWSPENDING value, which `createSecret` must have written. */
export async function pendingValue(ctx: RotationContext): Promise<string> {
    const v = await getSecretString(ctx.sm, ctx.secretId, "AWSPENDING", ctx.token);
    if (v === undefined) throw new RotationError(`Secret ${ctx.secretId} has no AWSPENDING version ${ctx.token}: createSecret has not run.`);
    return v;
}

/**
 * `createSecret` around a value generator: when this rotation's pending version already exists (a
 * retry), it is kept, so a retried rotation never produces a second password.
 */
export async function createPendingOnce(ctx: RotationContext, generate: (current: string) => Promise<string>): Promise<void> {
    const current = await currentValue(ctx);
    if ((await getSecretString(ctx.sm, ctx.secretId, "AWSPENDING", ctx.token)) !== undefined) return;
    const next = await generate(current);
    await ctx.sm.send(
        new PutSecretValueCommand({ SecretId: ctx.secretId, ClientRequestToken: ctx.token, SecretString: next, VersionStages: ["AWSPENDING"] }),
    );
}

/** `finishSecret`: AWSCURRENT moves to this rotation's version (a no-op when it is already there). */
export async function finishSecret(ctx: RotationContext): Promise<void> {
    const described = await ctx.sm.send(new DescribeSecretCommand({ SecretId: ctx.secretId }));
    const stages = described.VersionIdsToStages ?? {};
    const current = Object.keys(stages).find((v) => stages[v]?.includes("AWSCURRENT"));
    if (current === ctx.token) return;
    await ctx.sm.send(
        new UpdateSecretVersionStageCommand({
            SecretId: ctx.secretId,
            VersionStage: "AWSCURRENT",
            MoveToVersionId: ctx.token,
            ...(current ? { RemoveFromVersionId: current } : {}),
        }),
    );
}

/**
 * A Lambda handler running one step of a rotation, after the checks AWS's rotation templates
 * make: rotation is on, the token names a version of this secret, and that version is AWSPENDING
 * (or already AWSCURRENT, when a finished rotation is retried: nothing to do).
 */
export function rotationHandler(sm: SecretsManagerClient, steps: RotationSteps): (event: RotationEvent) => Promise<void> {
    return async (event) => {
        const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
        if (!(ROTATION_STEPS as readonly string[]).includes(step)) throw new RotationError(`Unknown rotation step ${String(step)}.`);
        const described = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
        if (described.RotationEnabled !== true) throw new RotationError(`Secret ${secretId} does not have rotation enabled.`);
        const stages = described.VersionIdsToStages?.[token];
        if (!stages) throw new RotationError(`Secret ${secretId} has no version ${token} to rotate to.`);
        if (stages.includes("AWSCURRENT")) return;
        if (!stages.includes("AWSPENDING")) throw new RotationError(`Version ${token} of secret ${secretId} is not AWSPENDING.`);
        const ctx: RotationContext = { sm, secretId, token };
        if (step === "finishSecret") await finishSecret(ctx);
        else await steps[step](ctx);
    };
}
