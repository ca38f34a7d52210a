import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { unwritableReason } from "../../../tools/cli/outputFile";

describe("a file a command is told to write", () => {
    let dir: string;
    beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-output-"))));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("can be written in a directory that exists, new or not", () => {
        expect(unwritableReason(path.join(dir, "plan.json"))).toBeUndefined();
        fs.writeFileSync(path.join(dir, "old.json"), "{}");
        expect(unwritableReason(path.join(dir, "old.json"))).toBeUndefined();
    });

    it.each([
        ["", "an empty file name"],
        ["<dir>/no-such-dir/plan.json", "the directory <dir>/no-such-dir does not exist"],
        ["<dir>", "<dir> is a directory"],
        ["<dir>/old.json/plan.json", "<dir>/old.json is not a directory"],
    ])("is refused when %s: %s", (file, reason) => {
        fs.writeFileSync(path.join(dir, "old.json"), "{}");
        expect(unwritableReason(file.replace("<dir>", dir))).toBe(reason.replace("<dir>", dir));
    });
});
