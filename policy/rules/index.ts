/**
 * The policy pack's rules, in the order reports list them (by service). Adding, removing or
 * weakening a rule changes test/policy/catalogue.test.ts, which pins names and enforcement.
 */
import type { PolicyRule } from "../rule";
import { backupRules } from "./backup";
import { ecrRules, appconfigRules } from "./ecr";
import { acmRules, wafRules } from "./edge";
import { eksRules } from "./eks";
import { elasticacheRules } from "./elasticache";
import { elbRules } from "./elb";
import { generalRules } from "./general";
import { iamRules } from "./iam";
import { kmsRules } from "./kms";
import { kubernetesRules } from "./kubernetes";
import { lambdaRules } from "./lambda";
import { cloudwatchRules, snsRules } from "./observability";
import { rdsRules } from "./rds";
import { s3Rules } from "./s3";
import { secretsRules } from "./secrets";
import { vpcRules } from "./vpc";

export const rules: readonly PolicyRule[] = [
    ...generalRules,
    ...rdsRules,
    ...elasticacheRules,
    ...s3Rules,
    ...kmsRules,
    ...secretsRules,
    ...eksRules,
    ...elbRules,
    ...wafRules,
    ...acmRules,
    ...lambdaRules,
    ...snsRules,
    ...cloudwatchRules,
    ...backupRules,
    ...iamRules,
    ...vpcRules,
    ...ecrRules,
    ...appconfigRules,
    ...kubernetesRules,
];
