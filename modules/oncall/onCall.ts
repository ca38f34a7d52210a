import type * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import { ESCALATION_LOOPS, WEEK_SECONDS, cloudWatchIntegrationUrl, escalationRules, weeklyHandoffStart } from "./rotation";

/** The vendor of PagerDuty's Amazon CloudWatch integration, as its API names it. */
export const CLOUDWATCH_VENDOR = "Amazon CloudWatch";

export interface OnCallArgs {
    /** `<appName>-<stack>`: the service, its escalation policy and schedule are named after it. */
    namePrefix: string;
    /** The PagerDuty REST API key (a secret): the provider of every resource here. */
    token: pulumi.Input<string>;
    /** The weekly rotation, in order: PagerDuty users by e-mail. At least one. */
    responders: readonly string[];
    /** Paged after `escalateAfterMinutes` without an acknowledgement; none: the rotation again. */
    escalateTo: readonly string[];
    escalateAfterMinutes: number;
    /** The weekly handoff (runbook 3.8: Monday 9am). */
    handoff: { day: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"; time: string };
    /** The schedule's IANA time zone. */
    timeZone: string;
}

/**
 * On-call as code (runbook 3.5, 3.8) in PagerDuty: a weekly schedule of the responders handing over
 * at the handoff time, an escalation policy from the schedule to the escalation contacts, the
 * service alerts open incidents on, and its Amazon CloudWatch integration, whose URL (a secret:
 * the integration key in it lets anyone open incidents) the SNS topics of the critical and high
 * alerts subscribe to. Users are looked up by e-mail; they must exist in PagerDuty.
 */
export class OnCall extends pulumi.ComponentResource {
    readonly schedule: pagerduty.Schedule;
    readonly escalationPolicy: pagerduty.EscalationPolicy;
    readonly service: pagerduty.Service;
    readonly integration: pagerduty.ServiceIntegration;
    /** `https://events.pagerduty.com/integration/<key>/enqueue`, a secret. */
    readonly integrationUrl: pulumi.Output<string>;

    constructor(name: string, args: OnCallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ops:oncall:OnCall", name, {}, opts);
        // Loaded here rather than on import: a stack without on-call never loads the provider.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pagerduty = require("@pulumi/pagerduty") as typeof import("@pulumi/pagerduty");
        if (args.responders.length === 0) throw new Error("OnCall: the weekly rotation needs at least one responder (onCall.responders).");
        const provider = new pagerduty.Provider(name, { token: pulumi.secret(args.token) }, { parent: this });
        const o = { parent: this, provider };
        const userId = (email: string): pulumi.Output<string> => pagerduty.getUserOutput({ email }, o).id;

        const start = weeklyHandoffStart(args.handoff, args.timeZone);
        this.schedule = new pagerduty.Schedule(
            name,
            {
                name: `${args.namePrefix} on-call`,
                description: `Weekly rotation, handoff ${args.handoff.day} ${args.handoff.time} ${args.timeZone} (runbook 3.8). Managed by Pulumi: change onCall.responders, not this schedule.`,
                timeZone: args.timeZone,
                layers: [{ name: "Weekly rotation", start, rotationVirtualStart: start, rotationTurnLengthSeconds: WEEK_SECONDS, users: args.responders.map(userId) }],
            },
            o,
        );
        this.escalationPolicy = new pagerduty.EscalationPolicy(
            name,
            {
                name: `${args.namePrefix} escalation`,
                description: `The on-call, then after ${args.escalateAfterMinutes} minutes without an acknowledgement the escalation contacts (runbook 3.8).`,
                numLoops: ESCALATION_LOOPS,
                rules: escalationRules(this.schedule.id, args.escalateTo.map(userId), args.escalateAfterMinutes),
            },
            o,
        );
        this.service = new pagerduty.Service(
            name,
            {
                name: args.namePrefix,
                description: `Critical and high alerts of ${args.namePrefix} (CloudWatch alarms through SNS; runbook 3.5).`,
                escalationPolicy: this.escalationPolicy.id,
                // Alerts grouped into incidents, as PagerDuty recommends (and its Events API v2 requires).
                alertCreation: "create_alerts_and_incidents",
            },
            o,
        );
        const vendor = pagerduty.getVendorOutput({ name: CLOUDWATCH_VENDOR }, o);
        this.integration = new pagerduty.ServiceIntegration(
            name,
            { name: CLOUDWATCH_VENDOR, service: this.service.id, vendor: vendor.id },
            // The key in the URL opens incidents: never in the state or a plan in plain text.
            { ...o, additionalSecretOutputs: ["integrationKey"] },
        );
        this.integrationUrl = pulumi.secret(this.integration.integrationKey.apply(cloudWatchIntegrationUrl));
        this.registerOutputs({ serviceId: this.service.id, scheduleId: this.schedule.id });
    }
}
