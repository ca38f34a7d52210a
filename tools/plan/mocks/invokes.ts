import { MOCK_ACCOUNT_ID } from "./mark";
import { markedUpper, shortRegion } from "./kit";
import { PAGERDUTY_INVOKES } from "./pagerduty";

/**
 * The one table of invoke answers, keyed by function token. An invoke without an entry fails the
 * plan (see `RealisticMocks.call`): a test or a plan must never run on a silent `undefined`.
 */

/** An invoke as the mocks receive it, with the region it runs in (its `region` argument, else its provider's). */
export interface InvokeArgs {
    inputs: Record<string, unknown>;
    region: string;
}

export type InvokeFn = (a: InvokeArgs) => Record<string, unknown>;

/** The identity the plan runs as: an IAM user of the mock account. */
const CALLER = "plan";

export const INVOKE_MOCKS: Readonly<Record<string, InvokeFn>> = Object.freeze({
    ...PAGERDUTY_INVOKES,
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/${CALLER}`,
        userId: `AIDA${markedUpper(17, "caller")}`,
        id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getRegion:getRegion": ({ region }) => ({
        name: region,
        region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": ({ region }) => {
        const letters = ["a", "b", "c", "d"];
        return {
            names: letters.map((l) => `${region}${l}`),
            zoneIds: letters.map((_, i) => `${shortRegion(region)}-az${i + 1}`),
            groupNames: letters.map(() => region),
            id: region,
        };
    },
});
