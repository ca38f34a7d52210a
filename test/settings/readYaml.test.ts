import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readYaml } from "../../settings/readYaml";
import { ROOT } from "../helpers/stacks";

/** What `yaml` reads, as the loader read every file before (the YAML 1.2 core schema). */
const byYaml = (text: string): unknown => parse(text, { uniqueKeys: true });

describe("the fast YAML reader", () => {
    const files = [...fs.readdirSync(ROOT).filter((f) => /^Pulumi(\.[^.]+)?\.yaml$/.test(f)), "flags/flags.yaml"];

    it.each(files)("reads %s as yaml does", (file) => {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        expect(readYaml(text)).toEqual({ value: byYaml(text) });
    });

    it.each([
        ["null", "a: ~\nb: null\nc: Null\nd: NULL\ne:\n"],
        ["booleans", "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n"],
        ["YAML 1.1's words, strings in 1.2", "a: yes\nb: no\nc: on\nd: off\ne: y\nf: tRUE\n"],
        ["integers", "a: 12\nb: -7\nc: +3\nd: 0o17\ne: 0x1F\nf: 007\n"],
        ["not integers", "a: 1_000\nb: 0b101\nc: 017o\nd: 0x\ne: -0x1F\n"],
        ["floats", "a: 1.5\nb: -.5\nc: 2.\nd: 1e3\ne: -1.5E-2\nf: .inf\ng: -.Inf\nh: +.INF\n"],
        ["dates and times, strings", "a: 2026-01-15\nb: 2026-01-15T10:30:00Z\nc: 03:00-04:00\nd: sun:05:00-sun:06:00\n"],
        ["quoted scalars", "a: \"12\"\nb: 'true'\nc: \"null\"\nd: ''\n"],
        ["block scalars", "a: |\n  one\n  two\nb: >-\n  folded\n  text\n"],
        ["anchors and aliases", "a: &x [1, 2]\nb: *x\n"],
        ["a merge key, a plain key in 1.2", "base: &b { x: 1 }\nc:\n  <<: *b\n  y: 2\n"],
        ["an empty document", "# nothing\n"],
    ])("resolves %s as yaml does", (_what, text) => {
        expect(readYaml(text)).toEqual({ value: byYaml(text) });
    });

    it("reads NaN as yaml does", () => {
        expect(readYaml("a: .nan\nb: .NaN\n")).toEqual({ value: { a: NaN, b: NaN } });
    });

    it.each([
        ["a syntax error", "a: [1, 2\n"],
        ["a duplicate key", "a: 1\na: 2\n"],
        ["a tag the core schema does not know", "a: !!binary aGVsbG8=\n"],
        ["a tab for indentation", "a:\n\tb: 1\n"],
    ])("leaves %s to yaml", (_what, text) => {
        expect(readYaml(text)).toBeUndefined();
    });
});
