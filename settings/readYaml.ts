import * as jsYaml from "js-yaml";

/**
 * The fast reading of the project's YAML files (the stack files, Pulumi.yaml, the flags file): js-yaml,
 * which @pulumi/pulumi loads anyway, with the YAML 1.2 core schema exactly as `yaml` resolves it
 * (null, booleans, decimal, octal `0o` and hex `0x` integers, floats, `.inf` and `.nan`; no
 * timestamps, no merge keys, no underscores in numbers). Reading a file with `yaml` costs a plan
 * some 50 ms (loading it, and its first parses); js-yaml reads the same files in a few.
 *
 * A text js-yaml refuses (a syntax error, a duplicate key, a tag the core schema does not know) is
 * `undefined`: the caller reads it with `yaml` then, whose messages say what is wrong and where, as
 * they always did. So only a text both read well is read fast.
 */

const nullType = new jsYaml.Type("tag:yaml.org,2002:null", {
    kind: "scalar",
    resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s),
    construct: () => null,
    predicate: (v: unknown) => v === null,
});

const boolType = new jsYaml.Type("tag:yaml.org,2002:bool", {
    kind: "scalar",
    resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
    construct: (s: string) => s[0] === "t" || s[0] === "T",
    predicate: (v: unknown) => typeof v === "boolean",
});

const OCTAL = /^0o[0-7]+$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;

const intType = new jsYaml.Type("tag:yaml.org,2002:int", {
    kind: "scalar",
    resolve: (s: string) => OCTAL.test(s) || DECIMAL.test(s) || HEX.test(s),
    construct: (s: string) => (OCTAL.test(s) ? parseInt(s.substring(2), 8) : HEX.test(s) ? parseInt(s.substring(2), 16) : parseInt(s, 10)),
    predicate: (v: unknown) => Number.isInteger(v),
});

const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXPONENT_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FIXED_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const floatType = new jsYaml.Type("tag:yaml.org,2002:float", {
    kind: "scalar",
    resolve: (s: string) => SPECIAL_FLOAT.test(s) || EXPONENT_FLOAT.test(s) || FIXED_FLOAT.test(s),
    construct: (s: string) => {
        if (!SPECIAL_FLOAT.test(s)) return parseFloat(s);
        if (s.slice(-3).toLowerCase() === "nan") return NaN;
        return s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    },
    predicate: (v: unknown) => typeof v === "number",
});

/** The YAML 1.2 core schema, as `yaml` resolves its plain scalars. */
const CORE = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });

/** A YAML text's value (`null` for an empty document), or undefined when js-yaml refuses the text. */
export function readYaml(text: string): { value: unknown } | undefined {
    try {
        const value = jsYaml.load(text, { schema: CORE });
        return { value: value === undefined ? null : value };
    } catch {
        return undefined;
    }
}
