/** AWS Backup: vaults in both regions, the daily plan, copies to the DR region, restore testing. */
export { Backup, type BackupArgs, type RestoreTestingArgs, type VaultLockMode } from "./backup";
export { BACKUP_TAG_KEY, FAILED_JOB_STATES, failedJobsPattern, restoreTestingName } from "./schedule";
