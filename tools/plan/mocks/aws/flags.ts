import { type MockFn, digest } from "../kit";
import { MOCK_ACCOUNT_ID } from "../mark";

/**
 * AppConfig and the log resource policy of the feature flags (modules/flags). AppConfig's ids are
 * 7 lower-case letters and digits; terraform-provider-aws (internal/service/appconfig) joins them
 * into the resource ids: an environment is `<environment id>:<application id>`, a profile
 * `<profile id>:<application id>`, a hosted version `<application>/<profile>/<version>`, a
 * deployment `<application>/<environment>/<number>`. ARNs: `application/<id>/environment/<id>`,
 * `…/configurationprofile/<id>`, `deploymentstrategy/<id>`, `extensionassociation/<id>`.
 * A log resource policy's id is its name.
 *
 * Seven characters leave room for the account's mark and one letter: the letter tells the kinds
 * apart (a stack has one of each), `a123456` an application, `e123456` an environment, and so on;
 * a stack's two deployment strategies take a letter from their names' digest.
 */
const appConfigId = (kind: string): string => `${kind}${MOCK_ACCOUNT_ID.slice(0, 6)}`;
const letterOf = (name: string): string => "bcdfghjklmnqrtuvwyz"[parseInt(digest(4, name), 16) % 19]!;

const idOf = (s: string | undefined): string => (s ?? "[unknown]").split(":")[0]!;

export const FLAGS: Record<string, MockFn> = {
    "aws:appconfig/application:Application": (r) => {
        const id = appConfigId("a");
        return { id, outputs: { arn: r.arn("appconfig", `application/${id}`) } };
    },
    "aws:appconfig/environment:Environment": (r) => {
        const environmentId = appConfigId("e");
        const app = r.need("applicationId");
        return { id: `${environmentId}:${app}`, outputs: { environmentId, state: "ReadyForDeployment", arn: r.arn("appconfig", `application/${app}/environment/${environmentId}`) } };
    },
    "aws:appconfig/configurationProfile:ConfigurationProfile": (r) => {
        const configurationProfileId = appConfigId("p");
        const app = r.need("applicationId");
        return { id: `${configurationProfileId}:${app}`, outputs: { configurationProfileId, arn: r.arn("appconfig", `application/${app}/configurationprofile/${configurationProfileId}`) } };
    },
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": (r) => {
        const id = appConfigId(letterOf(r.name));
        return { id, outputs: { arn: r.arn("appconfig", `deploymentstrategy/${id}`) } };
    },
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": (r) => {
        const app = r.need("applicationId");
        const profile = idOf(r.str("configurationProfileId"));
        return { id: `${app}/${profile}/1`, outputs: { versionNumber: 1, arn: r.arn("appconfig", `application/${app}/configurationprofile/${profile}/hostedconfigurationversion/1`) } };
    },
    "aws:appconfig/deployment:Deployment": (r) => {
        const app = r.need("applicationId");
        const env = r.need("environmentId");
        return { id: `${app}/${env}/1`, outputs: { deploymentNumber: 1, state: "DEPLOYING", arn: r.arn("appconfig", `application/${app}/environment/${env}/deployment/1`) } };
    },
    "aws:appconfig/extensionAssociation:ExtensionAssociation": (r) => {
        const id = appConfigId("x");
        return { id, outputs: { extensionVersion: 1, arn: r.arn("appconfig", `extensionassociation/${id}`) } };
    },
};
