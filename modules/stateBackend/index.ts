export { StateBackend, type RegionalBackend, type StateBackendArgs } from "./backend";
export { backendUrl, bucketNameProblem, keyAliases, lifecycleRules, replicationRule, secretsProviderUrl, stateBucketNames, type ReplicationRule } from "./layout";
