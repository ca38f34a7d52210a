import * as path from "path";
import { Plan, recordPlan } from "./record";
import { readStackConfig } from "./stackConfig";

/** The project root: where Pulumi.yaml and index.ts are. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * Plans a stack the way `pulumi preview` would run it: this project's `index.ts`, with the stack's
 * config files and the process's environment variables, under realistic mocks.
 */
export function planStack(stack: string): Promise<Plan> {
    const stackConfig = readStackConfig(PROJECT_DIR, stack);
    const region = stackConfig.config[`${stackConfig.project}:region`] ?? process.env["AWS_REGION"] ?? "us-east-1";
    return recordPlan({
        project: stackConfig.project,
        stack,
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        defaultRegion: region,
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point, loaded as the CLI loads it
        program: () => require(path.join(PROJECT_DIR, "index.ts")),
    });
}

/** True for an error the program raised on purpose for the user (a `pulumi.RunError`, such as a settings error). */
export function isUserError(e: unknown): e is Error {
    return e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true;
}
