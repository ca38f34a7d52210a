import * as fs from "fs";
import * as path from "path";

/**
 * Checks a file a command is told to write (`--json <file>`, `--out <file>`) before the command
 * does its work: a typo in a directory name is a usage error up front, not a crash at the end.
 */

/** Why `file` cannot be written, in words, or undefined when it can. */
export function unwritableReason(file: string): string | undefined {
    if (file === "") return "an empty file name";
    const resolved = path.resolve(file);
    if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) return `${file} is a directory`;
    const dir = path.dirname(resolved);
    if (!fs.existsSync(dir)) return `the directory ${path.dirname(file)} does not exist`;
    if (!fs.statSync(dir).isDirectory()) return `${path.dirname(file)} is not a directory`;
    try {
        fs.accessSync(dir, fs.constants.W_OK);
        if (fs.existsSync(resolved)) fs.accessSync(resolved, fs.constants.W_OK);
    } catch {
        return `${file} cannot be written (permission denied)`;
    }
    return undefined;
}
