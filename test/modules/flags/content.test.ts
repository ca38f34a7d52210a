import Ajv from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";
import { DEFAULT_VARIANT, ROLLOUT_VARIANT, describeState, hostedContent, localContent, parseFlags, splitRule, variantsOf } from "../../../modules/flags";

/**
 * What AppConfig stores and what the agent serves. The hosted document is checked against a JSON
 * schema written here from AWS's "Type reference for AWS.AppConfig.FeatureFlags" (AppConfig user
 * guide): the constraints AppConfig applies when it creates a hosted version, so a document this
 * schema refuses would fail the first `pulumi up`.
 */

const KEY = "^[a-z][a-zA-Z\\d_-]{0,63}$";
const attributeValue = { oneOf: [{ type: "string", maxLength: 1024 }, { type: "number" }, { type: "boolean" }] };
const FEATURE_FLAGS_SCHEMA = {
    type: "object",
    required: ["version"],
    additionalProperties: false,
    properties: {
        version: { enum: ["1"] },
        flags: {
            type: "object",
            additionalProperties: false,
            patternProperties: {
                [KEY]: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        name: { type: "string", pattern: "^[^\\n]{1,64}$" },
                        description: { type: "string", maxLength: 1024 },
                        _deprecation: { type: "object", additionalProperties: false, properties: { status: { enum: ["planned"] }, date: { type: "string", format: "date" } } },
                        attributes: {
                            type: "object",
                            maxProperties: 25,
                            additionalProperties: false,
                            patternProperties: {
                                [KEY]: {
                                    type: "object",
                                    additionalProperties: false,
                                    properties: {
                                        description: { type: "string", maxLength: 1024 },
                                        constraints: { type: "object", required: ["type"], properties: { type: { enum: ["string", "number", "boolean", "array"] }, required: { type: "boolean" } } },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        values: {
            type: "object",
            additionalProperties: false,
            patternProperties: {
                [KEY]: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        enabled: { type: "boolean" },
                        _variants: {
                            type: "array",
                            maxItems: 32,
                            items: {
                                type: "object",
                                required: ["name", "enabled"],
                                additionalProperties: false,
                                properties: {
                                    name: { type: "string", pattern: "^[^\\n]{1,64}$" },
                                    enabled: { type: "boolean" },
                                    rule: { type: "string", maxLength: 16384 },
                                    attributeValues: { type: "object", maxProperties: 25, additionalProperties: false, patternProperties: { [KEY]: attributeValue } },
                                },
                            },
                        },
                    },
                    patternProperties: { [KEY]: attributeValue },
                },
            },
        },
    },
};

// AWS's schema lets a value's attribute pattern also match `enabled`, declared beside it: allowed here as there.
const ajv = new Ajv({ allErrors: true, allowMatchingProperties: true });
addFormats(ajv);
const validate = ajv.compile(FEATURE_FLAGS_SCHEMA);

const text = YAML.stringify({
    flags: {
        kill_switch: { description: "A dependency.", owner: "team-a", type: "boolean", default: true, permanent: "operational", environments: { development: { enabled: true }, staging: { enabled: true }, production: { enabled: false } } },
        release: { description: "A release.", owner: "team-a", type: "boolean", default: false, removeBy: "2027-06-30", environments: { development: { enabled: true }, staging: { enabled: true, rolloutPercent: 50 }, production: { enabled: true, rolloutPercent: 10 } } },
        colour: {
            description: "An A/B test.",
            owner: "team-b",
            type: "variants",
            default: "control",
            splitBy: "sessionId",
            removeBy: "2027-03-31",
            variants: { control: { color: "blue", weight: 1, bold: false }, green: { color: "green", weight: 2, bold: true }, red: { color: "red's", weight: 3, bold: true } },
            environments: { development: { enabled: true }, staging: { enabled: true, split: { green: 20, red: 30 } }, production: { enabled: false } },
        },
    },
});
const flags = parseFlags(text, "flags.yaml").flags!;
const [killSwitch, release, colour] = flags as [(typeof flags)[0], (typeof flags)[0], (typeof flags)[0]];

describe("the hosted configuration (AWS.AppConfig.FeatureFlags)", () => {
    it.each(["development", "staging", "production"] as const)("is what AppConfig accepts in %s", (env) => {
        const doc = JSON.parse(hostedContent(flags, env)) as unknown;
        expect(validate(doc) ? [] : validate.errors).toEqual([]);
    });

    it("defines each flag with its description, planned removal and attribute types", () => {
        const doc = JSON.parse(hostedContent(flags, "production")) as { flags: Record<string, unknown> };
        expect(doc.flags).toEqual({
            kill_switch: { name: "kill_switch", description: "A dependency." },
            release: { name: "release", description: "A release.", _deprecation: { status: "planned", date: "2027-06-30" } },
            colour: {
                name: "colour",
                description: "An A/B test.",
                _deprecation: { status: "planned", date: "2027-03-31" },
                attributes: { color: { constraints: { type: "string", required: true } }, weight: { constraints: { type: "number", required: true } }, bold: { constraints: { type: "boolean", required: true } } },
            },
        });
    });

    it("is a basic value where everyone gets the same, variants where a share does", () => {
        const values = (env: "development" | "staging" | "production") => (JSON.parse(hostedContent(flags, env)) as { values: Record<string, unknown> }).values;
        expect(values("production")).toEqual({
            kill_switch: { enabled: false },
            release: { _variants: [{ name: ROLLOUT_VARIANT, enabled: true, rule: '(split pct::10 by::$userId seed::"release")' }, { name: DEFAULT_VARIANT, enabled: false }] },
            colour: { enabled: false },
        });
        expect(values("development")).toEqual({ kill_switch: { enabled: true }, release: { enabled: true }, colour: { enabled: true, color: "blue", weight: 1, bold: false } });
    });

    it("splits by cumulative shares, each flag seeded by its key, so a user keeps a side as a share grows", () => {
        expect(variantsOf(colour, "staging")).toEqual([
            { name: "green", enabled: true, rule: '(split pct::20 by::$sessionId seed::"colour")', attributeValues: { color: "green", weight: 2, bold: true } },
            { name: "red", enabled: true, rule: '(split pct::50 by::$sessionId seed::"colour")', attributeValues: { color: "red's", weight: 3, bold: true } },
            { name: "control", enabled: true, attributeValues: { color: "blue", weight: 1, bold: false } },
        ]);
        expect(splitRule(release, 10)).toBe('(split pct::10 by::$userId seed::"release")');
        expect(variantsOf(release, "development")).toBeUndefined();
        expect(variantsOf(killSwitch, "production")).toBeUndefined();
    });
});

describe("the local development mode's file (retrieval-time format)", () => {
    it("is JSON when every flag is basic", () => {
        const basic = flags.filter((f) => f.key === "kill_switch");
        expect(localContent(basic, "production")).toEqual({ extension: ".json", text: '{\n  "kill_switch": {\n    "enabled": false\n  }\n}\n' });
    });

    it("is Ion once a flag has variants: basic flags as annotated strings, variants as [rule, value] pairs ending in the default", () => {
        const local = localContent(flags, "staging");
        expect(local.extension).toBe(".application%ion%type=AWS.AppConfig.FeatureFlags");
        expect(local.text).toBe(
            [
                `'kill_switch'::'''{"enabled":true}'''`,
                "",
                `'release'::[`,
                `  [`,
                `    (split pct::50 by::$userId seed::"release"),`,
                `    '''{"_variant":"rollout","enabled":true}'''`,
                `  ],`,
                `  '''{"_variant":"default","enabled":false}'''`,
                `]`,
                "",
                `'colour'::[`,
                `  [`,
                `    (split pct::20 by::$sessionId seed::"colour"),`,
                `    '''{"_variant":"green","enabled":true,"color":"green","weight":2,"bold":true}'''`,
                `  ],`,
                `  [`,
                `    (split pct::50 by::$sessionId seed::"colour"),`,
                // Ion reads escapes inside long strings: the quote of "red's" is escaped.
                `    '''{"_variant":"red","enabled":true,"color":"red\\'s","weight":3,"bold":true}'''`,
                `  ],`,
                `  '''{"_variant":"control","enabled":true,"color":"blue","weight":1,"bold":false}'''`,
                `]`,
                "",
            ].join("\n"),
        );
    });
});

describe("a flag's state in words (npm run flags)", () => {
    it.each([
        [killSwitch, "production", "off"],
        [killSwitch, "staging", "on"],
        [release, "production", "on for 10%"],
        [colour, "staging", "green 20%, red 30%, control 50%"],
        [colour, "development", "control 100%"],
        [colour, "production", "off (control)"],
    ] as const)("%#: %s", (flag, env, words) => {
        expect(describeState(flag, env)).toBe(words);
    });
});
