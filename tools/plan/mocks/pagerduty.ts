import { digest, markedHex } from "./kit";
import type { MockFn } from "./kit";
import { PAGERDUTY_ID_MARK } from "./mark";
import type { InvokeFn } from "./invokes";

/**
 * @pulumi/pagerduty: PagerDuty's object ids are seven characters, `P` and six upper-case letters
 * or digits (PagerDuty REST API reference: `PIJ90N7`, `PT4KHLK`); the mocks' end in `1234`
 * (./mark.ts). The provider's id of each resource is the object's id (terraform-provider-pagerduty
 * `d.SetId(<object>.ID)`). An integration's key is 32 hexadecimal characters, marked with the
 * account's digits; the program holds it as a secret.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A PagerDuty id, stable for its parts: `P`, two characters from their digest, then the mark. */
export function pagerDutyId(...parts: string[]): string {
    const h = parseInt(digest(8, ...parts), 16);
    return `P${ALPHABET[h % 36]!}${ALPHABET[Math.floor(h / 36) % 36]!}${PAGERDUTY_ID_MARK}`;
}

const object: MockFn = (r) => ({ id: pagerDutyId(r.type, r.name) });

export const PAGERDUTY: Record<string, MockFn> = {
    "pagerduty:index/schedule:Schedule": object,
    "pagerduty:index/escalationPolicy:EscalationPolicy": object,
    "pagerduty:index/service:Service": (r) => {
        const id = pagerDutyId(r.type, r.name);
        return { id, outputs: { htmlUrl: `https://example.pagerduty.com/service-directory/${id}` } };
    },
    "pagerduty:index/serviceIntegration:ServiceIntegration": (r) => {
        const id = pagerDutyId(r.type, r.name);
        return { id, outputs: { integrationKey: markedHex(32, r.type, r.name, "key"), htmlUrl: `https://example.pagerduty.com/services/${r.need("service")}/integrations/${id}` } };
    },
};

/** Users by e-mail, and vendors by name, as the provider's data sources return them. */
export const PAGERDUTY_INVOKES: Record<string, InvokeFn> = {
    "pagerduty:index/getUser:getUser": ({ inputs }) => {
        const email = String(inputs["email"]);
        return { id: pagerDutyId("user", email), email, name: email.split("@")[0] };
    },
    "pagerduty:index/getVendor:getVendor": ({ inputs }) => ({ id: pagerDutyId("vendor", String(inputs["name"])), name: inputs["name"], type: "generic_events_api_inbound_integration" }),
};
