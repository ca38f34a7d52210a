import { trackWeights } from "../../../modules/edge/tracks";

describe("traffic weights per deployment strategy", () => {
    it("sends everything to the stable track when rolling", () => {
        expect(trackWeights({ strategy: "rolling" })).toEqual([{ track: "stable", service: "app", weight: 100 }]);
    });

    it("splits stable and canary by the configured weights", () => {
        expect(trackWeights({ strategy: "canary", canary: { weights: { stable: 90, canary: 10 } } })).toEqual([
            { track: "stable", service: "app", weight: 90 },
            { track: "canary", service: "app-canary", weight: 10 },
        ]);
    });

    it.each([
        ["blue", 100, 0],
        ["green", 0, 100],
    ] as const)("puts all traffic on the active colour (%s)", (active, blue, green) => {
        expect(trackWeights({ strategy: "blueGreen", blueGreen: { active } })).toEqual([
            { track: "blue", service: "app", weight: blue },
            { track: "green", service: "app-green", weight: green },
        ]);
    });

    it("refuses a strategy without its section", () => {
        expect(() => trackWeights({ strategy: "canary" })).toThrow("deployment.canary is required");
        expect(() => trackWeights({ strategy: "blueGreen" })).toThrow("deployment.blueGreen is required");
    });
});
