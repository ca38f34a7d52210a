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
    /**
     * Runs after AWSCURRENT has moved to this rotation's version, and again on every retried
     * `finishSecret` (so it must be idempotent): for example, taking AWSPREVIOUS off a version
     * that must not stay readable under a label.
     */
    afterFinish?(ctx: RotationContext): Promise<void>;
}

/** A rotation refused before any step runs: Secrets Manager records the failure, nothing changes. */
export class RotationError extends Error {
    override readonly name = "RotationError";
}

/** One version of a secret: its id, value and creation date. */
export interface SecretVersion {
    versionId: string;
    value: string;
    createdDate?: Date;
}

/**
 * The version holding a staging label (and, when given, with that id), or undefined when no
 * such version exists. Only ResourceNotFoundException means "no such version": any other error
 * (throttling, a KMS key it may not use, a network failure) propagates, so a step never acts on
 * a version it merely failed to read.
 */
export async function getSecretVersion(
    sm: SecretsManagerClient,
    secretId: string,
    stage: "AWSCURRENT" | "AWSPENDING" | "AWSPREVIOUS",
    versionId?: string,
): Promise<SecretVersion | undefined> {
    let out;
    try {
        out = await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) }));
    } catch (e) {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
    }
    if (out.SecretString === undefined) throw new RotationError(`Secret ${secretId} (${stage}) has no SecretString; binary secrets are not rotated here.`);
    return { versionId: out.VersionId ?? versionId ?? "", value: out.SecretString, ...(out.CreatedDate ? { createdDate: out.CreatedDate } : {}) };
}

/** The secret string of a version by stage (and id), or undefined when no such version exists. */
export async function getSecretString(
    sm: SecretsManagerClient,
    secretId: string,
    stage: "AWSCURRENT" | "AWSPENDING" | "AWSPREVIOUS",
    versionId?: string,
): Promise<string | undefined> {
    return (await getSecretVersion(sm, secretId, stage, versionId))?.value;
}

/** The AWSCURRENT version, which must exist. */
export async function currentVersion(ctx: RotationContext): Promise<SecretVersion> {
    const v = await getSecretVersion(ctx.sm, ctx.secretId, "AWSCURRENT");
    if (v === undefined) throw new RotationError(`Secret ${ctx.secretId} has no AWSCURRENT version.`);
    return v;
}

/** The AWSCURRENT value, which must exist. */
export async function currentValue(ctx: RotationContext): Promise<string> {
    return (await currentVersion(ctx)).value;
}

/** This rotation's AWSPENDING value, which `createSecret` must have written. */
export async function pendingValue(ctx: RotationContext): Promise<string> {
    const v = await getSecretString(ctx.sm, ctx.secretId, "AWSPENDING", ctx.token);
    if (v === undefined) throw new RotationError(`Secret ${ctx.secretId} has no AWSPENDING version ${ctx.token}: createSecret has not run.`);
    return v;
}

/**
 * `createSecret` around a value generator: when this rotation's pending version already exists (a
 * retry), it is kept, so a retried rotation never produces a second password. The new version
 * gets AWSPENDING only: a PutSecretValue without VersionStages would make it AWSCURRENT at once,
 * before setSecret and testSecret.
 */
export async function createPendingOnce(ctx: RotationContext, generate: (current: SecretVersion) => Promise<string>): Promise<void> {
    const current = await currentVersion(ctx);
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
 * (or already AWSCURRENT, when a finished rotation is retried: nothing to do but `afterFinish`).
 */
export function rotationHandler(sm: SecretsManagerClient, steps: RotationSteps): (event: RotationEvent) => Promise<void> {
    return async (event) => {
        const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
        if (!(ROTATION_STEPS as readonly string[]).includes(step)) throw new RotationError(`Unknown rotation step ${String(step)}.`);
        const described = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
        if (described.RotationEnabled !== true) throw new RotationError(`Secret ${secretId} does not have rotation enabled.`);
        const stages = described.VersionIdsToStages?.[token];
        if (!stages) throw new RotationError(`Secret ${secretId} has no version ${token} to rotate to.`);
        const ctx: RotationContext = { sm, secretId, token };
        if (stages.includes("AWSCURRENT")) {
            if (step === "finishSecret" && steps.afterFinish) await steps.afterFinish(ctx);
            return;
        }
        if (!stages.includes("AWSPENDING")) throw new RotationError(`Version ${token} of secret ${secretId} is not AWSPENDING.`);
        if (step === "finishSecret") {
            await finishSecret(ctx);
            if (steps.afterFinish) await steps.afterFinish(ctx);
        } else await steps[step](ctx);
    };
}
