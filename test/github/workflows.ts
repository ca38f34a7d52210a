import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The repository's workflows, parsed, for the tests of their safety properties. */

export const WORKFLOW_DIR = path.resolve(__dirname, "..", "..", ".github", "workflows");

export interface Step {
    name?: string;
    id?: string;
    "continue-on-error"?: boolean;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}

export interface Job {
    name?: string;
    if?: string;
    "runs-on": string | string[];
    environment?: string | { name: string; url?: string };
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
    "timeout-minutes"?: number;
    needs?: string | string[];
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, unknown>;
    steps: Step[];
}

export interface Workflow {
    file: string;
    text: string;
    name: string;
    on: Record<string, unknown>;
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    env?: Record<string, unknown>;
    jobs: Record<string, Job>;
}

export function loadWorkflows(): Workflow[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
        .sort()
        .map((file) => {
            const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
            return { file, text, ...(parse(text) as Omit<Workflow, "file" | "text">) };
        });
}

/** Every job of every workflow, with its workflow. */
export function allJobs(workflows: Workflow[]): { wf: Workflow; id: string; job: Job }[] {
    return workflows.flatMap((wf) => Object.entries(wf.jobs).map(([id, job]) => ({ wf, id, job })));
}

export const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);

/** The Pulumi commands a job runs through pulumi/actions, with their stacks. */
export function pulumiCommands(job: Job): { command: string; stack: string }[] {
    return job.steps
        .filter((s) => s.uses?.startsWith("pulumi/actions@") && typeof s.with?.["command"] === "string")
        .map((s) => ({ command: String(s.with!["command"]), stack: String(s.with!["stack-name"]) }));
}
