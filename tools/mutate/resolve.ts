/**
 * Turns the rows of targets.ts into what Stryker reads: mutate patterns, with line ranges for the
 * rows that name declarations, checking on the way that every file, glob and name still exists.
 * A source that a refactor moves or renames then stops the mutation run with a message, instead
 * of leaving a file silently unmutated.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import type { MutationTarget } from "./targets";

/** Files a pattern names (a plain path or a glob), relative to root, with `/` separators, sorted. */
export function filesOf(root: string, pattern: string): string[] {
    return fs
        .globSync(pattern, { cwd: root })
        .map((f) => f.split(path.sep).join("/"))
        .sort();
}

/** The names a top-level statement declares: a function's, a class's, each variable's of a `const`. */
function namesOf(statement: ts.Statement): string[] {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
    if (ts.isVariableStatement(statement)) {
        return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    }
    return [];
}

export interface DeclarationRange {
    name: string;
    /** First line, 1-based, after the JSDoc. */
    start: number;
    /** Last line, 1-based. */
    end: number;
}

/** The line range of each named top-level declaration of a TypeScript file, in the order given. */
export function declarationRanges(root: string, file: string, names: string[]): DeclarationRange[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const line = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line + 1;
    const found = new Map<string, DeclarationRange>();
    for (const statement of source.statements) {
        for (const name of namesOf(statement)) found.set(name, { name, start: line(statement.getStart(source)), end: line(statement.getEnd()) });
    }
    return names.map((name) => {
        const range = found.get(name);
        if (!range) throw new Error(`${file} declares no top-level ${name}: update the row's "only"`);
        return range;
    });
}

/** What no longer matches in the table: sources, tests or declarations that moved or went. */
export function targetProblems(root: string, targets: MutationTarget[]): string[] {
    const problems: string[] = [];
    for (const t of targets) {
        if (filesOf(root, t.mutate).length === 0) problems.push(`mutate "${t.mutate}" matches no file`);
        if (t.tests.length === 0) problems.push(`mutate "${t.mutate}" lists no tests`);
        for (const test of t.tests) if (filesOf(root, test).length === 0) problems.push(`tests "${test}" (of ${t.mutate}) matches no file`);
        if (t.only && filesOf(root, t.mutate).length > 0) {
            try {
                declarationRanges(root, t.mutate, t.only);
            } catch (e) {
                problems.push((e as Error).message);
            }
        }
    }
    return problems;
}

/** Throws, listing every problem, unless the table matches the tree. */
export function assertTargets(root: string, targets: MutationTarget[]): void {
    const problems = targetProblems(root, targets);
    if (problems.length > 0) throw new Error(`The mutation targets (tools/mutate/targets.ts) need updating:\n  ${problems.join("\n  ")}`);
}

/** Stryker `mutate` patterns of one row: its file or glob, or one `file:start-end` per declaration. */
function rowPatterns(root: string, target: MutationTarget): string[] {
    if (!target.only) return [target.mutate];
    return declarationRanges(root, target.mutate, target.only).map((r) => `${target.mutate}:${r.start}-${r.end}`);
}

/** Stryker `mutate` patterns of the whole table. */
export function mutatePatterns(root: string, targets: MutationTarget[]): string[] {
    return targets.flatMap((t) => rowPatterns(root, t));
}

/**
 * Command-line `--mutate` entries, each file of a row that names declarations narrowed to them,
 * so that `--mutate modules/registry/repository.ts` mutates what the whole run mutates there.
 * Other entries (globs, explicit ranges, files of no such row) pass unchanged.
 */
export function narrowMutateEntries(root: string, targets: MutationTarget[], entries: string[]): string[] {
    return entries.flatMap((entry) => {
        const row = targets.find((t) => t.only && t.mutate === entry);
        return row ? rowPatterns(root, row) : [entry];
    });
}

/** The row a mutated file belongs to: the first whose pattern matches it. */
export function rowOf(root: string, targets: MutationTarget[], file: string): MutationTarget | undefined {
    return targets.find((t) => filesOf(root, t.mutate).includes(file));
}
