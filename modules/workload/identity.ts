import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POD_IDENTITY_TRUST } from "../aws/iam";

export interface AppIdentityArgs {
    /** The EKS cluster whose Pod Identity agent hands out the credentials. */
    clusterName: pulumi.Input<string>;
    /** The app's namespace and service account (they need not exist yet). */
    namespace: string;
    serviceAccount: string;
    provider: aws.Provider;
}

/**
 * The app's AWS identity on a cloud stack: an IAM role its pods take through EKS Pod Identity,
 * with no permission of its own. Each capability that needs AWS from the app's pods attaches its
 * own least-privilege policy with `attachPolicy(<purpose>, <document>)`: the feature-flag agent
 * reads this environment's AppConfig profile (`feature-flags`). EKS allows one association per
 * service account, so every permission of the app goes on this one role.
 *
 * The association must exist before the first pod starts: the Pod Identity webhook injects the
 * credentials at pod creation, so a pod created earlier never gets them until it is recreated.
 * The workload therefore waits for `association` (its migrations, and so its Deployments).
 */
export class AppIdentity extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly association: aws.eks.PodIdentityAssociation;
    /** The inline policies, by purpose. */
    readonly policies: Record<string, aws.iam.RolePolicy> = {};

    constructor(
        private readonly name: string,
        private readonly args: AppIdentityArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ops:workload:AppIdentity", name, {}, opts);
        this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, description: `The app's pods (${args.namespace}/${args.serviceAccount}) through EKS Pod Identity` }, this.opts());
        this.association = new aws.eks.PodIdentityAssociation(
            `${name}-association`,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: this.role.arn },
            this.opts(),
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }

    /** Adds the inline policy of one purpose (`<name>-<purpose>`, named `<purpose>`); one policy per purpose. */
    attachPolicy(purpose: string, policy: pulumi.Input<string>): aws.iam.RolePolicy {
        if (!/^[a-z][a-z0-9-]{0,62}$/.test(purpose)) throw new Error(`AppIdentity: the purpose ${JSON.stringify(purpose)} must be lower-case words joined by dashes, such as feature-flags.`);
        if (this.policies[purpose]) throw new Error(`AppIdentity: the role already has a ${purpose} policy; give each purpose one policy.`);
        const rolePolicy = new aws.iam.RolePolicy(`${this.name}-${purpose}`, { role: this.role.id, name: purpose, policy }, this.opts());
        this.policies[purpose] = rolePolicy;
        return rolePolicy;
    }

    private opts(): pulumi.CustomResourceOptions {
        return { parent: this, provider: this.args.provider };
    }
}
