/** The app's own AWS identity: one Pod Identity role with a policy per purpose. */
export { AppIdentity, checkedPurpose, type AppIdentityArgs } from "./appIdentity";
