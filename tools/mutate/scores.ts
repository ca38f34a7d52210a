/**
 * Mutation scores per file, from the JSON report Stryker writes (the mutation-testing-elements
 * schema), and the files below their row's floor.
 */

/** Where the Stryker config sends the reports (gitignored). */
export const REPORT_DIR = "reports/mutation";
export const JSON_REPORT = `${REPORT_DIR}/mutation.json`;
export const HTML_REPORT = `${REPORT_DIR}/mutation.html`;

/** The parts of Stryker's JSON report read here. */
export interface MutationReport {
    files: Record<string, { mutants: Array<{ status: string }> }>;
}

export interface FileScore {
    file: string;
    killed: number;
    timeout: number;
    survived: number;
    noCoverage: number;
    /** Excluded by a `// Stryker disable` comment. */
    ignored: number;
    /** Mutants that did not compile or crashed the run: they count neither way. */
    errors: number;
    /** Killed and timed out over every mutant that ran or had no test, in percent; undefined without such mutants. */
    score: number | undefined;
}

/** Stryker's own mutation score per file (killed + timeout over killed + timeout + survived + no coverage). */
export function fileScores(report: MutationReport): FileScore[] {
    return Object.entries(report.files)
        .map(([file, { mutants }]) => {
            const count = (...statuses: string[]): number => mutants.filter((m) => statuses.includes(m.status)).length;
            const killed = count("Killed");
            const timeout = count("Timeout");
            const survived = count("Survived");
            const noCoverage = count("NoCoverage");
            const valid = killed + timeout + survived + noCoverage;
            return {
                file,
                killed,
                timeout,
                survived,
                noCoverage,
                ignored: count("Ignored"),
                errors: count("CompileError", "RuntimeError"),
                score: valid === 0 ? undefined : (100 * (killed + timeout)) / valid,
            };
        })
        .sort((a, b) => a.file.localeCompare(b.file));
}

export interface Verdict extends FileScore {
    /** The row's floor, if it has one. */
    minScore?: number;
    below: boolean;
}

/** Each file's score against its floor; a file with a floor and no mutant that ran is below it. */
export function verdicts(scores: FileScore[], floorOf: (file: string) => number | undefined): Verdict[] {
    return scores.map((s) => {
        const minScore = floorOf(s.file);
        return { ...s, minScore, below: minScore !== undefined && (s.score === undefined || s.score < minScore) };
    });
}

/** The score table `npm run mutate` prints last. */
export function renderVerdicts(rows: Verdict[]): string {
    const header = ["file", "score", "floor", "killed", "timeout", "survived", "no cov", "ignored", "errors", ""];
    const body = rows.map((r) => [
        r.file,
        r.score === undefined ? "n/a" : r.score.toFixed(2),
        r.minScore === undefined ? "-" : String(r.minScore),
        ...[r.killed, r.timeout, r.survived, r.noCoverage, r.ignored, r.errors].map(String),
        r.below ? "BELOW FLOOR" : "",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
    const line = (cells: string[]): string =>
        cells
            .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
            .join("  ")
            .trimEnd();
    return [line(header), ...body.map(line)].join("\n");
}
