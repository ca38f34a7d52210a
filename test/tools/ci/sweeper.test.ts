import { chooseStacks } from "../../../tools/ci/sweeper";

describe("chooseStacks", () => {
    const now = new Date("2026-03-10T00:00:00Z");
    const states: Record<number, "open" | "closed"> = { 1: "closed", 2: "open", 3: "open" };

    it("removes stacks of closed or unknown pull requests and stale ones, and nothing else", () => {
        const chosen = chooseStacks(
            [
                { name: "pr-1", lastUpdate: "2026-03-09T00:00:00Z" },
                { name: "organization/ops/pr-2", lastUpdate: "2026-03-01T00:00:00Z" },
                { name: "pr-3", lastUpdate: "2026-03-08T00:00:00Z" },
                { name: "pr-4" },
                { name: "staging", lastUpdate: "2020-01-01T00:00:00Z" },
                { name: "production" },
                { name: "pr-5", updateInProgress: true },
                { name: "pr-07" },
            ],
            (n) => states[n],
            now,
            7,
        );
        expect(chosen).toEqual([
            { stack: "pr-1", pr: 1, reason: "pull request #1 is closed" },
            { stack: "pr-2", pr: 2, reason: "not updated for 9 days (TTL 7)" },
            { stack: "pr-4", pr: 4, reason: "pull request #4 does not exist" },
        ]);
    });
});
