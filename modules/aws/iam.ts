import * as pulumi from "@pulumi/pulumi";

/**
 * IAM policy documents built in code (no `getPolicyDocument` invoke: plans stay offline and
 * fast, and tests read the exact JSON).
 */

/** One statement of an IAM policy. */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Principal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/**
 * The ARN of a role setting: a full ARN as given, else the role of that name in the deploying
 * account and partition. Names keep account ids out of the stack files (and out of the docs,
 * where a placeholder account would read as a real one).
 */
export function roleArnOf(role: string, account: { accountId: string; partition: string }): string {
    return role.startsWith("arn:") ? role : `arn:${account.partition}:iam::${account.accountId}:role/${role}`;
}

/** A policy document as JSON, resolving any outputs inside it. */
export function policyJson(statements: Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A trust policy letting an AWS service assume the role (`sts:TagSession` where the service needs it). */
export function serviceTrust(service: string, actions: string[] = ["sts:AssumeRole"]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
    });
}

/** The trust policy of a role taken by pods through EKS Pod Identity. */
export const POD_IDENTITY_TRUST = serviceTrust("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);

/** An AWS managed policy's ARN. */
export function managedPolicy(name: string): string {
    return `arn:aws:iam::aws:policy/${name}`;
}
