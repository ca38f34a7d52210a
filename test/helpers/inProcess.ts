import * as path from "path";
import { settingsFromPulumi } from "../../environments/load";
import { composeStack } from "../../environments/stack";
import { Plan, recordPlan } from "../../tools/plan/record";
import { readStackConfig } from "../../tools/plan/stackConfig";
import { ROOT } from "./stacks";

export interface InProcessOptions {
    stack: string;
    /** Extra or replaced config values, namespaced (`ops:app`), as strings like Pulumi passes them. */
    config?: Record<string, string>;
    /** Environment variables the program sees (only these: the test's own environment is not read). */
    env?: Record<string, string>;
}

/**
 * Plans a stack in this test process, with config or environment changed: for tests of what
 * the stack files don't say. The program is the same composition `index.ts` runs. Pulumi's
 * runtime state is per process, so a test file calls this serially.
 */
export async function planInProcess(opts: InProcessOptions): Promise<Plan> {
    const stackConfig = readStackConfig(path.join(ROOT), opts.stack);
    return recordPlan({
        project: stackConfig.project,
        stack: opts.stack,
        config: { ...stackConfig.config, ...opts.config },
        secretKeys: stackConfig.secretKeys,
        defaultRegion: "us-east-1",
        program: () => composeStack(settingsFromPulumi(opts.env ?? {})),
    });
}
