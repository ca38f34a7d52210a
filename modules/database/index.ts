/** PostgreSQL on RDS, its parameters, and where a new instance starts from. */
export { PostgresDatabase, REPLACING_INPUTS, type PostgresDatabaseArgs } from "./database";
export { EXPORTED_LOGS, dbParameters, majorVersion, parameterFamily, rdsEngineVersion, type DbParameter } from "./parameters";
export { RESTORE_ONLY_INPUTS, restoreInputs, restoreSourceOf, type RestoreInputs, type RestoreSource } from "./restore";
