import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { Flag, daysBetween, isoDate, overdueFlags, parseFlags } from "../../../modules/flags";
import { overdueFix } from "../../../tools/flags/list";
import { nonEmpty } from "../../helpers/nonEmpty";

/**
 * The flags file (runbook 2.4): its checks, each message, and the repository's own file. A flag
 * past its removal date fails this suite, naming the flag and the fix.
 */

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FILE = "flags/flags.yaml";

/** A valid boolean flag, to break one field at a time. */
const release = {
    description: "The new checkout.",
    owner: "team-payments",
    type: "boolean",
    default: false,
    removeBy: "2027-03-31",
    environments: { development: { enabled: true }, staging: { enabled: true }, production: { enabled: true, rolloutPercent: 10 } },
};
const abTest = {
    description: "Button colour.",
    owner: "team-web",
    type: "variants",
    default: "control",
    removeBy: "2027-03-31",
    variants: { control: { color: "blue", size: 1 }, green: { color: "green", size: 2 } },
    environments: { development: { enabled: true, split: { green: 50 } }, staging: { enabled: false }, production: { enabled: false } },
};

const yaml = (flags: unknown): string => YAML.stringify({ flags });
const problemsOf = (text: string) => {
    const r = parseFlags(text, FILE);
    return r.problems;
};
const only = (flags: unknown) => {
    const p = problemsOf(yaml(flags));
    expect(p).toHaveLength(1);
    return p[0]!;
};

describe("a valid flags file", () => {
    it("gives every flag typed, with the defaults filled in", () => {
        const r = parseFlags(yaml({ new_checkout: release, button_color: abTest }), FILE);
        expect(r.problems).toEqual([]);
        expect(r.flags).toEqual([
            {
                key: "new_checkout",
                description: "The new checkout.",
                owner: "team-payments",
                splitBy: "userId",
                removeBy: "2027-03-31",
                type: "boolean",
                default: false,
                environments: { development: { enabled: true, rolloutPercent: 100 }, staging: { enabled: true, rolloutPercent: 100 }, production: { enabled: true, rolloutPercent: 10 } },
            },
            {
                key: "button_color",
                description: "Button colour.",
                owner: "team-web",
                splitBy: "userId",
                removeBy: "2027-03-31",
                type: "variants",
                default: "control",
                variants: abTest.variants,
                environments: { development: { enabled: true, split: { green: 50 } }, staging: { enabled: false, split: {} }, production: { enabled: false, split: {} } },
            },
        ]);
    });

    it("takes an unquoted date (YAML 1.2 reads it as a string) and a permanent kill switch", () => {
        const text = "flags:\n  kill_me:\n    description: A kill switch.\n    owner: ops@example.com\n    type: boolean\n    default: true\n    permanent: it guards a dependency\n    environments:\n      development: { enabled: true }\n      staging: { enabled: true }\n      production: { enabled: true }\n  later:\n    description: Later.\n    owner: team-x\n    type: boolean\n    default: false\n    removeBy: 2027-01-31\n    environments: { development: { enabled: false }, staging: { enabled: false }, production: { enabled: false } }\n";
        const r = parseFlags(text, FILE);
        expect(r.problems).toEqual([]);
        expect(r.flags!.map((f) => [f.key, f.removeBy, f.permanent])).toEqual([
            ["kill_me", undefined, "it guards a dependency"],
            ["later", "2027-01-31", undefined],
        ]);
    });

    it("accepts an empty map: no flags", () => {
        expect(parseFlags("flags: {}\n", FILE)).toEqual({ flags: [], problems: [] });
    });
});

