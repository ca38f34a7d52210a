/** On-call as code in PagerDuty: the weekly schedule, the escalation, the service and its CloudWatch integration. */
export { CLOUDWATCH_VENDOR, OnCall, type OnCallArgs } from "./onCall";
export { ESCALATION_LOOPS, WEEK_SECONDS, cloudWatchIntegrationUrl, escalationRules, offsetMinutes, weeklyHandoffStart, type EscalationTarget } from "./rotation";
