import type { PlannedResource } from "../../plan/record";
import type { PricingContext } from "../context";
import type { CostLine } from "../model";

/** What a pricer says of one resource. */
export type Priced = { lines: CostLine[]; reason?: string } | { free: string } | { unpriced: string };

/** Prices one planned resource of the type it is registered for (tools/cost/catalog.ts). */
export type Pricer = (r: PlannedResource, ctx: PricingContext) => Priced;

/** The inputs of a resource as a loose record, for reading nested values. */
export type Inputs = Record<string, unknown>;

/** A nested object input, or an empty one. */
export function obj(value: unknown): Inputs {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : {};
}

/** An array input, or an empty one. */
export function arr(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}
