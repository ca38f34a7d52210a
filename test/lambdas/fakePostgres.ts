import type { Connect, DbSession } from "../../lambdas/database-password";
import type { DbParams } from "../../lambdas/database-password/url";

/**
 * A PostgreSQL stand-in that understands exactly the statements the rotation sends, and keeps
 * roles with passwords, memberships and a default `role` setting. Logins check passwords, so a
 * test sees which credentials work after each step.
 */
interface Role {
    password: string;
    login: boolean;
    memberOf: string[];
    setRole?: string;
}

export class FakePostgres {
    readonly roles = new Map<string, Role>();
    /** Statements run, with the session user, in order. */
    readonly log: Array<{ user: string; sql: string }> = [];
    /** When set, every connection attempt fails with this message (an outage). */
    down?: string;
    /** When set, a statement matching it fails once. */
    failOnce?: RegExp;

    constructor(readonly host = "db.internal", readonly database = "myapp") {}

    addRole(name: string, password: string): void {
        this.roles.set(name, { password, login: true, memberOf: [] });
    }

    readonly connect: Connect = async (p: DbParams): Promise<DbSession> => {
        if (this.down) throw new Error(this.down);
        if (p.host !== this.host || p.database !== this.database) throw new Error(`no database ${p.database} at ${p.host}`);
        const role = this.roles.get(p.user);
        if (!role || !role.login || role.password !== p.password) throw new Error(`password authentication failed for user "${p.user}"`);
        return this.session(p.user);
    };

    private session(user: string): DbSession {
        return {
            escapeIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
            escapeLiteral: (value) => `'${value.replace(/'/g, "''")}'`,
            end: async () => undefined,
            query: async (sql, params) => {
                this.log.push({ user, sql });
                if (this.failOnce?.test(sql)) {
                    this.failOnce = undefined;
                    throw new Error("connection terminated unexpectedly");
                }
                return { rows: this.run(user, sql, params) };
            },
        };
    }

    private run(user: string, sql: string, params: unknown[] = []): Record<string, unknown>[] {
        let m: RegExpExecArray | null;
        if (sql === "SELECT 1") return [{ "?column?": 1 }];
        if (sql.startsWith("SELECT current_user")) return [{ login: this.roles.get(user)?.setRole ?? user, session: user }];
        if (sql === "SELECT 1 FROM pg_roles WHERE rolname = $1") return this.roles.has(String(params[0])) ? [{ "?column?": 1 }] : [];
        if ((m = /^CREATE ROLE "([^"]+)" WITH LOGIN PASSWORD '([^']*)' IN ROLE "([^"]+)"$/.exec(sql))) {
            if (this.roles.has(m[1]!)) throw new Error(`role "${m[1]}" already exists`);
            this.roles.set(m[1]!, { password: m[2]!, login: true, memberOf: [m[3]!] });
            return [];
        }
        if ((m = /^ALTER ROLE "([^"]+)" SET role = '([^']*)'$/.exec(sql))) {
            this.roles.get(m[1]!)!.setRole = m[2]!;
            return [];
        }
        if ((m = /^ALTER ROLE "([^"]+)" WITH LOGIN PASSWORD '([^']*)'$/.exec(sql))) {
            const role = this.roles.get(m[1]!);
            if (!role) throw new Error(`role "${m[1]}" does not exist`);
            role.password = m[2]!;
            role.login = true;
            return [];
        }
        throw new Error(`FakePostgres does not understand: ${sql}`);
    }
}
