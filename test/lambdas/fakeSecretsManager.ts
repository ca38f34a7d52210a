import {
    DescribeSecretCommand,
    GetRandomPasswordCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";

/**
 * An in-memory Secrets Manager behind aws-sdk-client-mock: versions with staging labels, as the
 * service keeps them, so tests can follow a rotation step by step and check what state a failure
 * leaves behind. `startRotation` does what RotateSecret does before calling the function: it
 * registers the new version id as AWSPENDING, without a value yet.
 */

interface Version {
    value?: string;
    stages: Set<string>;
}

interface Secret {
    rotationEnabled: boolean;
    versions: Map<string, Version>;
}

function notFound(message: string): ResourceNotFoundException {
    return new ResourceNotFoundException({ message, $metadata: {} });
}

export class FakeSecretsManager {
    readonly client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    readonly mock: AwsClientStub<SecretsManagerClient>;
    private readonly secrets = new Map<string, Secret>();
    private passwords: string[] = [];
    /** Passwords handed out by GetRandomPassword, in order. */
    readonly issuedPasswords: string[] = [];

    constructor() {
        const m = mockClient(this.client);
        m.on(DescribeSecretCommand).callsFake((input: { SecretId: string }) => {
            const s = this.secret(input.SecretId);
            return {
                RotationEnabled: s.rotationEnabled,
                VersionIdsToStages: Object.fromEntries([...s.versions].map(([id, v]) => [id, [...v.stages]])),
            };
        });
        m.on(GetSecretValueCommand).callsFake((input: { SecretId: string; VersionId?: string; VersionStage?: string }) => {
            const s = this.secret(input.SecretId);
            const stage = input.VersionStage ?? "AWSCURRENT";
            const entry = input.VersionId
                ? ([input.VersionId, s.versions.get(input.VersionId)] as const)
                : [...s.versions].find(([, v]) => v.stages.has(stage));
            const [id, version] = entry ?? [];
            if (!id || !version || !version.stages.has(stage) || version.value === undefined) {
                throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${stage}`);
            }
            return { ARN: input.SecretId, VersionId: id, SecretString: version.value, VersionStages: [...version.stages] };
        });
        m.on(PutSecretValueCommand).callsFake((input: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages?: string[] }) => {
            const s = this.secret(input.SecretId);
            const existing = s.versions.get(input.ClientRequestToken);
            if (existing?.value !== undefined && existing.value !== input.SecretString) {
                throw new Error("ResourceExistsException: a version with this token and another value exists");
            }
            const stages = input.VersionStages ?? ["AWSCURRENT"];
            for (const stage of stages) for (const v of s.versions.values()) v.stages.delete(stage);
            s.versions.set(input.ClientRequestToken, { value: input.SecretString, stages: new Set([...(existing?.stages ?? []), ...stages]) });
            return { VersionId: input.ClientRequestToken };
        });
        m.on(UpdateSecretVersionStageCommand).callsFake(
            (input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
                const s = this.secret(input.SecretId);
                const holder = [...s.versions].find(([, v]) => v.stages.has(input.VersionStage))?.[0];
                if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
                    throw new Error(`InvalidParameterException: ${input.VersionStage} is on ${holder}; RemoveFromVersionId must name it`);
                }
                if (holder !== undefined) s.versions.get(holder)!.stages.delete(input.VersionStage);
                if (input.MoveToVersionId) {
                    const target = s.versions.get(input.MoveToVersionId);
                    if (!target) throw notFound(`no version ${input.MoveToVersionId}`);
                    target.stages.add(input.VersionStage);
                    // Moving AWSCURRENT labels the version it left AWSPREVIOUS, as Secrets Manager does.
                    if (input.VersionStage === "AWSCURRENT" && holder !== undefined && holder !== input.MoveToVersionId) {
                        for (const v of s.versions.values()) v.stages.delete("AWSPREVIOUS");
                        s.versions.get(holder)!.stages.add("AWSPREVIOUS");
                    }
                }
                return {};
            },
        );
        m.on(GetRandomPasswordCommand).callsFake(() => {
            const p = this.passwords.shift() ?? `generated${this.issuedPasswords.length + 1}`;
            this.issuedPasswords.push(p);
            return { RandomPassword: p };
        });
        this.mock = m;
    }

    /** Creates a secret whose AWSCURRENT version `v0` holds `value`. */
    create(id: string, value: string, rotationEnabled = true): void {
        this.secrets.set(id, { rotationEnabled, versions: new Map([["v0", { value, stages: new Set(["AWSCURRENT"]) }]]) });
    }

    /** The passwords GetRandomPassword returns next. */
    nextPasswords(...passwords: string[]): void {
        this.passwords.push(...passwords);
    }

    /** What RotateSecret registers before invoking the function. */
    startRotation(id: string, token: string): void {
        const s = this.secret(id);
        for (const v of s.versions.values()) v.stages.delete("AWSPENDING");
        s.versions.set(token, { stages: new Set(["AWSPENDING"]) });
    }

    /** The value holding a staging label, or undefined. */
    valueAt(id: string, stage: string): string | undefined {
        return [...this.secret(id).versions.values()].find((v) => v.stages.has(stage))?.value;
    }

    /** Version id to labels, as DescribeSecret reports them. */
    stages(id: string): Record<string, string[]> {
        return Object.fromEntries([...this.secret(id).versions].map(([vid, v]) => [vid, [...v.stages].sort()]));
    }

    /** Names of the commands sent, in order. */
    calls(): string[] {
        return this.mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
    }

    private secret(id: string): Secret {
        const s = this.secrets.get(id);
        if (!s) throw notFound(`Secrets Manager can't find the specified secret ${id}`);
        return s;
    }
}

/** Runs the four steps in order, as Secrets Manager does, stopping at the first failure. */
export async function runRotation(
    handler: (e: { SecretId: string; ClientRequestToken: string; Step: "createSecret" | "setSecret" | "testSecret" | "finishSecret" }) => Promise<void>,
    secretId: string,
    token: string,
): Promise<void> {
    for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
        await handler({ SecretId: secretId, ClientRequestToken: token, Step });
    }
}
