import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_TRUST } from "../aws/iam";
import { RoleStatement, Roles, StackRole } from "../aws/roles";

export interface AppIdentityArgs {
    clusterName: pulumi.Input<string>;
    /** The app's namespace and service account (modules/workload `AppWorkload`: the service account is named after the app). */
    namespace: string;
    serviceAccount: string;
    /**
     * The role's inline policies, by purpose (`business-metrics`, `feature-flags`): one policy
     * document each, least privilege for that one purpose. More can be added with `attachPolicy`.
     */
    policies?: Record<string, RoleStatement[]>;
    provider: aws.Provider;
    /** Where the role comes from. @default created here */
    roles?: Roles;
}

/** The app role's purpose: `app`, the last part of its DR name. */
export const APP_ROLE_PURPOSE = "app";

/**
 * The app's own AWS identity on a cloud stack: one IAM role, taken by the app's pods (every track's
 * Deployment and the migrations Job run as the app's service account) through EKS Pod Identity,
 * with one inline policy per purpose. EKS allows one association per service account, so every
 * AWS permission the app needs goes on this role, as a policy of its own (`attachPolicy`), never as
 * a second role.
 *
 * The Pod Identity webhook sets a pod's credentials when the pod is created: the app's pods must be
 * created after the association (the composition makes the migrations Job, and so the
 * Deployments, wait for it). The credentials come from the webhook's own projected token, so the
 * app's Kubernetes API token stays unmounted (`app.mountServiceAccountToken: false`).
 */
export class AppIdentity extends pulumi.ComponentResource {
    readonly role: StackRole;
    readonly association: aws.eks.PodIdentityAssociation;
    /** The inline policies' purposes, in the order they were attached. */
    readonly policies: string[] = [];
    private readonly name: string;
    private readonly roles: Roles;

    constructor(name: string, private readonly args: AppIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:identity:AppIdentity", name, {}, opts);
        this.name = name;
        this.roles = args.roles ?? new Roles();
        this.role = this.roles.role(
            { purpose: APP_ROLE_PURPOSE, description: `The ${args.serviceAccount} pods (${args.namespace}), through EKS Pod Identity`, trustPolicy: POD_IDENTITY_TRUST, managedPolicyArns: [], inlinePolicies: {} },
            { role: name },
            this.opts(),
        );
        for (const [purpose, policy] of Object.entries(args.policies ?? {})) this.attachPolicy(purpose, policy);
        this.association = new aws.eks.PodIdentityAssociation(
            name,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: this.role.arn },
            this.opts(),
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }

    /**
     * Adds an inline policy for one purpose (`<name>-<purpose>`). Another layer calls this with its
     * own least-privilege document (feature flags: `appconfig:StartConfigurationSession` and
     * `appconfig:GetLatestConfiguration` on its application).
     */
    attachPolicy(purpose: string, statements: RoleStatement[]): pulumi.Resource | undefined {
        checkedPurpose(purpose, this.policies);
        this.policies.push(purpose);
        return this.roles.addPolicy(this.role, APP_ROLE_PURPOSE, purpose, statements, { role: this.name, policy: (p) => `${this.name}-${p}`, namedPolicies: true }, this.opts());
    }

    private opts(): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider };
    }
}

/**
 * A policy's purpose: lower-case words joined by dashes (it names the inline policy, which IAM
 * allows up to 128 characters of `[\w+=,.@-]`), and one policy per purpose.
 */
export function checkedPurpose(purpose: string, existing: readonly string[]): string {
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(purpose)) throw new Error(`AppIdentity: the purpose ${JSON.stringify(purpose)} must be lower-case words joined by dashes, such as feature-flags.`);
    if (existing.includes(purpose)) throw new Error(`AppIdentity: the role already has a ${purpose} policy; give each purpose one policy.`);
    return purpose;
}
