/**
 * Which secrets are older than their rotation period. A secret's age is the age of its
 * AWSCURRENT version: a rotation, or a new value put by hand or by `pulumi up`, makes a new one.
 * The period is the secret's `rotation-period-days` tag; secrets without it are not checked.
 */

/** The tag carrying a secret's rotation period in days. */
export const PERIOD_TAG = "rotation-period-days";

export interface SecretAge {
    name: string;
    ageDays: number;
    periodDays: number;
    overdue: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The age of a secret against its period; `overdue` once it is older than the period. */
export function secretAge(name: string, currentVersionCreated: Date, periodDays: number, now: Date): SecretAge {
    const ageDays = Math.floor((now.getTime() - currentVersionCreated.getTime()) / DAY_MS);
    return { name, ageDays, periodDays, overdue: ageDays > periodDays };
}

/** The period a tag value states, or undefined when it is absent or not a positive integer. */
export function periodFromTag(value: string | undefined): number | undefined {
    // Stryker disable next-line ConditionalExpression: RegExp#test reads undefined as "undefined", which the pattern refuses too; the first test is for the type checker
    if (value === undefined || !/^[1-9]\d*$/.test(value)) return undefined;
    return Number(value);
}
