/**
 * What the stack costs a month for N users making R requests a day, from the stack's own settings
 * (function memory and architecture, the Cognito plan, WAF on or off, log retention, the response
 * floor) and a stated billed duration per call, next to the original project's method (API Gateway
 * REST and 1 s × 256 MB x86 Lambdas) priced from the same table.
 */
import { App, Stack } from 'aws-cdk-lib';
import { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { addFirewall } from '../infra/firewall';
import { FUNCTION_MEMORY_MB } from '../infra/operation-function';
import type { Settings } from '../infra/settings';

/**
 * List prices, US East (N. Virginia), as published on the AWS pricing pages in 2025 (Cognito's plans
 * as in force since 22 November 2024). eu-west-1 is the same or within about 15 %. Free tiers are
 * left out unless they never expire.
 */
export const PRICES = {
  asOf: '2025, us-east-1 list prices',
  appsyncPerMillion: 4.0,
  apiGatewayRestPerMillion: 3.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
  /** Per MAU beyond the free tier (Lite and Essentials: first 10,000 free; Plus: none). */
  cognitoMau: {
    LITE: { price: 0.0055, free: 10_000 },
    ESSENTIALS: { price: 0.015, free: 10_000 },
    PLUS: { price: 0.02, free: 0 },
  },
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  s3GbMonth: 0.023,
  logsIngestPerGb: 0.5,
  logsStoragePerGbMonth: 0.03,
  xrayPerMillionTraces: 5.0,
  xrayFreeTraces: 100_000,
  wafPerAcl: 5.0,
  wafPerRule: 1.0,
  wafPerMillionRequests: 0.6,
  secretPerMonth: 0.4,
  secretsPerTenThousandCalls: 0.05,
  dynamodbPerMillionWrites: 0.625,
} as const;

export interface Scenario {
  readonly users: number;
  readonly requestsPerUserPerDay: number;
  /** Average billed duration of one function call on AWS (stated: local timings say nothing about Lambda's). */
  readonly billedMsPerCall: number;
  /** Calls per user per month of the operations that wait for the response floor (a forgotten password: 2). */
  readonly floorCallsPerUserPerMonth: number;
}

/** The original project's scenario (its README): 50,000 users, 26 requests per user per day. */
export const ORIGINAL_SCENARIO: Scenario = {
  users: 50_000,
  requestsPerUserPerDay: 26,
  billedMsPerCall: 150,
  floorCallsPerUserPerMonth: 2,
};

export interface CostLine {
  readonly resource: string;
  readonly assumption: string;
  readonly monthly: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  /** Everything but Cognito. */
  readonly infrastructure: number;
  readonly cognito: CostLine;
}

const DAYS = 30;
/** App-client calls the functions make to the pool per GraphQL request (README, What it costs). */
const POOL_CALLS_PER_REQUEST = 1.5;
/** Log ingestion per invocation: platform lines plus one line of ours. */
const LOG_GB_PER_INVOCATION = 1 / (1024 * 1024);
/** X-Ray's default sampling: one a second plus 5 % of the rest. */
const XRAY_RESERVOIR_PER_MONTH = DAYS * 86_400;
/** Password and code checks per user per day, each taking a bound slot and clearing it. */
const GUESS_CHECKS_PER_USER_PER_DAY = 4;
const WRITES_PER_GUESS_CHECK = 2;

const round = (n: number): number => Math.round(n * 100) / 100;

/** WAF rules as the stack builds them (both web ACLs), counted from the construct, not by hand. */
export function wafRulesOf(settings: Settings): { acls: number; rules: number } {
  const stack = new Stack(new App(), 'CostModel');
  const api = GraphqlApi.fromGraphqlApiAttributes(stack, 'Api', { graphqlApiId: 'api' });
  const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'pool');
  const { apiAcl, poolAcl } = addFirewall(stack, settings, { api, userPool });
  const count = (acl: typeof apiAcl) => (Array.isArray(acl.rules) ? acl.rules.length : 0);
  return { acls: 2, rules: count(apiAcl) + count(poolAcl) };
}

function cognitoLine(plan: 'LITE' | 'ESSENTIALS' | 'PLUS', users: number): CostLine {
  const { price, free } = PRICES.cognitoMau[plan];
  return {
    resource: `Cognito (${plan})`,
    assumption: `${users.toLocaleString('en')} MAU, ${free.toLocaleString('en')} free`,
    monthly: round(Math.max(0, users - free) * price),
  };
}

