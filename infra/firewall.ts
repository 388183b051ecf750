/**
 * The optional WAF (settings.waf): one web ACL in front of the API, another in front of the user pool,
 * every rule with its own CloudWatch metric. Two ACLs because the two see different traffic: the API is
 * called by the clients, from their own addresses, with GraphQL bodies; the pool is called almost only
 * by the API's functions, from Lambda's addresses. Made in the stack's own scope, so construct paths
 * and logical ids stay the stack's.
 */
import type { Stack } from 'aws-cdk-lib';
import type { IGraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Settings } from './settings';
import { OPERATIONS } from './wiring';

/**
 * The fields the mail rule counts: every operation that sends mail, but login, which mails only an
 * account that never finished enrolment, to someone who knows its password; counting every sign-in
 * here would stop an office's sign-ins at ten per five minutes.
 */
export const MAIL_FIELDS: readonly string[] = OPERATIONS.filter(
  (o) => o.mailBounds && o.fieldName !== 'login',
).map((o) => o.fieldName);

export interface FirewallTargets {
  readonly api: IGraphqlApi;
  readonly userPool: IUserPool;
}

export interface Firewall {
  readonly apiAcl: CfnWebACL;
  readonly poolAcl: CfnWebACL;
}

export function addFirewall(stack: Stack, settings: Settings, targets: FirewallTargets): Firewall {
  const metric = (name: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${settings.name}-${name}`,
  });
  const commonRules = (priority: number, metricName: string): CfnWebACL.RuleProperty => ({
    name: 'aws-common-rules',
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
    },
    visibilityConfig: metric(metricName),
  });

  // ---------- The API ----------
  const apiAcl = new CfnWebACL(stack, 'WebAcl', {
    name: `${settings.name}-api`,
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: metric('api'),
    rules: [
      {
        // Per client address: a flood or a password spray from one address stops here, before AppSync,
        // Lambda and Cognito (the limit and why it is that number: infra/settings.ts, base.waf).
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
        // Per client address, requests that send mail: the per-address mail bounds stop one inbox being
        // flooded, this stops one client spreading mail over many inboxes (settings.ts, base.waf). The
        // field name is looked for in the body after JS_DECODE, so a JSON-escaped name (\u0066orgot…)
        // is still seen; a body past what WAF inspects counts as a match, and the common rules below
        // block it anyway.
        name: 'per-ip-mail-rate-limit',
        priority: 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: settings.waf.mailRequestsPer5MinutesPerIp,
            aggregateKeyType: 'IP',
            evaluationWindowSec: 300,
            scopeDownStatement: {
              orStatement: {
                statements: MAIL_FIELDS.map((field) => ({
                  byteMatchStatement: {
                    searchString: field,
                    fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
                    positionalConstraint: 'CONTAINS',
                    textTransformations: [{ priority: 0, type: 'JS_DECODE' }],
                  },
                })),
              },
            },
          },
        },
        visibilityConfig: metric('mail-rate-limit'),
      },
      // Includes a block on bodies over 8 KB (AppSync hands WAF at most 8 KB of a body anyway). The
      // largest real request, confirmMfa with its sealed enrolment session (about 4 KB, as
      // functions/runtime/validation.ts says), stays under it.
      commonRules(2, 'common-rules'),
    ],
  });
  new CfnWebACLAssociation(stack, 'WebAclAssociation', {
    resourceArn: targets.api.arn,
    webAclArn: apiAcl.attrArn,
  });

  // ---------- The user pool ----------
  // WAF sees the pool's public operations only: the app client's own calls (InitiateAuth,
  // RespondToAuthChallenge, GetUser, GlobalSignOut, ...), never the Admin* calls signed with IAM; the
  // pool has no domain, so no hosted UI or managed login pages. Almost all of those calls are the
  // functions', and they all come from Lambda's addresses, shared by every instance. Hence:
  // - No per-IP rate rule. It would add every user's calls together (about 1.5 pool calls per GraphQL
  //   request, README "What it costs") and block the API's own functions, for everyone, once the sum
  //   passed the limit. No other key tells the functions from a stranger: Cognito withholds user names,
  //   passwords and e-mail addresses from WAF, and a header the functions would send, anyone can send.
  //   Guessing cannot go around the API's limits either: InitiateAuth, RespondToAuthChallenge,
  //   ForgotPassword and ConfirmForgotPassword need the client secret's SECRET_HASH, which only the
  //   functions hold, so guesses go through the API's per-IP limit above and the per-account guess
  //   bounds (functions/domain/guess-bounds.ts).
  // - No IP reputation list: Lambda's addresses are shared with other accounts' functions, and one
  //   listed address would block this API's own calls. Not AWS's account takeover prevention either:
  //   Cognito refuses a web ACL that uses AWSManagedRulesATPRuleSet.
  // - AWS's common rules, which block what no function sends: no User-Agent (the AWS SDK sets one in
  //   Node.js), known scanners' user agents, bodies over 8 KB (Cognito hands WAF up to 16 KB; a
  //   function's body carries at most one token or challenge session, a few KB). What they block from
  //   strangers also stays out of the account's Cognito request-rate quotas, which the functions share:
  //   requests WAF blocks are not counted there. A well-formed flood from one address is not stopped
  //   here.
  const poolAcl = new CfnWebACL(stack, 'PoolWebAcl', {
    name: `${settings.name}-pool`,
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: metric('pool'),
    rules: [commonRules(0, 'pool-common-rules')],
  });
  new CfnWebACLAssociation(stack, 'PoolWebAclAssociation', {
    resourceArn: targets.userPool.userPoolArn,
    webAclArn: poolAcl.attrArn,
  });

  return { apiAcl, poolAcl };
}
