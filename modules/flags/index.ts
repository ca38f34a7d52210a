/** Feature flags (runbook 2.4): the flags file, AppConfig, the agent beside the app, the local mode of dev and pr-<N>. */
export * from "./agent";
export * from "./appconfig";
export * from "./content";
export * from "./definition";
export * from "./local";
export * from "./policy";
