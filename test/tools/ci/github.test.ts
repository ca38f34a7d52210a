import { GitHub, upsertComment } from "../../../tools/ci/github";
import { fakeGitHub } from "./fakeGitHub";

const M = "<!-- ops:plan-diff -->";

describe("upsertComment", () => {
    it("edits the bot's comment that carries the marker", async () => {
        const { fetch, calls } = fakeGitHub({
            "GET /repos/o/r/issues/7/comments": [
                { id: 1, body: `${M} old`, user: { login: "someone", type: "User" } },
                { id: 2, body: `${M} older`, user: { login: "github-actions[bot]", type: "Bot" } },
            ],
            "PATCH /repos/o/r/issues/comments/2": { id: 2 },
        });
        const r = await upsertComment(new GitHub("o/r", "t", fetch), 7, M, `${M} new`);
        expect(r).toEqual({ id: 2, created: false });
        expect(calls.at(-1)).toEqual({ method: "PATCH", path: "/repos/o/r/issues/comments/2", body: { body: `${M} new` } });
    });

    it("posts a new comment when there is none, unless asked only to edit", async () => {
        const { fetch, calls } = fakeGitHub({ "GET /repos/o/r/issues/7/comments": [], "POST /repos/o/r/issues/7/comments": { id: 9 } });
        const gh = new GitHub("o/r", "t", fetch);
        expect(await upsertComment(gh, 7, M, `${M} x`, true)).toBeUndefined();
        expect(await upsertComment(gh, 7, M, `${M} x`)).toEqual({ id: 9, created: true });
        expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
    });

    it("refuses a body without its marker", async () => {
        await expect(upsertComment(new GitHub("o/r", "t", fakeGitHub({}).fetch), 1, M, "body")).rejects.toThrow("the comment body must contain its marker");
    });
});

describe("GitHub", () => {
    it("needs the repository and token of the job", () => {
        expect(() => GitHub.fromEnv({})).toThrow("GITHUB_REPOSITORY and GITHUB_TOKEN must be set");
        expect(() => new GitHub("not a repo", "t")).toThrow('not a repository "owner/name": not a repo');
    });

    it("says which call failed and how", async () => {
        await expect(new GitHub("o/r", "t", fakeGitHub({}).fetch).pull(3)).rejects.toThrow("GitHub GET /repos/o/r/pulls/3 answered 404: no route GET /repos/o/r/pulls/3");
    });
});
