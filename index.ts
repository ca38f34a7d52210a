/**
 * Entry point: load and validate the stack's settings (every problem at once, before any
 * resource is registered), compose the stack, export its outputs. `npm run plan` runs this very
 * file under mocks.
 */
import { settingsFromPulumi } from "./settings/load";
import { composeStack } from "./environments/stack";

export = composeStack(settingsFromPulumi());
