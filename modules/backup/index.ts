/** AWS Backup: vaults in both regions, the daily plan, copies to the DR region, restore testing and its validation. */
export { Backup, type BackupArgs, type RestoreTestingArgs, type VaultLockMode } from "./backup";
export { BACKUP_TAG_KEY, FAILED_JOB_STATES, failedJobsPattern, restoreTestingName, restoreValidationPattern } from "./schedule";
export { RestoreValidation, type RestoreValidationArgs, restoreValidationPolicy } from "./validation";
