import type { Wait } from "../../../tools/rto/graph";
import { CycleError, ScheduleNode, criticalPath, schedule, topologicalOrder } from "../../../tools/rto/schedule";

/** The scheduler alone, on graphs given as nodes and waits. */

function node(id: string, seconds: number, waits: (string | Wait)[] = [], afterWait?: number): ScheduleNode {
    return {
        id,
        duration: { typical: seconds, worst: seconds * 2 },
        waits: waits.map((w) => (typeof w === "string" ? { on: w, kind: "input", why: `uses ${w}` } : w)),
        ...(afterWait !== undefined ? { afterWait: { typical: afterWait, worst: afterWait * 2 } } : {}),
    };
}

describe("schedule", () => {
    it("runs a chain one after the other: the total is the sum", () => {
        // GIVEN a → b → c
        const nodes = [node("a", 10), node("b", 20, ["a"]), node("c", 30, ["b"])];
        // WHEN
        const t = schedule(nodes, "typical");
        // THEN
        expect([t.get("a"), t.get("b"), t.get("c")].map((x) => [x!.start, x!.finish])).toEqual([
            [0, 10],
            [10, 30],
            [30, 60],
        ]);
        expect(criticalPath(t)).toEqual(["a", "b", "c"]);
        expect(schedule(nodes, "worst").get("c")!.finish).toBe(120);
    });

    it("runs parallel branches at once: the total is the longest, not the sum", () => {
        const nodes = [node("short", 10), node("long", 50), node("other", 30)];
        const t = schedule(nodes, "typical");
        expect(Math.max(...[...t.values()].map((x) => x.finish))).toBe(50);
        expect(criticalPath(t)).toEqual(["long"]);
    });

    it("takes a diamond's longer side, and breaks a tie by id so the path never depends on order", () => {
        // GIVEN a → (b | c) → d, with b longer
        const diamond = [node("a", 5), node("b", 40, ["a"]), node("c", 10, ["a"]), node("d", 1, ["b", "c"])];
        const t = schedule(diamond, "typical");
        expect(t.get("d")!.start).toBe(45);
        expect(criticalPath(t)).toEqual(["a", "b", "d"]);
        expect(t.get("d")!.binding).toEqual({ on: "b", kind: "input", why: "uses b" });
        // AND with equal sides, the smaller id wins, whatever the order given
        const tie = [node("d", 1, ["c", "b"]), node("c", 10, ["a"]), node("b", 10, ["a"]), node("a", 5)];
        expect(criticalPath(schedule(tie, "typical"))).toEqual(["a", "b", "d"]);
    });

    it("starts a node at its Pulumi waits, holds it until its runtime waits, and counts its own time after", () => {
        // GIVEN job starts after ns (10 s) but needs secret (100 s) at runtime
        const nodes = [node("ns", 10), node("secret", 100), node("job", 5, ["ns", { on: "secret", kind: "runtime", why: "reads it" }])];
        const job = schedule(nodes, "typical").get("job")!;
        expect(job).toMatchObject({ start: 10, ready: 100, finish: 105, duration: 5, afterWait: false });
        expect(job.binding?.on).toBe("secret");
    });

    it("uses the after-wait duration only when runtime waits end after the start", () => {
        const held = [node("es", 10), node("value", 100), node("sync", 1, ["es", { on: "value", kind: "runtime", why: "reads it" }], 60)];
        expect(schedule(held, "typical").get("sync")).toMatchObject({ ready: 100, finish: 160, afterWait: true });
        const early = [node("es", 100), node("value", 10), node("sync", 1, ["es", { on: "value", kind: "runtime", why: "reads it" }], 60)];
        expect(schedule(early, "typical").get("sync")).toMatchObject({ start: 100, ready: 100, finish: 101, afterWait: false });
    });

    it("ends a path at the node asked for", () => {
        const t = schedule([node("a", 5), node("b", 40, ["a"]), node("c", 10, ["a"])], "typical");
        expect(criticalPath(t, "c")).toEqual(["a", "c"]);
    });

    it("rejects a cycle, naming the resources on it", () => {
        const nodes = [node("root", 1), node("a", 1, ["root", "c"]), node("b", 1, ["a"]), node("c", 1, ["b"])];
        expect(() => topologicalOrder(nodes, (id) => `${id} (T)`)).toThrow(CycleError);
        expect(() => schedule(nodes, "typical", (id) => `${id} (T)`)).toThrow(
            "The creation graph has a cycle, so `pulumi up` would wait forever: a (T) → c (T) → b (T) → a (T)",
        );
    });

    it("rejects a wait for a node the graph does not hold", () => {
        expect(() => schedule([node("a", 1, ["ghost"])], "typical")).toThrow("a waits for ghost, which is not in the graph.");
    });
});
