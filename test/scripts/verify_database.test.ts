import { loadPlan } from "../helpers/plan";
import { runScript, type Route } from "./harness";
import * as rec from "./recordings";

/**
 * scripts/verify_database.sh against recorded answers of AWS and psql: it checks the instance and
 * the region it is told (or the stack's), with the stack's own credentials from that region.
 * `--query ... --output text` answers are recorded as the CLI prints them for that query.
 */

/** psql's answers to each check's SQL (--tuples-only --no-align). */
function psqlRoutes(host: string): Route[] {
    const h = host.replace(/\./g, "\\.");
    return [
        [`^psql postgresql://app:s3cr3tpassw0rd@${h}:5432/myapp\\?sslmode=require .*pg_stat_ssl`, { out: "t\n" }],
        [`^psql [^ ]*@${h}:.*SHOW server_version`, { out: "16.4\n" }],
        [`^psql [^ ]*@${h}:.*pg_is_in_recovery`, { out: "f\n" }],
        [`^psql [^ ]*@${h}:.*information_schema\\.tables`, { out: "42\n" }],
        [`^psql [^ ]*@${h}:.*alembic_version`, { out: "a1b2c3d4e5f6\n" }],
        [`^psql [^ ]*@${h}:.*DO \\$\\$`, { out: "all\n" }],
    ];
}

function awsRoutes(identifier: string, region: string, secret: string): Route[] {
    const instance = rec.dbInstance(identifier, region);
    const host = instance.DBInstances![0]!.Endpoint!.Address!;
    const url = rec.databaseUrlSecret(secret, region, "myapp-production.ccb1db2acb33.us-east-1.rds.amazonaws.com").SecretString!;
    return [
        [`^aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier} --query DBInstances\\[0\\]\\.Endpoint\\.Address --output text$`, { out: `${host}\n` }],
        [`^aws secretsmanager get-secret-value --region ${region} --secret-id ${secret} --query SecretString --output text$`, { out: `${url}\n` }],
        ...psqlRoutes(host),
    ];
}

const OUTPUTS: Route = ["^pulumi stack output --json --stack production ", { out: JSON.stringify(loadPlan("production").outputs) }];

describe("scripts/verify_database.sh", () => {
    it("by default: production's instance in production's region, with production's DATABASE_URL secret from that region", () => {
        const r = runScript("verify_database.sh", [], [OUTPUTS, ...awsRoutes("myapp-production", "us-east-1", "myapp/production/DATABASE_URL")]);
        expect(r.stderr).toBe("verifying myapp-production in us-east-1\n");
        expect(r.status).toBe(0);
        expect(r.stdout.trim().split("\n")).toEqual([
            "ok    connects over TLS: t",
            "ok    server version: 16.4",
            "ok    writable (not a replica in recovery): f",
            "ok    the app's tables exist: 42",
            "ok    migrations applied (alembic_version): a1b2c3d4e5f6",
            "ok    every table readable: all",
            "The database passed verification.",
        ]);
    });

    it("--region and --identifier: that instance in that region, the credentials read there, its endpoint in the URL", () => {
        const r = runScript("verify_database.sh", ["--region", "us-west-2", "--identifier", "myapp-production-drill"], [OUTPUTS, ...awsRoutes("myapp-production-drill", "us-west-2", "myapp/production/DATABASE_URL")]);
        expect(r.status).toBe(0);
        const aws = r.calls.filter((c) => c.startsWith("aws "));
        expect(aws).toHaveLength(2);
        expect(aws.every((c) => c.includes("--region us-west-2"))).toBe(true);
        expect(r.calls.filter((c) => c.startsWith("psql ")).every((c) => c.includes("@myapp-production-drill.ccb1db2acb33.us-west-2.rds.amazonaws.com:5432/"))).toBe(true);
    });

    it("a failed check: exit 1 and says not to send traffic", () => {
        const routes = awsRoutes("myapp-production", "us-east-1", "myapp/production/DATABASE_URL");
        routes.unshift(["^psql .*pg_is_in_recovery", { out: "t\n" }]);
        const r = runScript("verify_database.sh", [], [OUTPUTS, ...routes]);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain("FAIL  writable (not a replica in recovery): got t, expected ^f$");
        expect(r.stderr).toContain("The database did not pass verification");
    });

    it("an instance the region does not have: exit 1 naming the identifier and the region", () => {
        const r = runScript("verify_database.sh", ["--region", "us-west-2", "--identifier", "nope"], [
            OUTPUTS,
            ["^aws rds describe-db-instances", { err: "An error occurred (DBInstanceNotFound)\n", rc: 254 }],
        ]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("no instance nope in us-west-2 (aws rds describe-db-instances failed): check --identifier and --region");
        expect(r.calls.some((c) => c.startsWith("psql"))).toBe(false);
    });

    it("without Pulumi: the flags name everything; without a region it says to pass one", () => {
        const ok = runScript("verify_database.sh", ["--region", "us-east-1", "--identifier", "myapp-production", "--secret-id", "myapp/production/DATABASE_URL"], awsRoutes("myapp-production", "us-east-1", "myapp/production/DATABASE_URL"), {
            tools: ["aws", "psql"],
        });
        expect(ok.status).toBe(0);
        const r = runScript("verify_database.sh", ["--identifier", "myapp-production", "--secret-id", "x"], [], { tools: ["aws", "psql"] });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("no region: pass --region");
    });

    it("bad arguments exit 2", () => {
        const r = runScript("verify_database.sh", ["--region"], []);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe("verify_database.sh: --region needs a value\n");
    });
});
