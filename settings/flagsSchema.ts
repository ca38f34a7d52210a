import { z } from "zod";

/**
 * Settings of the feature-flags layer (runbook 2.4): where the flags file is, the AppConfig Agent
 * beside the app, and how a new flags version rolls out on a cloud stack. The flags themselves
 * are `flags/flags.yaml` (modules/flags/definition.ts checks it); defaults live in `profiles.ts`.
 */

/** The agent version from which it evaluates multi-variant flags (AppConfig user guide, "Creating a multi-variant feature flag"). */
export const AGENT_MIN_VERSION = [2, 0, 4416] as const;

/** The agent image: AWS's (ECR Public) or a mirror of it, pinned to a version or a digest. */
const AGENT_IMAGE = /^([a-z0-9.-]+(:\d+)?\/)([a-z0-9._-]+\/)*aws-appconfig-agent(:(\d+)\.(\d+)\.(\d+)|@sha256:[a-f0-9]{64})$/;

/** Whether a tagged agent image is at least `AGENT_MIN_VERSION` (a digest is taken as given, a malformed reference left to the pattern). */
export function agentVersionSupported(image: string): boolean {
    const m = AGENT_IMAGE.exec(image);
    // Not an agent image at all: the pattern says so, once.
    if (!m || m[5] === undefined) return true;
    const v = [Number(m[5]), Number(m[6]), Number(m[7])];
    for (let i = 0; i < 3; i++) if (v[i] !== AGENT_MIN_VERSION[i]) return v[i]! > AGENT_MIN_VERSION[i]!;
    return true;
}

const minutes = z.number().int().min(0).max(1440);

export const flagsSchema = z
    .strictObject({
        file: z
            .string()
            .regex(/^[A-Za-z0-9_./-]+\.ya?ml$/, "a path to a .yaml file, relative to the project root, such as flags/flags.yaml")
            .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "a path inside the project (relative, no `..`)")
            .meta({ description: "The flags file (relative to the project root): every flag, its owner, removal date and value per environment (docs/flags.md)." }),
        agentImage: z
            .string()
            .regex(AGENT_IMAGE, "the AppConfig Agent image pinned to a version or digest, such as public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147 or its mirror in the stack's ECR")
            .refine(agentVersionSupported, `version ${AGENT_MIN_VERSION.join(".")} or later (earlier agents cannot evaluate multi-variant flags: rollouts and A/B tests)`)
            .meta({ description: "AWS AppConfig Agent image of the sidecar, pinned. ECR Public serves from us-east-1: a stack that must not depend on it (a DR rebuild) names its own region's mirror." }),
        pollIntervalSeconds: z
            .number()
            .int()
            .min(15)
            .max(300)
            .meta({ description: "How often the agent asks AppConfig for a new version, seconds (AppConfig's minimum is 15): the longest a kill switch takes to reach a pod." }),
        rollout: z
            .strictObject({
                growthType: z.enum(["LINEAR", "EXPONENTIAL"]).meta({ description: "LINEAR: the same share at each step; EXPONENTIAL: doubling from growthPercent." }),
                growthPercent: z.number().min(1).max(100).meta({ description: "Share of the agents given the new flags at each step, percent." }),
                durationMinutes: minutes.meta({ description: "The whole rollout of a new flags version, minutes (0 to 1440)." }),
                bakeMinutes: minutes.meta({ description: "After the last step, minutes the alarms are still watched and a rollback is automatic (0 to 1440)." }),
            })
            .meta({ description: "How `pulumi up` rolls a changed flags file out to the agents (an AppConfig deployment strategy); a kill switch uses the immediate one." }),
    })
    .meta({ description: "Feature flags (runbook 2.4): the flags file, the AppConfig Agent sidecar, the rollout of a new version (docs/flags.md)." });

/** Production rolls new flags out step by step and watches the alarms after the last step. */
export function flagsRules(s: Record<string, unknown>, ctx: z.RefinementCtx): void {
    if (s["environment"] !== "production") return;
    const rollout = (s["flags"] as { rollout?: Record<string, unknown> } | undefined)?.rollout;
    if (!rollout) return;
    if (typeof rollout["growthPercent"] === "number" && rollout["growthPercent"] >= 100) {
        ctx.addIssue({ code: "custom", path: ["flags", "rollout", "growthPercent"], input: rollout["growthPercent"], message: "less than 100 in production: a new flags version reaches a share of the agents first, so a bad one rolls back before it reaches all (runbook 1.2)" });
    }
    if (typeof rollout["bakeMinutes"] === "number" && rollout["bakeMinutes"] < 5) {
        ctx.addIssue({ code: "custom", path: ["flags", "rollout", "bakeMinutes"], input: rollout["bakeMinutes"], message: "at least 5 in production: the 5-minute error-rate alarm must be able to fire before the rollout counts as done" });
    }
}
