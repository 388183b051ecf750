/**
 * The optional WAF in front of the API (settings.waf): a per-IP rate limit, then AWS's common rule
 * set, every rule with its own CloudWatch metric. Made in the stack's own scope, so construct paths
 * and logical ids stay the stack's.
 */
import type { Stack } from 'aws-cdk-lib';
import type { IGraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Settings } from './settings';

export function addFirewall(stack: Stack, settings: Settings, api: IGraphqlApi): CfnWebACL {
  const metric = (name: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${settings.name}-${name}`,
  });
  const acl = new CfnWebACL(stack, 'WebAcl', {
    name: `${settings.name}-api`,
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: metric('api'),
    rules: [
      {
        // Password guessing and code guessing are per-IP floods long before Cognito's own quotas.
        name: 'per-ip-rate-limit',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: settings.waf.requestsPer5MinutesPerIp,
            aggregateKeyType: 'IP',
            evaluationWindowSec: 300,
          },
        },
        visibilityConfig: metric('rate-limit'),
      },
      {
        // Includes an 8 KB body limit: no field of this API takes more (BAD_USER_INPUT).
        name: 'aws-common-rules',
        priority: 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
        },
        visibilityConfig: metric('common-rules'),
      },
    ],
  });
  new CfnWebACLAssociation(stack, 'WebAclAssociation', {
    resourceArn: api.arn,
    webAclArn: acl.attrArn,
  });
  return acl;
}