describe("every problem of the flags file, with its key, value, line and fix", () => {
    it.each<[string, unknown, string, RegExp]>([
        ["a key in camel case", { newCheckout: release }, "flags.newCheckout", /lower snake case.*new_checkout/s],
        ["an unknown field", { new_checkout: { ...release, rollout: 5 } }, "flags.new_checkout.rollout", /one of description, owner/],
        ["no description", { new_checkout: { ...release, description: " " } }, "flags.new_checkout.description", /1 to 1024 characters/],
        ["an owner that is not a handle", { new_checkout: { ...release, owner: "Team Payments" } }, "flags.new_checkout.owner", /team's handle/],
        ["an unknown type", { new_checkout: { ...release, type: "percentage" } }, "flags.new_checkout.type", /boolean .* or variants/],
        ["a default that is not a boolean", { new_checkout: { ...release, default: "off" } }, "flags.new_checkout.default", /true or false/],
        ["no removal date", { new_checkout: { ...release, removeBy: undefined } }, "flags.new_checkout.removeBy", /runbook 2\.4: clean up flags after full rollout/],
        ["a removal date that is no date", { new_checkout: { ...release, removeBy: "2027-02-30" } }, "flags.new_checkout.removeBy", /a calendar date, YYYY-MM-DD/],
        ["both removeBy and permanent", { new_checkout: { ...release, permanent: "forever" } }, "flags.new_checkout.permanent", /either removeBy .* or permanent/],
        ["permanent without a reason", { new_checkout: { ...release, removeBy: undefined, permanent: "" } }, "flags.new_checkout.permanent", /the reason this kill switch stays/],
        ["a permanent A/B test", { ab: { ...abTest, removeBy: undefined, permanent: "we like tests" } }, "flags.ab.permanent", /permanent only on a boolean kill switch/],
        ["a bad split key", { new_checkout: { ...release, splitBy: "user id" } }, "flags.new_checkout.splitBy", /context key users are split by/],
        ["variants on a boolean flag", { new_checkout: { ...release, variants: abTest.variants } }, "flags.new_checkout.variants", /no variants on a boolean flag/],
        ["no environments", { new_checkout: { ...release, environments: undefined } }, "flags.new_checkout.environments", /state in each of development, staging, production/],
        ["an unknown environment", { new_checkout: { ...release, environments: { ...release.environments, qa: { enabled: true } } } }, "flags.new_checkout.environments.qa", /a preview takes staging's value/],
        ["an environment left out", { new_checkout: { ...release, environments: { development: { enabled: true }, staging: { enabled: true } } } }, "flags.new_checkout.environments.production", /every environment says it explicitly/],
        ["enabled that is not a boolean", { new_checkout: { ...release, environments: { ...release.environments, staging: { enabled: "yes" } } } }, "flags.new_checkout.environments.staging.enabled", /true or false/],
        ["an unknown field in an environment", { new_checkout: { ...release, environments: { ...release.environments, staging: { enabled: true, percent: 5 } } } }, "flags.new_checkout.environments.staging.percent", /enabled, and rolloutPercent/],
        ["a rollout of a flag that is off", { new_checkout: { ...release, environments: { ...release.environments, staging: { enabled: false, rolloutPercent: 5 } } } }, "flags.new_checkout.environments.staging.rolloutPercent", /no rolloutPercent while the flag is off/],
        ["a rollout of 0%", { new_checkout: { ...release, environments: { ...release.environments, production: { enabled: true, rolloutPercent: 0 } } } }, "flags.new_checkout.environments.production.rolloutPercent", /whole percentage of users from 1 to 100/],
        ["a fractional rollout", { new_checkout: { ...release, environments: { ...release.environments, production: { enabled: true, rolloutPercent: 12.5 } } } }, "flags.new_checkout.environments.production.rolloutPercent", /whole percentage/],
        ["a single variant", { ab: { ...abTest, variants: { control: { color: "blue" } } } }, "flags.ab.variants", /2 to 32 variant names/],
        ["a variant name in camel case", { ab: { ...abTest, default: "control", variants: { control: { color: "blue", size: 1 }, bigGreen: { color: "green", size: 2 } } } }, "flags.ab.variants.bigGreen", /variant name in lower snake case/],
        ["a variant without attributes", { ab: { ...abTest, variants: { control: { color: "blue", size: 1 }, green: {} } } }, "flags.ab.variants.green", /1 to 25 attributes/],
        ["an attribute named enabled", { ab: { ...abTest, variants: { control: { color: "blue", size: 1 }, green: { color: "green", size: 2, enabled: false } } } }, "flags.ab.variants.green.enabled", /other than enabled/],
        ["an attribute that is an object", { ab: { ...abTest, variants: { control: { color: "blue", size: 1 }, green: { color: { r: 0 }, size: 2 } } } }, "flags.ab.variants.green.color", /a string .* a number or true\/false/],
        ["an attribute of another type", { ab: { ...abTest, variants: { control: { color: "blue", size: 1 }, green: { color: "green", size: "2" } } } }, "flags.ab.variants.green.size", /same types \(size: number\)/],
        ["an attribute missing from a variant", { ab: { ...abTest, variants: { control: { color: "blue", size: 1 }, green: { color: "green" } } } }, "flags.ab.variants.green", /size is missing/],
        ["a default that is no variant", { ab: { ...abTest, default: "blue" } }, "flags.ab.default", /one of the variants \(control, green\)/],
        ["a split of a flag that is off", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: false, split: { green: 10 } } } } }, "flags.ab.environments.staging.split", /no split while the flag is off/],
        ["a split that is no map", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: true, split: 50 } } } }, "flags.ab.environments.staging.split", /map of variant names to percentages/],
        ["a split to the default variant", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: true, split: { control: 50 } } } } }, "flags.ab.environments.staging.split.control", /a variant other than the default control: green/],
        ["a split to no variant", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: true, split: { red: 50 } } } } }, "flags.ab.environments.staging.split.red", /other than the default/],
        ["a split share of 0", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: true, split: { green: 0 } } } } }, "flags.ab.environments.staging.split.green", /1 to 100/],
        ["an unknown field in a variants environment", { ab: { ...abTest, environments: { ...abTest.environments, staging: { enabled: true, rolloutPercent: 5 } } } }, "flags.ab.environments.staging.rolloutPercent", /enabled, and split/],
        ["a definition that is no map", { new_checkout: "on" }, "flags.new_checkout", /a map with description, owner/],
    ])("refuses %s", (_what, flags, keyPath, allowed) => {
        const p = only(flags);
        expect(p.key).toBe(`${FILE}: ${keyPath}`);
        expect(`${p.allowed} ${p.fix}`).toMatch(allowed);
        expect(p.source).toMatch(new RegExp(`^${FILE}, line \\d+$`));
        expect(p.fix.length).toBeGreaterThan(5);
    });

    it("refuses splits that add up to more than 100%", () => {
        const three = { ...abTest, variants: { control: { color: "a", size: 1 }, green: { color: "b", size: 2 }, red: { color: "c", size: 3 } } };
        const p = only({ ab: { ...three, environments: { ...three.environments, staging: { enabled: true, split: { green: 60, red: 50 } } } } });
        expect([p.key, p.allowed]).toEqual([`${FILE}: flags.ab.environments.staging.split`, "percentages that add up to at most 100 (these add up to 110); the rest get the default variant"]);
    });

    it("names the line of the value", () => {
        const text = yaml({ new_checkout: { ...release, owner: "Team Payments" } });
        const line = text.split("\n").findIndex((l) => l.includes("owner:")) + 1;
        expect(only({ new_checkout: { ...release, owner: "Team Payments" } }).source).toBe(`${FILE}, line ${line}`);
        expect(problemsOf(text)[0]!.received).toBe('"Team Payments"');
    });

    it("reports every problem at once", () => {
        const p = problemsOf(yaml({ BadKey: release, new_checkout: { ...release, owner: "", removeBy: "soon" } }));
        expect(p.map((x) => x.key)).toEqual([`${FILE}: flags.BadKey`, `${FILE}: flags.new_checkout.owner`, `${FILE}: flags.new_checkout.removeBy`]);
    });

    it.each([
        ["YAML that does not parse", "flags:\n  a: [unclosed\n", FILE, /YAML that does not parse/],
        ["no flags map", "flag: {}\n", `${FILE}: (the whole file)`, /top-level `flags:` map/],
        ["a second top-level key", "flags: {}\nextra: 1\n", `${FILE}: extra`, /only the `flags:` map/],
    ])("refuses %s", (_what, text, key, received) => {
        const p = problemsOf(text);
        expect(p).toHaveLength(1);
        expect(p[0]!.key).toBe(key);
        expect(`${p[0]!.received} ${p[0]!.allowed}`).toMatch(received);
    });
});

