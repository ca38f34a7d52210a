/** Observability (runbook section 3): alarms, alert routing, logs, dashboards, health check, tracing. */
export * from "./catalog";
export { Alarms, alarmDescription, alarmName, metricAlarmArgs, runbookUrl, type AlarmsArgs } from "./alarms";
export { AlertRouting, CHATBOT_REGION, ROUTES, alertTopicName, topicPolicyDocument, type AlertRoutingArgs } from "./routing";
export * from "./logs";
export * from "./dashboards";
export * from "./businessMetrics";
export * from "./healthCheck";
export * from "./collector";
export * from "./dimensions";
