/**
 * Monthly cost of the scenario (BENCH_USERS, BENCH_REQUESTS_PER_DAY, BENCH_BILLED_MS; the original
 * project's by default) for this stack in dev (no WAF) and prod (WAF, a year of logs), and for the
 * original's method, from one price table. Cognito's plan is shown apart: it is the same for both.
 */
import { originalMethodCost, ORIGINAL_SCENARIO, PRICES, stackCost, type Scenario } from '../cost';
import { settingsFor } from '../../infra/settings';
import type { Section } from '../section';

function scenarioFromEnv(): Scenario {
  const number = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${name} must be a non-negative number, got "${raw}"`);
    return value;
  };
  return {
    users: number('BENCH_USERS', ORIGINAL_SCENARIO.users),
    requestsPerUserPerDay: number('BENCH_REQUESTS_PER_DAY', ORIGINAL_SCENARIO.requestsPerUserPerDay),
    billedMsPerCall: number('BENCH_BILLED_MS', ORIGINAL_SCENARIO.billedMsPerCall),
    floorCallsPerUserPerMonth: ORIGINAL_SCENARIO.floorCallsPerUserPerMonth,
  };
}

const usd = (n: number): string =>
  `$${n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const section: Section = {
  id: 'cost',
  async run({ progress }) {
    const scenario = scenarioFromEnv();
    progress(`cost: ${scenario.users} users × ${scenario.requestsPerUserPerDay} requests a day`);
    const estimates = [
      ['this stack, dev', stackCost(settingsFor('dev'), scenario)],
      ['this stack, prod', stackCost(settingsFor('prod'), scenario)],
      ['original method', originalMethodCost(scenario)],
    ] as const;
    const rows = estimates.flatMap(([label, estimate]) => [
      ...estimate.lines.map((line) => ({
        estimate: label,
        resource: line.resource,
        assumption: line.assumption,
        'per month': usd(line.monthly),
      })),
      {
        estimate: label,
        resource: 'total without Cognito',
        assumption: '',
        'per month': usd(estimate.infrastructure),
      },
      {
        estimate: label,
        resource: estimate.cognito.resource,
        assumption: estimate.cognito.assumption,
        'per month': usd(estimate.cognito.monthly),
      },
    ]);
    return {
      title: `Monthly cost: ${scenario.users.toLocaleString('en')} users × ${scenario.requestsPerUserPerDay} requests a day`,
      columns: ['estimate', 'resource', 'assumption', 'per month'],
      rows,
      targets: [],
      notes: [
        `Prices: ${PRICES.asOf}. Free tiers left out unless they never expire.`,
        `Function calls billed ${scenario.billedMsPerCall} ms on average (stated, not measured: local timings say nothing about Lambda).`,
        'The response floor is a sleep in the functions that could reveal whether an account exists; it is billed, and the line above is what it costs.',
        'Cognito is the same for both methods; refresh-token rotation needs Essentials.',
      ],
    };
  },
};

export default section;