describe("removal dates", () => {
    const flags = parseFlags(yaml({ new_checkout: release, later: { ...release, removeBy: "2027-06-30" }, kill: { ...release, removeBy: undefined, permanent: "a dependency's switch" } }), FILE).flags!;

    it("finds the flags past their date, with the days overdue, never a permanent one", () => {
        expect(overdueFlags(flags, "2027-03-31")).toEqual([]);
        expect(overdueFlags(flags, "2027-04-03").map((o) => [o.flag.key, o.daysOverdue])).toEqual([["new_checkout", 3]]);
        expect(overdueFlags(flags, "2030-01-01").map((o) => o.flag.key)).toEqual(["new_checkout", "later"]);
    });

    it("counts days in UTC calendar days", () => {
        expect(daysBetween("2026-12-01", "2027-01-01")).toBe(31);
        expect(daysBetween("2027-01-01", "2026-12-31")).toBe(-1);
        expect(isoDate(new Date("2026-12-01T23:59:59Z"))).toBe("2026-12-01");
    });
});

describe(`the repository's ${FILE}`, () => {
    const parsed = parseFlags(fs.readFileSync(path.join(ROOT, FILE), "utf8"), FILE);

    it("is valid", () => {
        expect(parsed.problems).toEqual([]);
    });

    it("holds a kill switch, a gradual rollout and an A/B test, as docs/flags.md shows them", () => {
        const flags: readonly Flag[] = nonEmpty(parsed.flags ?? [], `the flags of ${FILE}`);
        expect(flags.some((f) => f.type === "boolean" && f.permanent !== undefined)).toBe(true);
        expect(flags.some((f) => f.type === "boolean" && f.environments.production.enabled && f.environments.production.rolloutPercent < 100)).toBe(true);
        expect(flags.some((f) => f.type === "variants")).toBe(true);
    });

    it("has no flag past its removal date (runbook 2.4: clean up flags after full rollout)", () => {
        const today = isoDate(new Date());
        const overdue = overdueFlags(parsed.flags ?? [], today).map(
            ({ flag, daysOverdue }) => `${flag.key} (owner ${flag.owner}) was due for removal on ${flag.removeBy}, ${daysOverdue} day(s) ago: ${overdueFix(flag.key, FILE)}`,
        );
        expect(overdue).toEqual([]);
    });
});
