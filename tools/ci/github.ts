/**
 * The few GitHub REST calls the workflows need, over `fetch`, so tests can hand in a fake. The
 * token is the job's `GITHUB_TOKEN` with the permissions the workflow grants that job.
 */

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
    ok: boolean;
    status: number;
    json(): Promise<unknown>;
    text(): Promise<string>;
}>;

export interface Comment {
    id: number;
    body: string;
    user: { login: string; type?: string } | null;
}

export interface Issue {
    number: number;
    title: string;
    state: "open" | "closed";
    body?: string | null;
    labels: ({ name: string } | string)[];
    pull_request?: unknown;
}

export interface PullRequest {
    number: number;
    state: "open" | "closed";
    head: { sha: string; ref: string; repo: { full_name: string } | null };
    base: { ref: string };
    updated_at: string;
    merged_at?: string | null;
}

export interface Deployment {
    id: number;
    sha: string;
    ref: string;
    environment: string;
    payload: unknown;
    created_at: string;
}

/** A GitHub API client for one repository. */
export class GitHub {
    constructor(
        readonly repository: string,
        private readonly token: string,
        private readonly fetchImpl: Fetch = fetch as unknown as Fetch,
        private readonly apiUrl = "https://api.github.com",
    ) {
        if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`not a repository "owner/name": ${repository}`);
    }

    /** Builds a client from the job's environment (GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL). */
    static fromEnv(source: NodeJS.ProcessEnv = process.env, fetchImpl?: Fetch): GitHub {
        const repo = source["GITHUB_REPOSITORY"];
        const token = source["GITHUB_TOKEN"];
        if (!repo || !token) throw new Error("GITHUB_REPOSITORY and GITHUB_TOKEN must be set (pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step)");
        return new GitHub(repo, token, fetchImpl, source["GITHUB_API_URL"] ?? "https://api.github.com");
    }

    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
        const res = await this.fetchImpl(`${this.apiUrl}${path}`, {
            method,
            headers: {
                accept: "application/vnd.github+json",
                authorization: `Bearer ${this.token}`,
                "x-github-api-version": "2022-11-28",
                ...(body !== undefined ? { "content-type": "application/json" } : {}),
            },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        if (!res.ok) throw new Error(`GitHub ${method} ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        return (res.status === 204 ? undefined : await res.json()) as T;
    }

    private repoPath(p: string): string {
        return `/repos/${this.repository}${p}`;
    }

    /** Every page of a list endpoint (100 a page, at most `maxPages`). */
    async paged<T>(path: string, maxPages = 20): Promise<T[]> {
        const out: T[] = [];
        for (let page = 1; page <= maxPages; page++) {
            const sep = path.includes("?") ? "&" : "?";
            const items = await this.request<T[]>("GET", `${path}${sep}per_page=100&page=${page}`);
            out.push(...items);
            if (items.length < 100) break;
        }
        return out;
    }

    pull(n: number): Promise<PullRequest> {
        return this.request("GET", this.repoPath(`/pulls/${n}`));
    }

    pulls(state: "open" | "closed" | "all"): Promise<PullRequest[]> {
        return this.paged(this.repoPath(`/pulls?state=${state}`));
    }

    comments(issue: number): Promise<Comment[]> {
        return this.paged(this.repoPath(`/issues/${issue}/comments`));
    }

    createComment(issue: number, body: string): Promise<Comment> {
        return this.request("POST", this.repoPath(`/issues/${issue}/comments`), { body });
    }

    updateComment(id: number, body: string): Promise<Comment> {
        return this.request("PATCH", this.repoPath(`/issues/comments/${id}`), { body });
    }

    issuesWithLabel(label: string, state: "open" | "all" = "open"): Promise<Issue[]> {
        return this.paged<Issue>(this.repoPath(`/issues?state=${state}&labels=${encodeURIComponent(label)}`)).then((list) => list.filter((i) => !i.pull_request));
    }

    createIssue(title: string, body: string, labels: string[]): Promise<Issue> {
        return this.request("POST", this.repoPath("/issues"), { title, body, labels });
    }

    updateIssue(n: number, fields: { body?: string; state?: "open" | "closed"; title?: string }): Promise<Issue> {
        return this.request("PATCH", this.repoPath(`/issues/${n}`), fields);
    }

    pullsOfCommit(sha: string): Promise<(PullRequest & { merged_at: string | null })[]> {
        return this.request("GET", this.repoPath(`/commits/${sha}/pulls`));
    }

    reviews(pr: number): Promise<{ state: string; user: { login: string } | null; commit_id: string }[]> {
        return this.paged(this.repoPath(`/pulls/${pr}/reviews`));
    }

    deployments(environment: string): Promise<Deployment[]> {
        return this.request("GET", this.repoPath(`/deployments?environment=${encodeURIComponent(environment)}&per_page=100`));
    }

    deploymentStatuses(id: number): Promise<{ state: string; created_at: string }[]> {
        return this.request("GET", this.repoPath(`/deployments/${id}/statuses?per_page=100`));
    }

    createDeployment(fields: { ref: string; environment: string; payload: unknown; description: string }): Promise<Deployment> {
        return this.request("POST", this.repoPath("/deployments"), { ...fields, auto_merge: false, required_contexts: [], transient_environment: false });
    }

    createDeploymentStatus(id: number, state: "success" | "failure", description: string, logUrl?: string): Promise<unknown> {
        return this.request("POST", this.repoPath(`/deployments/${id}/statuses`), { state, description, ...(logUrl ? { log_url: logUrl } : {}) });
    }
}

export interface Release {
    id: number;
    tag_name: string;
    draft: boolean;
}

/** Releases, drafts included (a draft has no tag lookup: it is found by listing). */
export async function releaseOfTag(gh: GitHub, tag: string): Promise<Release | undefined> {
    return (await gh.paged<Release>(`/repos/${gh.repository}/releases`, 5)).find((r) => r.tag_name === tag);
}

/** Finds the comment carrying `marker` written by a bot, and edits it; or posts a new one (unless `onlyEdit`). */
export async function upsertComment(gh: GitHub, issue: number, marker: string, body: string, onlyEdit = false): Promise<{ id: number; created: boolean } | undefined> {
    if (!body.includes(marker)) throw new Error(`the comment body must contain its marker ${marker}, or the next run could not find it to edit`);
    const mine = (await gh.comments(issue)).filter((c) => c.body.includes(marker) && (c.user?.type === "Bot" || c.user?.login === "github-actions[bot]"));
    const existing = mine[mine.length - 1];
    if (existing) {
        await gh.updateComment(existing.id, body);
        return { id: existing.id, created: false };
    }
    if (onlyEdit) return undefined;
    const c = await gh.createComment(issue, body);
    return { id: c.id, created: true };
}
