import { APP_SECRET_NAMES, DATABASE_MASTER, appRoleName, checkedAppRole, rotationPlan, secretArnPattern, secretName, secretsArnPattern, secretsPrefix } from "../../../modules/secrets/names";

/** IAM's ARN matching for a Resource: `*` matches any run of characters, `?` one. */
function arnMatches(pattern: string, arn: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\?/g, ".")).join(".*")}$`);
    return re.test(arn);
}

/** A real secret ARN: Secrets Manager appends six random characters. */
const arnOf = (name: string): string => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;

describe("secret names", () => {
    it("are the app's four secrets of runbook 2.2, and the RDS master user", () => {
        expect(APP_SECRET_NAMES).toEqual(["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EXTERNAL_API_KEY"]);
        expect(DATABASE_MASTER).toBe("DATABASE_MASTER");
    });

    it("follow <app>/<environment>/<name>", () => {
        expect(secretName("myapp", "production", "DATABASE_URL")).toBe("myapp/production/DATABASE_URL");
        expect(secretsPrefix("myapp", "staging")).toBe("myapp/staging/");
        expect(secretName("shop", "pr-42", "REDIS_URL")).toBe("shop/pr-42/REDIS_URL");
    });

    it("give each secret the runbook's period", () => {
        expect(rotationPlan({ databasePasswordDays: 90, apiKeyDays: 180, jwtSigningKeyDays: 365 })).toEqual({
            DATABASE_URL: { kind: "databasePassword", periodDays: 90 },
            REDIS_URL: { kind: "procedure", periodDays: 90 },
            SECRET_KEY: { kind: "jwtSigningKey", periodDays: 365 },
            EXTERNAL_API_KEY: { kind: "reminder", periodDays: 180 },
            DATABASE_MASTER: { kind: "procedure", periodDays: 90 },
        });
    });
});

describe("the app's database role", () => {
    it("is <app>_app, a plain PostgreSQL identifier", () => {
        expect(appRoleName("myapp")).toBe("myapp_app");
        expect(appRoleName("My-App")).toBe("my_app_app");
    });

    it("refuses an app name that gives no usable role name", () => {
        expect(() => appRoleName("9lives")).toThrow(
            'The app role derived from appName "9lives" is "9lives_app", not a usable PostgreSQL role name: at most 57 characters of a-z, 0-9 and _, not starting with a digit nor ending in _clone.',
        );
        expect(() => appRoleName("a".repeat(60))).toThrow(/not a usable PostgreSQL role name/);
    });

    it("refuses a role given explicitly that the rotation could not pair with a clone", () => {
        expect(checkedAppRole("billing_app")).toBe("billing_app");
        expect(() => checkedAppRole("billing_clone", "given to AppSecrets (appRole)")).toThrow('The app role given to AppSecrets (appRole) is "billing_clone", not a usable PostgreSQL role name');
    });
});

describe("one secret's ARN pattern", () => {
    it("is its name, a hyphen and the six characters Secrets Manager appends", () => {
        const pattern = secretArnPattern("us-east-1", "123456789012", "myapp", "production", "DATABASE_MASTER");
        expect(pattern).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/DATABASE_MASTER-??????");
        expect(arnMatches(pattern, arnOf("myapp/production/DATABASE_MASTER"))).toBe(true);
        expect(arnMatches(pattern, arnOf("myapp/production/DATABASE_MASTER_OLD"))).toBe(false);
    });
});

describe("an environment's ARN pattern", () => {
    const production = secretsArnPattern("us-east-1", "123456789012", "myapp", "production");

    it("is exact", () => {
        expect(production).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/production/*");
        expect(secretsArnPattern("us-west-2", "210987654321", "shop", "staging")).toBe("arn:aws:secretsmanager:us-west-2:210987654321:secret:shop/staging/*");
    });

    it("matches the environment's own secrets", () => {
        expect(arnMatches(production, arnOf("myapp/production/DATABASE_URL"))).toBe(true);
    });

    it.each([
        ["another environment", "myapp/staging/DATABASE_URL"],
        ["an environment whose name starts alike", "myapp/production-old/DATABASE_URL"],
        ["another app", "otherapp/production/DATABASE_URL"],
        ["the RDS-managed secret naming", "rds!db-0123/production"],
    ])("does not match %s", (_, name) => {
        expect(arnMatches(production, arnOf(name))).toBe(false);
    });

    it("does not match another region or account", () => {
        expect(arnMatches(production, "arn:aws:secretsmanager:us-west-2:123456789012:secret:myapp/production/DATABASE_URL-AbCdEf")).toBe(false);
        expect(arnMatches(production, "arn:aws:secretsmanager:us-east-1:210987654321:secret:myapp/production/DATABASE_URL-AbCdEf")).toBe(false);
    });
});
