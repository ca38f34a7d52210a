import * as fs from "fs";
import { LAMBDA_NODE_TARGET, LAMBDA_RUNTIME, bundleLambda } from "../../../modules/secrets/bundle";
import { PlanQuery } from "../../helpers/plan";

// AWS Lambda Developer Guide, "Building Lambda functions with Node.js": nodejs24.x is supported
// until 2028-04-30; from Node.js 20 on the runtime no longer loads the Amazon CA certificates by
// itself, which it keeps at /var/runtime/ca-cert.pem: NODE_EXTRA_CA_CERTS adds them to Node's
// trust store, and without it `pg` cannot verify the RDS certificate (sslmode verify-full).
const RDS_CA = "/var/runtime/ca-cert.pem";

describe.each(["staging", "production", "production-dr"])("the %s Lambdas", (stack) => {
    const functions = PlanQuery.of(stack).allOf("aws:lambda/function:Function");

    it("run on nodejs24.x, bundled for node24", () => {
        expect([LAMBDA_RUNTIME, LAMBDA_NODE_TARGET]).toEqual(["nodejs24.x", "node24"]);
        for (const f of functions) expect([f.name, f.inputs["runtime"]]).toEqual([f.name, "nodejs24.x"]);
    });

    it("trust the RDS CA bundle wherever they connect to PostgreSQL (every function in the VPC)", () => {
        const inVpc = functions.filter((f) => f.inputs["vpcConfig"] !== undefined);
        expect(inVpc.length).toBeGreaterThanOrEqual(2);
        for (const f of inVpc) {
            const variables = (f.inputs["environment"] as { variables?: Record<string, string> } | undefined)?.variables ?? {};
            expect([f.name, variables["NODE_EXTRA_CA_CERTS"]]).toEqual([f.name, RDS_CA]);
        }
    });
});

describe("the bundles", () => {
    it("keep syntax node24 runs as written (esbuild lowers nothing it supports)", () => {
        const text = fs.readFileSync(bundleLambda("database-password"), "utf8");
        expect(text.length).toBeGreaterThan(1000);
        expect(text).toMatch(/\?\?|\?\./);
    });
});