/** This stack, as `settings` deploys it. */
export function stackCost(settings: Settings, scenario: Scenario): CostEstimate {
  const requests = scenario.users * scenario.requestsPerUserPerDay * DAYS;
  const gb = FUNCTION_MEMORY_MB / 1024;
  const gbSecondPrice = PRICES.lambdaGbSecond.arm64;
  const floorCalls = scenario.users * scenario.floorCallsPerUserPerMonth;
  const floorExtraS = Math.max(0, settings.uniformResponseMs - scenario.billedMsPerCall) / 1000;
  const logGb = requests * LOG_GB_PER_INVOCATION;
  const xrayTraces = Math.max(0, XRAY_RESERVOIR_PER_MONTH + 0.05 * requests - PRICES.xrayFreeTraces);
  const lines: CostLine[] = [
    {
      resource: 'AppSync',
      assumption: `${(requests / 1e6).toFixed(1)} M operations`,
      monthly: round((requests / 1e6) * PRICES.appsyncPerMillion),
    },
    {
      resource: 'Lambda requests',
      assumption: `${(requests / 1e6).toFixed(1)} M invocations`,
      monthly: round((requests / 1e6) * PRICES.lambdaRequestsPerMillion),
    },
    {
      resource: 'Lambda duration',
      assumption: `arm64, ${FUNCTION_MEMORY_MB} MB, ${scenario.billedMsPerCall} ms billed per call`,
      monthly: round(requests * (scenario.billedMsPerCall / 1000) * gb * gbSecondPrice),
    },
    {
      resource: 'Response floor',
      assumption: `${settings.uniformResponseMs} ms on ${scenario.floorCallsPerUserPerMonth} calls per user a month`,
      monthly: round(floorCalls * floorExtraS * gb * gbSecondPrice),
    },
    {
      resource: 'S3',
      assumption: 'one QR PUT, GET and DELETE per user, recovery hashes',
      monthly: round(
        (scenario.users / 1000) * (2 * PRICES.s3PutPerThousand + 2 * PRICES.s3GetPerThousand) +
          (scenario.users / 1e6) * PRICES.s3GbMonth,
      ),
    },
    {
      resource: 'CloudWatch Logs',
      assumption: `≈1 KB per invocation, kept ${settings.logRetentionDays} days`,
      monthly: round(
        logGb * PRICES.logsIngestPerGb +
          logGb * Math.min(12, settings.logRetentionDays / DAYS) * PRICES.logsStoragePerGbMonth,
      ),
    },
    {
      resource: 'X-Ray',
      assumption: '1 a second + 5 %, 100,000 free',
      monthly: round((xrayTraces / 1e6) * PRICES.xrayPerMillionTraces),
    },
    {
      resource: 'Secrets Manager',
      assumption: '2 secrets, read once per cold start',
      monthly: round(2 * PRICES.secretPerMonth + (100_000 / 10_000) * PRICES.secretsPerTenThousandCalls),
    },
    {
      resource: 'DynamoDB (guess bounds)',
      assumption: `${GUESS_CHECKS_PER_USER_PER_DAY} checks per user a day, ${WRITES_PER_GUESS_CHECK} writes each`,
      monthly: round(
        ((scenario.users * GUESS_CHECKS_PER_USER_PER_DAY * DAYS * WRITES_PER_GUESS_CHECK) / 1e6) *
          PRICES.dynamodbPerMillionWrites,
      ),
    },
  ];
  if (settings.waf.enabled) {
    const { acls, rules } = wafRulesOf(settings);
    const inspected = requests * (1 + POOL_CALLS_PER_REQUEST);
    lines.push({
      resource: 'WAF',
      assumption: `${acls} web ACLs, ${rules} rules, API requests + ${POOL_CALLS_PER_REQUEST} pool calls each`,
      monthly: round(
        acls * PRICES.wafPerAcl +
          rules * PRICES.wafPerRule +
          (inspected / 1e6) * PRICES.wafPerMillionRequests,
      ),
    });
  }
  const plan = settings.featurePlan ?? 'LITE';
  return {
    lines,
    infrastructure: round(lines.reduce((sum, l) => sum + l.monthly, 0)),
    cognito: cognitoLine(plan, scenario.users),
  };
}

/** The original's method: API Gateway REST, one x86 Lambda call of 1 s at 256 MB per request. */
export function originalMethodCost(scenario: Scenario): CostEstimate {
  const requests = scenario.users * scenario.requestsPerUserPerDay * DAYS;
  const lines: CostLine[] = [
    {
      resource: 'API Gateway (REST)',
      assumption: `${(requests / 1e6).toFixed(1)} M requests`,
      monthly: round((requests / 1e6) * PRICES.apiGatewayRestPerMillion),
    },
    {
      resource: 'Lambda requests',
      assumption: `${(requests / 1e6).toFixed(1)} M invocations`,
      monthly: round((requests / 1e6) * PRICES.lambdaRequestsPerMillion),
    },
    {
      resource: 'Lambda duration',
      assumption: 'x86_64, 256 MB, 1 s per call',
      monthly: round(requests * 1 * (256 / 1024) * PRICES.lambdaGbSecond.x86_64),
    },
  ];
  return {
    lines,
    infrastructure: round(lines.reduce((sum, l) => sum + l.monthly, 0)),
    cognito: cognitoLine('LITE', scenario.users),
  };
}
