/**
 * The cost model behind `npm run bench`'s cost table follows the stack's settings: the WAF only where
 * it is on, with the rules the firewall really builds; the Cognito plan the pool uses; the floor the
 * functions wait for.
 */
import { describe, expect, it } from 'vitest';
import { originalMethodCost, ORIGINAL_SCENARIO, stackCost, wafRulesOf } from '../../bench/cost';
import { settingsFor } from '../../infra/settings';

const line = (estimate: ReturnType<typeof stackCost>, resource: string) =>
  estimate.lines.find((l) => l.resource === resource);

describe('monthly cost', () => {
  it('bills the WAF only where the settings turn it on, counting the rules the firewall builds', () => {
    expect(line(stackCost(settingsFor('dev'), ORIGINAL_SCENARIO), 'WAF')).toBeUndefined();
    const prod = stackCost(settingsFor('prod'), ORIGINAL_SCENARIO);
    // Per-IP limit, per-IP mail limit and AWS's common rules on the API; the common rules on the pool.
    expect(wafRulesOf(settingsFor('prod'))).toEqual({ acls: 2, rules: 4 });
    expect(line(prod, 'WAF')!.assumption).toContain('4 rules');
    expect(prod.infrastructure).toBeGreaterThan(
      stackCost(settingsFor('dev'), ORIGINAL_SCENARIO).infrastructure,
    );
  });

  it('prices the Cognito plan the pool uses, apart from the rest', () => {
    const lite = stackCost(settingsFor('dev'), ORIGINAL_SCENARIO);
    const essentials = stackCost({ ...settingsFor('dev'), featurePlan: 'ESSENTIALS' }, ORIGINAL_SCENARIO);
    // 40,000 paying MAU: $0.0055 each on Lite, $0.015 on Essentials.
    expect(lite.cognito.monthly).toBe(220);
    expect(essentials.cognito.monthly).toBe(600);
    expect(essentials.infrastructure).toBe(lite.infrastructure);
  });

  it('costs the response floor from the setting, and nothing where there is none', () => {
    const withFloor = line(stackCost(settingsFor('dev'), ORIGINAL_SCENARIO), 'Response floor')!;
    const without = line(
      stackCost({ ...settingsFor('dev'), uniformResponseMs: 0 }, ORIGINAL_SCENARIO),
      'Response floor',
    )!;
    expect(withFloor.monthly).toBeGreaterThan(0);
    expect(without.monthly).toBe(0);
  });

  it("prices the original's method from the same table: 1 s × 256 MB x86 per request behind API Gateway", () => {
    const original = originalMethodCost(ORIGINAL_SCENARIO);
    const ours = stackCost(settingsFor('dev'), ORIGINAL_SCENARIO);
    expect(line(original, 'Lambda duration')!.monthly).toBeGreaterThan(
      5 * line(ours, 'Lambda duration')!.monthly,
    );
    expect(original.cognito).toEqual(ours.cognito);
  });
});
