import { digest } from "../kit";
import type { MockFn, MockRequest } from "../kit";

/**
 * Keys, secrets and the Lambdas that rotate them. Secrets Manager appends a hyphen and six random
 * characters to a secret's name in its ARN (`…:secret:<name>-AbCdEf`), and the provider's id for
 * a secret, its rotation and (with `|<version id>`) its versions is that ARN. Lambda ARNs are
 * `…:function:<name>`; KMS `…:key/<key id>` and `…:alias/<name>`.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The six characters Secrets Manager appends, stable for the secret's name. */
function secretSuffix(name: string): string {
    const h = digest(12, "secretsmanager", name);
    let out = "";
    for (let i = 0; i < 6; i++) out += BASE62[parseInt(h.slice(i * 2, i * 2 + 2), 16) % BASE62.length];
    return out;
}

/** The ARN of a secret, from its name. */
export function secretArn(r: MockRequest, name: string): string {
    return r.arn("secretsmanager", `secret:${name}-${secretSuffix(name)}`);
}

export const SECRETS: Record<string, MockFn> = {
    "aws:kms/key:Key": (r) => {
        // Multi-Region keys have ids `mrk-<32 hex>`; others are UUIDs.
        const keyId = r.inputs["multiRegion"] === true ? `mrk-${r.hex(32)}` : r.uuid();
        return { id: keyId, outputs: { keyId, arn: r.arn("kms", `key/${keyId}`) } };
    },
    // A replica has its primary's key id (`mrk-…`), in its own region: kms/replica_key.go d.SetId(keyID).
    "aws:kms/replicaKey:ReplicaKey": (r) => {
        const keyId = /key\/(mrk-[0-9a-f]{32})$/.exec(r.need("primaryKeyArn"))?.[1] ?? `mrk-${r.hex(32)}`;
        return { id: keyId, outputs: { keyId, arn: r.arn("kms", `key/${keyId}`), keyRotationEnabled: true } };
    },
    "aws:kms/alias:Alias": (r) => {
        const name = r.autoname("name", 256);
        const target = r.need("targetKeyId");
        return { id: name, outputs: { name, arn: r.arn("kms", name), targetKeyArn: target.startsWith("arn:") ? target : r.arn("kms", `key/${target}`) } };
    },
    "aws:secretsmanager/secret:Secret": (r) => {
        const name = r.autoname("name", 512);
        const arn = secretArn(r, name);
        return { id: arn, outputs: { name, arn } };
    },
    "aws:secretsmanager/secretVersion:SecretVersion": (r) => {
        const secretId = r.need("secretId");
        const versionId = r.str("versionId") ?? r.uuid();
        // A secret can be named by its name or its ARN; the version's `arn` is the secret's ARN.
        const arn = secretId.startsWith("arn:") ? secretId : secretArn(r, secretId);
        return { id: `${arn}|${versionId}`, outputs: { arn, versionId, versionStages: ["AWSCURRENT"] } };
    },
    "aws:secretsmanager/secretRotation:SecretRotation": (r) => ({ id: r.need("secretId"), outputs: { rotationEnabled: true } }),
    "aws:lambda/function:Function": (r) => {
        const name = r.autoname("name", 64);
        const arn = r.arn("lambda", `function:${name}`);
        const version = r.inputs["publish"] === true ? "1" : "$LATEST";
        return {
            id: name,
            outputs: {
                name,
                arn,
                version,
                qualifiedArn: `${arn}:${version}`,
                invokeArn: `arn:aws:apigateway:${r.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            },
        };
    },
    // terraform-provider-aws lambda/invocation.go: the id is `<function>_<qualifier>_<md5 of the input>`
    // (no ARN: an invocation is not an AWS resource); `result` is what the function returned.
    "aws:lambda/invocation:Invocation": (r) => {
        const functionName = r.need("functionName");
        const qualifier = r.str("qualifier") ?? "$LATEST";
        return { id: `${functionName}_${qualifier}_${r.hex(32, "input")}`, outputs: { result: "{}" } };
    },
    // terraform-provider-aws lambda/permission.go: the id is the statement id.
    "aws:lambda/permission:Permission": (r) => {
        const statementId = r.autoname("statementId", 100);
        return { id: statementId, outputs: { statementId } };
    },
};
