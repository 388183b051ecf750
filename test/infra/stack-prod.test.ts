/**
 * The prod environment: what protects production data and the public endpoint. Fixture handlers for
 * every row, so the protections are proven on every function's resources too.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/settings';
import { OPERATIONS } from '../../infra/wiring';
import { firewallOf, fixtureFunctionsDir, synth, type Synthesized, type CfnJson } from './synth';

const settings = settingsFor('prod');
let s: Synthesized;
let fixtures: ReturnType<typeof fixtureFunctionsDir>;

beforeAll(() => {
  fixtures = fixtureFunctionsDir();
  s = synth({ env: 'prod', functionsDir: fixtures.dir });
}, 120_000);

afterAll(() => {
  s?.cleanup();
  fixtures?.cleanup();
});

type Json = CfnJson;

describe('prod settings', () => {
  it('deploys to the stack named after the environment', () => {
    expect(s.stack.stackName).toBe(settings.name);
  });

  it('turns introspection off, so the schema is not handed to strangers', () => {
    s.template.hasResourceProperties('AWS::AppSync::GraphQLApi', { IntrospectionConfig: 'DISABLED' });
  });

  it('protects the user pool from deletion and keeps it and the bucket when the stack goes', () => {
    s.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
    s.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('keeps every log group, with the prod retention', () => {
    const groups = Object.values(s.template.findResources('AWS::Logs::LogGroup')) as Json[];
    expect(groups).toHaveLength(OPERATIONS.length + 2); // one per operation, the sweep's, AppSync's
    for (const g of groups) {
      expect(g.DeletionPolicy).toBe('Retain');
      expect(g.Properties.RetentionInDays).toBe(settings.logRetentionDays);
    }
  });

  it('puts a WAF web ACL in front of the API: per-IP rate limits from the settings (all requests, then mail), then AWS common rules', () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: `${settings.name}-api`,
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Priority: 0,
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: {
              Limit: settings.waf.requestsPer5MinutesPerIp,
              AggregateKeyType: 'IP',
              EvaluationWindowSec: 300,
            },
          },
        }),
        Match.objectLike({
          Priority: 1,
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({ Limit: settings.waf.mailRequestsPer5MinutesPerIp }),
          },
        }),
        Match.objectLike({
          Priority: 2,
          OverrideAction: { None: {} },
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
      ],
    });
    const { api } = firewallOf(s.template, settings);
    const [apiId] = Object.keys(s.template.findResources('AWS::AppSync::GraphQLApi'));
    expect(api.associations.map((a) => a.Properties)).toEqual([
      {
        ResourceArn: { 'Fn::GetAtt': [apiId, 'Arn'] },
        WebACLArn: { 'Fn::GetAtt': [api.id, 'Arn'] },
      },
    ]);
  });

  it("puts a second web ACL in front of the user pool: AWS common rules, no per-IP limit on the functions' calls", () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: `${settings.name}-pool`,
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Priority: 0,
          OverrideAction: { None: {} },
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
      ],
    });
    const { pool } = firewallOf(s.template, settings);
    // Every call the functions make reaches the pool from Lambda's addresses: a per-IP limit would
    // count all users together. Cognito refuses account takeover prevention (ATP) outright.
    expect(JSON.stringify(pool.acl)).not.toMatch(/RateBasedStatement|AWSManagedRulesATPRuleSet/);
    const [poolId] = Object.keys(s.template.findResources('AWS::Cognito::UserPool'));
    expect(pool.associations.map((a) => a.Properties)).toEqual([
      {
        ResourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
        WebACLArn: { 'Fn::GetAtt': [pool.id, 'Arn'] },
      },
    ]);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
  });

  it('passes cdk-nag AWS Solutions with no unacknowledged finding', () => {
    expect(s.nagViolations).toEqual([]);
  });
});
