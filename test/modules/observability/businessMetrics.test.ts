import { ACTIVE_USER_WINDOWS, BUSINESS_METRICS, businessMetricSeries, businessMetricsStatement, businessNamespace } from "../../../modules/observability/businessMetrics";

describe("the business metrics the app publishes (one table)", () => {
    it("are Signups and ActiveUsers, counts, in <appName>/Business", () => {
        expect(businessNamespace("myapp")).toBe("myapp/Business");
        expect(Object.values(BUSINESS_METRICS).map((m) => [m.name, m.unit, m.dimensions.map((d) => d.name), m.statistic])).toEqual([
            ["Signups", "Count", ["Environment"], "Sum"],
            ["ActiveUsers", "Count", ["Environment", "Window"], "Maximum"],
        ]);
        expect(ACTIVE_USER_WINDOWS).toEqual(["5m", "1h", "1d"]);
    });

    it("name a series by every dimension of the metric, in the table's order", () => {
        expect(businessMetricSeries("myapp", "activeUsers", { Window: "1h", Environment: "production" })).toEqual(["myapp/Business", "ActiveUsers", "Environment", "production", "Window", "1h"]);
        expect(businessMetricSeries("myapp", "signups", { Environment: "staging" })).toEqual(["myapp/Business", "Signups", "Environment", "staging"]);
    });

    it.each([
        ["a dimension missing", "activeUsers", { Environment: "production" }, "ActiveUsers has the dimensions Environment, Window; got Environment."],
        ["a dimension the metric has not", "signups", { Environment: "production", Window: "1h" }, "Signups has the dimensions Environment; got Environment, Window."],
        ["no dimension", "signups", {}, "Signups has the dimensions Environment; got none."],
        ["a window the app does not publish", "activeUsers", { Environment: "production", Window: "15m" }, "ActiveUsers Window is one of 5m, 1h, 1d; got 15m."],
    ] as const)("refuse %s", (_what, key, values, message) => {
        expect(() => businessMetricSeries("myapp", key, values)).toThrow(message);
    });

    it("may be published with PutMetricData to the app's namespace only", () => {
        expect(businessMetricsStatement("myapp")).toEqual({
            Sid: "PublishBusinessMetrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "myapp/Business" } },
        });
    });
});
