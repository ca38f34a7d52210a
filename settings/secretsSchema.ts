import { z } from "zod";
import { positiveInt } from "./primitives";

/**
 * The settings of the secrets layer (runbook 2.2, 2.3): rotation periods, the Secrets Manager
 * secrets and their delivery, the KMS keys' deletion window, and the app's one secret setting.
 * Declared here and composed into the one schema in `schema.ts`; defaults live in `profiles.ts`.
 */

/** A secret string: validated here, then held as a Pulumi secret by the loader. */
const secretString = z.string().min(1).meta({ secret: true });

export const rotationSchema = z
    .strictObject({
        databasePasswordDays: positiveInt.max(1000).meta({ description: "Database password rotation period (runbook 2.3: 90)." }),
        apiKeyDays: positiveInt.max(1000).meta({ description: "API key rotation period (runbook 2.3: 180)." }),
        jwtSigningKeyDays: positiveInt.max(1000).meta({ description: "JWT signing key rotation period (runbook 2.3: 365)." }),
    })
    .meta({ description: "Secret rotation periods in days (Secrets Manager accepts 1 to 1000)." });

export const secretsSchema = z
    .strictObject({
        refreshInterval: z
            .string()
            .regex(/^[1-9]\d*(m|h)$/, "a duration in minutes or hours such as 15m or 1h")
            .meta({ description: "How often External Secrets Operator re-reads Secrets Manager into the app's Kubernetes Secret (a rotation reaches the Secret within this)." }),
        recoveryWindowDays: z
            .number()
            .int()
            .min(7)
            .max(30)
            .meta({ description: "Days a deleted Secrets Manager secret can still be restored (7 to 30; force-deletion is not offered)." }),
        replicateToDr: z
            .boolean()
            .meta({ description: "Replicate the secrets to the DR region (encrypted with the DR secrets key), so a DR rebuild finds them there." }),
        keyDeletionWindowDays: z
            .number()
            .int()
            .min(7)
            .max(30)
            .meta({ description: "Days before a deleted KMS key is gone; data under a deleted key is lost for good (7 to 30)." }),
        pathScope: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, "lower-case letters, digits and dashes, such as production-dr")
            .optional()
            .meta({
                description:
                    "Middle of the secret names, `<appName>/<pathScope>/<NAME>`. Default: the environment. A DR rebuild sets its own (production-dr), since production's replicas already hold `<appName>/production/*` in that region. Changing it creates new secrets.",
            }),
    })
    .meta({ description: "Secrets Manager secrets, their delivery to pods and the KMS keys (docs/secrets.md)." });

/** EXTERNAL_API_KEY: a secret, required of the stacks that store or deliver it (the layers' checks say which). */
export const externalApiKeySchema = secretString.optional().meta({
    secret: true,
    description: "EXTERNAL_API_KEY for the app. Secret: `pulumi config set --secret externalApiKey ...`.",
});
