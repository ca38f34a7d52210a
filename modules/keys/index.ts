/** Customer-managed KMS keys: one per purpose, rotation on, explicit key policies. */
export { KEY_USES, Keys, RegionalKey, type KeysArgs, type RegionalKeyArgs } from "./keys";
export { keyPolicy, keyPolicyStatements, type KeyPolicyContext, type KeyPurpose } from "./policy";
