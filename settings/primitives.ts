import { z } from "zod";

/**
 * Value schemas more than one settings section uses. Kept apart from schema.ts so that the
 * section files schema.ts composes can import them without a cycle.
 */

/** `hh24:mi-hh24:mi`, UTC, as RDS and ElastiCache take a daily window. */
export const dailyWindow = z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a daily UTC window hh24:mi-hh24:mi such as 03:00-04:00");

/** `ddd:hh24:mi-ddd:hh24:mi`, UTC, as RDS and ElastiCache take a weekly window. */
export const weeklyWindow = z
    .string()
    .regex(
        /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
        "a weekly UTC window ddd:hh24:mi-ddd:hh24:mi such as sun:05:00-sun:06:00",
    );

/** A positive whole number. */
export const positiveInt = z.number().int().positive();
