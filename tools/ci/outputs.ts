import * as crypto from "crypto";
import * as fs from "fs";

/**
 * Step outputs, environment for later steps and the job summary: the files GitHub names in
 * GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY. Outside a workflow (a person running a
 * command) they are printed instead.
 */

function append(variable: string, text: string): void {
    const file = process.env[variable];
    if (file) fs.appendFileSync(file, text);
    else process.stdout.write(text);
}

/** `name=value` lines; a value with a newline uses a random heredoc delimiter, as GitHub documents. */
function lines(values: Record<string, string>): string {
    return Object.entries(values)
        .map(([k, v]) => {
            if (!v.includes("\n")) return `${k}=${v}\n`;
            const delim = `ghadelim_${crypto.randomBytes(8).toString("hex")}`;
            return `${k}<<${delim}\n${v}\n${delim}\n`;
        })
        .join("");
}

export function setOutputs(values: Record<string, string>): void {
    append("GITHUB_OUTPUT", lines(values));
}

export function exportEnv(values: Record<string, string>): void {
    append("GITHUB_ENV", lines(values));
}

export function summary(markdown: string): void {
    append("GITHUB_STEP_SUMMARY", `${markdown}\n`);
}
