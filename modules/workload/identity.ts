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
 * own policy to `roleName` (`aws.iam.RolePolicy`), scoped to what it needs: the feature-flag agent
 * reads this environment's AppConfig profile (modules/flags), and nothing else is granted here.
 *
 * The association must exist before the first pod starts: the Pod Identity webhook injects the
 * credentials at pod creation, so a pod created earlier never gets them until it is recreated.
 * The workload therefore waits for `association` (its migrations, and so its Deployments).
 */
export class AppIdentity extends pulumi.ComponentResource {
    readonly roleName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly association: aws.eks.PodIdentityAssociation;

    constructor(name: string, args: AppIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:workload:AppIdentity", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const role = new aws.iam.Role(
            `${name}-role`,
            { assumeRolePolicy: POD_IDENTITY_TRUST, description: `The app's pods (${args.namespace}/${args.serviceAccount}) through EKS Pod Identity` },
            child,
        );
        this.association = new aws.eks.PodIdentityAssociation(
            `${name}-association`,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn },
            child,
        );
        this.roleName = role.name;
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
