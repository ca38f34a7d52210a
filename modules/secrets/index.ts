/** The app's secrets: Secrets Manager, rotation, and delivery to pods through External Secrets Operator. */
export { PERIOD_TAG } from "../../lambdas/secret-age/age";
export { AppSecrets, type AppSecretsArgs } from "./secrets";
export { ESO_API_VERSION, SECRET_KEYS, SecretDelivery, type SecretDeliveryArgs } from "./delivery";
export { LAMBDA_RUNTIME, bundleDigest, bundleLambda, lambdaCode } from "./bundle";
export * from "./reload";
export * from "./timing";
export * from "./names";
export * from "./policies";
