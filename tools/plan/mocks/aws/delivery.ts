import type { MockFn } from "../kit";

/**
 * Delivery: the CodeBuild projects that host the GitHub Actions runners and their webhooks.
 * terraform-provider-aws codebuild/project.go sets the id to the project's ARN
 * (`arn:aws:codebuild:<region>:<account>:project/<name>`); codebuild/webhook.go to the project's
 * name, with the webhook's endpoint as `payloadUrl`.
 */
export const DELIVERY: Record<string, MockFn> = {
    "aws:codebuild/project:Project": (r) => {
        const name = r.autoname("name", 150);
        const arn = r.arn("codebuild", `project/${name}`);
        return { id: arn, outputs: { name, arn, badgeUrl: "" } };
    },
    "aws:codebuild/webhook:Webhook": (r) => {
        const projectName = r.need("projectName");
        return { id: projectName, outputs: { url: `https://codebuild.${r.region}.amazonaws.com/webhooks?t=${r.hex(32)}`, payloadUrl: `https://codebuild.${r.region}.amazonaws.com/webhooks?t=${r.hex(32)}` } };
    },
};
