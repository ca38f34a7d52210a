import { prOfStack } from "./stacks";

/**
 * The scheduled sweeper's choice: which `pr-<N>` stacks to destroy and remove. A preview stack
 * goes when its pull request is closed (merged or not) or unknown, or when it has not been
 * updated for longer than the TTL (an open but abandoned pull request still costs a namespace and
 * two databases on the staging cluster).
 */

/** A stack as `pulumi stack ls --json` lists it (the name may be `org/project/stack`). */
export interface ListedStack {
    name: string;
    lastUpdate?: string;
    updateInProgress?: boolean;
}

export interface SweepChoice {
    stack: string;
    pr: number;
    reason: string;
}

/** Decides which preview stacks to remove. `prState` gives each pull request's state, undefined when GitHub does not know it. */
export function chooseStacks(stacks: ListedStack[], prState: (pr: number) => "open" | "closed" | undefined, now: Date, ttlDays: number): SweepChoice[] {
    const out: SweepChoice[] = [];
    for (const s of stacks) {
        const stack = s.name.split("/").pop()!;
        const pr = prOfStack(stack);
        if (pr === undefined) continue;
        // A stack being updated right now belongs to a running workflow; the next sweep decides.
        if (s.updateInProgress) continue;
        const state = prState(pr);
        if (state === undefined) out.push({ stack, pr, reason: `pull request #${pr} does not exist` });
        else if (state === "closed") out.push({ stack, pr, reason: `pull request #${pr} is closed` });
        else if (s.lastUpdate) {
            const ageDays = (now.getTime() - Date.parse(s.lastUpdate)) / 86_400_000;
            if (ageDays > ttlDays) out.push({ stack, pr, reason: `not updated for ${Math.floor(ageDays)} days (TTL ${ttlDays})` });
        }
    }
    return out.sort((a, b) => a.pr - b.pr);
}
