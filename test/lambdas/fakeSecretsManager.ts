import {
    DescribeSecretCommand,
    GetRandomPasswordCommand,
    GetSecretValueCommand,
    InvalidParameterException,
    InvalidRequestException,
    PutSecretValueCommand,
    ResourceExistsException,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";

/**
 * An in-memory Secrets Manager behind aws-sdk-client-mock, as strict as the service where the
 * rotation depends on it (the Secrets Manager API reference; "How rotation works" in its user
 * guide):
 *
 * - staging labels: each on one version at most; moving AWSCURRENT (UpdateSecretVersionStage or
 *   PutSecretValue) moves AWSPREVIOUS to the version it left; a label already on another version
 *   moves only when RemoveFromVersionId names that version (InvalidParameterException otherwise);
 *   a version left without labels is deprecated (DescribeSecret no longer lists it);
 * - PutSecretValue with an existing token and another value is ResourceExistsException;
 * - GetSecretValue with VersionId and VersionStage needs both to name one version;
 * - RotateSecret (`startRotation`) refuses while AWSPENDING is on a version other than AWSCURRENT
 *   ("a previous rotation isn't complete"), and registers the new version as AWSPENDING without a
 *   value; after a successful finishSecret the service takes AWSPENDING off the new version
 *   (`rotate`, `resume`), so a next RotateSecret can start;
 * - with RotateImmediately=false, the service tests the configuration by running only testSecret
 *   on an AWSPENDING version it creates and removes (`configurationTest`: a copy of AWSCURRENT).
 *
 * `failNext` makes the next call of a command throw, to fail a rotation at a chosen step.
 */

interface Version {
    value?: string;
    stages: Set<string>;
    created: Date;
}

interface Secret {
    rotationEnabled: boolean;
    versions: Map<string, Version>;
}

type Step = "createSecret" | "setSecret" | "testSecret" | "finishSecret";
export type Handler = (e: { SecretId: string; ClientRequestToken: string; Step: Step }) => Promise<void>;

const meta = { $metadata: {} };
const notFound = (message: string) => new ResourceNotFoundException({ message, ...meta });
const invalidParameter = (message: string) => new InvalidParameterException({ message, ...meta });
const invalidRequest = (message: string) => new InvalidRequestException({ message, ...meta });

export class FakeSecretsManager {
    readonly client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    readonly mock: AwsClientStub<SecretsManagerClient>;
    private readonly secrets = new Map<string, Secret>();
    private passwords: string[] = [];
    private readonly failures: Array<{ command: string; error: Error; when?: (input: Record<string, unknown>) => boolean }> = [];
    /** Passwords handed out by GetRandomPassword, in order. */
    readonly issuedPasswords: string[] = [];
    /** The service's clock: the creation date of new versions. */
    now = new Date("2026-01-01T00:00:00Z");

    constructor() {
        const m = mockClient(this.client);
        m.on(DescribeSecretCommand).callsFake(this.guard("DescribeSecretCommand", (input: { SecretId: string }) => {
            const s = this.secret(input.SecretId);
            return { RotationEnabled: s.rotationEnabled, VersionIdsToStages: this.stages(input.SecretId) };
        }));
        m.on(GetSecretValueCommand).callsFake(this.guard("GetSecretValueCommand", (input: { SecretId: string; VersionId?: string; VersionStage?: string }) => {
            const s = this.secret(input.SecretId);
            const stage = input.VersionStage ?? (input.VersionId ? undefined : "AWSCURRENT");
            const entry = input.VersionId ? ([input.VersionId, s.versions.get(input.VersionId)] as const) : [...s.versions].find(([, v]) => v.stages.has(stage!));
            const [id, version] = entry ?? [];
            if (!id || !version || (stage !== undefined && !version.stages.has(stage)) || version.value === undefined) {
                throw notFound(`Secrets Manager can't find the specified secret value for ${input.VersionId ? `VersionId: ${input.VersionId}` : `staging label: ${stage}`}`);
            }
            return { ARN: input.SecretId, VersionId: id, SecretString: version.value, VersionStages: [...version.stages], CreatedDate: version.created };
        }));
        m.on(PutSecretValueCommand).callsFake(this.guard("PutSecretValueCommand", (input: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages?: string[] }) => {
            const s = this.secret(input.SecretId);
            const existing = s.versions.get(input.ClientRequestToken);
            if (existing?.value !== undefined) {
                if (existing.value !== input.SecretString) {
                    throw new ResourceExistsException({ message: `You can't use ClientRequestToken ${input.ClientRequestToken} because that value is already in use for a version of secret ${input.SecretId}.`, ...meta });
                }
                return { VersionId: input.ClientRequestToken, VersionStages: [...existing.stages] };
            }
            const version: Version = existing ?? { stages: new Set(), created: this.now };
            version.value = input.SecretString;
            s.versions.set(input.ClientRequestToken, version);
            for (const stage of input.VersionStages ?? ["AWSCURRENT"]) this.attach(s, stage, input.ClientRequestToken);
            return { VersionId: input.ClientRequestToken, VersionStages: [...version.stages] };
        }));
        m.on(UpdateSecretVersionStageCommand).callsFake(this.guard("UpdateSecretVersionStageCommand", (input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
            const s = this.secret(input.SecretId);
            const holder = [...s.versions].find(([, v]) => v.stages.has(input.VersionStage))?.[0];
            if (input.MoveToVersionId === undefined) {
                if (!input.RemoveFromVersionId || holder !== input.RemoveFromVersionId) {
                    throw invalidParameter(`The staging label ${input.VersionStage} is not attached to version ${input.RemoveFromVersionId ?? "(none given)"}.`);
                }
                s.versions.get(holder)!.stages.delete(input.VersionStage);
                return { ARN: input.SecretId, Name: input.SecretId };
            }
            if (!s.versions.has(input.MoveToVersionId)) throw notFound(`Secrets Manager can't find the specified secret version: ${input.MoveToVersionId}`);
            if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
                throw invalidParameter(`The parameter RemoveFromVersionId doesn't match the current version that ${input.VersionStage} is attached to (${holder}).`);
            }
            this.attach(s, input.VersionStage, input.MoveToVersionId);
            return { ARN: input.SecretId, Name: input.SecretId };
        }));
        m.on(GetRandomPasswordCommand).callsFake(this.guard("GetRandomPasswordCommand", () => {
            const p = this.passwords.shift() ?? `generated${this.issuedPasswords.length + 1}`;
            this.issuedPasswords.push(p);
            return { RandomPassword: p };
        }));
        this.mock = m;
    }

    /** Creates a secret whose AWSCURRENT version `v0` holds `value`. */
    create(id: string, value: string, rotationEnabled = true): void {
        this.secrets.set(id, { rotationEnabled, versions: new Map([["v0", { value, stages: new Set(["AWSCURRENT"]), created: this.now }]]) });
    }

    /** CancelRotateSecret: rotation off, labels left where they are. */
    disableRotation(id: string): void {
        this.secret(id).rotationEnabled = false;
    }

    /** The passwords GetRandomPassword returns next. */
    nextPasswords(...passwords: string[]): void {
        this.passwords.push(...passwords);
    }

    /** The next call of `command` (e.g. "PutSecretValueCommand") matching `when` throws `error`. */
    failNext(command: string, error: Error, when?: (input: Record<string, unknown>) => boolean): void {
        this.failures.push({ command, error, ...(when ? { when } : {}) });
    }

    /** What RotateSecret does before invoking the function: refuses while a rotation is unfinished, registers AWSPENDING. */
    startRotation(id: string, token: string): void {
        const s = this.secret(id);
        if (!s.rotationEnabled) throw invalidRequest("You can't rotate a secret that doesn't have rotation configured.");
        const pending = [...s.versions].find(([, v]) => v.stages.has("AWSPENDING"));
        if (pending && !pending[1].stages.has("AWSCURRENT")) {
            if (pending[0] === token) return;
            throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
        }
        if (s.versions.has(token)) throw invalidRequest(`The ClientRequestToken ${token} is already in use for a version of secret ${id}.`);
        s.versions.set(token, { stages: new Set(), created: this.now });
        this.attach(s, "AWSPENDING", token);
    }

    /** A whole rotation, as the service runs it: RotateSecret, the four steps, then AWSPENDING comes off. */
    async rotate(handler: Handler, id: string, token: string): Promise<void> {
        this.startRotation(id, token);
        await this.resume(handler, id, token);
    }

    /** The four steps with a token already registered (the service's retry of a failed rotation), then the clean-up. */
    async resume(handler: Handler, id: string, token: string): Promise<void> {
        for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
            await handler({ SecretId: id, ClientRequestToken: token, Step });
        }
        const version = this.secret(id).versions.get(token);
        if (version?.stages.has("AWSCURRENT")) version.stages.delete("AWSPENDING");
    }

    /** RotateImmediately=false: testSecret alone, on an AWSPENDING copy of AWSCURRENT, removed afterwards. */
    async configurationTest(handler: Handler, id: string, token: string): Promise<void> {
        const s = this.secret(id);
        s.versions.set(token, { value: this.valueAt(id, "AWSCURRENT")!, stages: new Set(), created: this.now });
        this.attach(s, "AWSPENDING", token);
        try {
            await handler({ SecretId: id, ClientRequestToken: token, Step: "testSecret" });
        } finally {
            s.versions.delete(token);
        }
    }

    /** The value holding a staging label, or undefined. */
    valueAt(id: string, stage: string): string | undefined {
        return [...this.secret(id).versions.values()].find((v) => v.stages.has(stage))?.value;
    }

    /** Every value this secret ever held, labelled or deprecated. */
    allValues(id: string): string[] {
        return [...this.secret(id).versions.values()].flatMap((v) => (v.value === undefined ? [] : [v.value]));
    }

    /** Version id to labels, as DescribeSecret reports them (labelled versions only). */
    stages(id: string): Record<string, string[]> {
        return Object.fromEntries([...this.secret(id).versions].filter(([, v]) => v.stages.size > 0).map(([vid, v]) => [vid, [...v.stages].sort()]));
    }

    /** Names of the commands sent, in order. */
    calls(): string[] {
        return this.mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
    }

    private guard<I extends object, O>(command: string, fn: (input: I) => O): (input: I) => O {
        return (input) => {
            const i = this.failures.findIndex((f) => f.command === command && (!f.when || f.when(input as Record<string, unknown>)));
            if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
            return fn(input);
        };
    }

    /** Puts a label on a version, taking it off any other; AWSCURRENT's old version becomes AWSPREVIOUS. */
    private attach(s: Secret, stage: string, versionId: string): void {
        const holder = [...s.versions].find(([, v]) => v.stages.has(stage))?.[0];
        if (holder === versionId) return;
        if (holder !== undefined) s.versions.get(holder)!.stages.delete(stage);
        s.versions.get(versionId)!.stages.add(stage);
        if (stage === "AWSCURRENT" && holder !== undefined) {
            for (const v of s.versions.values()) v.stages.delete("AWSPREVIOUS");
            s.versions.get(holder)!.stages.add("AWSPREVIOUS");
        }
    }

    private secret(id: string): Secret {
        const s = this.secrets.get(id);
        if (!s) throw notFound(`Secrets Manager can't find the specified secret ${id}`);
        return s;
    }
}
