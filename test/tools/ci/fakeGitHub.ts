import type { Fetch } from "../../../tools/ci/github";

/** A recorded GitHub API: answers by method and path, and keeps every request. */
export function fakeGitHub(routes: Record<string, unknown | ((body: unknown) => unknown)>): { fetch: Fetch; calls: { method: string; path: string; body?: unknown }[] } {
    const calls: { method: string; path: string; body?: unknown }[] = [];
    const fetch: Fetch = async (url, init) => {
        const path = url.replace(/^https:\/\/api\.github\.com/, "");
        const body = init.body ? (JSON.parse(init.body) as unknown) : undefined;
        calls.push({ method: init.method, path, ...(body !== undefined ? { body } : {}) });
        const key = `${init.method} ${path.replace(/[?&]per_page=100&page=\d+$/, "").replace(/\?per_page=100&page=\d+/, "")}`;
        const route = routes[key];
        if (route === undefined) return { ok: false, status: 404, json: async () => ({}), text: async () => `no route ${key}` };
        const value = typeof route === "function" ? (route as (b: unknown) => unknown)(body) : route;
        return { ok: true, status: 200, json: async () => value, text: async () => JSON.stringify(value) };
    };
    return { fetch, calls };
}
