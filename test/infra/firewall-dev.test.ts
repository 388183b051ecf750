/**
 * The WAF is a setting, not a prod feature: on in prod, off by default elsewhere, and dev with
 * settings.waf.enabled gets the same two web ACLs as prod, one on the API and one on the user pool,
 * and still passes cdk-nag. Fixture handlers, as the prod file has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS, settingsFor, type Settings } from '../../infra/settings';
import { firewallOf, fixtureFunctionsDir, synth, type Synthesized } from './synth';

const dev = settingsFor('dev');
const settings: Settings = { ...dev, waf: { ...dev.waf, enabled: true } };
let s: Synthesized;
let fixtures: ReturnType<typeof fixtureFunctionsDir>;

beforeAll(() => {
  fixtures = fixtureFunctionsDir();
  s = synth({ env: 'dev', functionsDir: fixtures.dir, settings });
}, 120_000);

afterAll(() => {
  s?.cleanup();
  fixtures?.cleanup();
});

describe('WAF settings', () => {
  it('is on in prod and off by default in dev and staging, with one rate limit for all', () => {
    expect(settingsFor('prod').waf.enabled).toBe(true);
    expect(settingsFor('dev').waf.enabled).toBe(false);
    expect(settingsFor('staging').waf.enabled).toBe(false);
    const limits = new Set(
      ENVIRONMENTS.map((env) => {
        const { requestsPer5MinutesPerIp, mailRequestsPer5MinutesPerIp } = settingsFor(env).waf;
        return `${requestsPer5MinutesPerIp}/${mailRequestsPer5MinutesPerIp}`;
      }),
    );
    expect(limits.size).toBe(1);
  });
});

describe('WAF turned on in dev', () => {
  it('associates the API web ACL with the API, with the per-IP limit of the settings', () => {
    const { api } = firewallOf(s.template, settings);
    const [apiId] = Object.keys(s.template.findResources('AWS::AppSync::GraphQLApi'));
    expect(api.associations.map((a) => a.Properties.ResourceArn)).toEqual([{ 'Fn::GetAtt': [apiId, 'Arn'] }]);
    expect(api.acl.Properties.Rules[0].Statement.RateBasedStatement).toEqual({
      Limit: settings.waf.requestsPer5MinutesPerIp,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
  });

  it('limits mail per client address: every public field that sends mail, names decoded as JSON escapes', () => {
    const { api } = firewallOf(s.template, settings);
    const rule = api.acl.Properties.Rules[1];
    expect(rule.Name).toBe('per-ip-mail-rate-limit');
    expect(rule.Action).toEqual({ Block: {} });
    const { ScopeDownStatement, ...rate } = rule.Statement.RateBasedStatement;
    // WAF's lowest allowed limit is 10 (AWS WAF Developer Guide, "Rate-based rule high-level settings").
    expect(settings.waf.mailRequestsPer5MinutesPerIp).toBeGreaterThanOrEqual(10);
    expect(rate).toEqual({
      Limit: settings.waf.mailRequestsPer5MinutesPerIp,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    const matches = ScopeDownStatement.OrStatement.Statements.map(
      (st: { ByteMatchStatement: Record<string, unknown> }) => st.ByteMatchStatement,
    );
    expect(matches.map((m: Record<string, unknown>) => m.SearchString).sort()).toEqual([
      'createUser',
      'forgotPassword',
      'resendInvitation',
    ]);
    for (const m of matches) {
      expect(m).toMatchObject({
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
        PositionalConstraint: 'CONTAINS',
        TextTransformations: [{ Priority: 0, Type: 'JS_DECODE' }],
      });
    }
  });

  it('associates the pool web ACL with the user pool, by the pool ARN', () => {
    const { pool } = firewallOf(s.template, settings);
    const [poolId] = Object.keys(s.template.findResources('AWS::Cognito::UserPool'));
    expect(pool.associations.map((a) => a.Properties.ResourceArn)).toEqual([
      { 'Fn::GetAtt': [poolId, 'Arn'] },
    ]);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
  });

  it('still passes cdk-nag AWS Solutions with no unacknowledged finding', () => {
    expect(s.nagViolations).toEqual([]);
  });
});
