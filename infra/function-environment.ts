/**
 * The environment every function reads its settings from (functions/runtime/config.ts), built once from
 * infra/settings.ts for both roads: the CDK sets it on each Lambda function, the local stack on the
 * process that runs the handlers. Resource names (pool, client, bucket, secret) are added by whoever
 * grants the resource, next to the permission.
 */
import { ENV } from '../functions/runtime/config';
import { passwordPolicyEnv, type Settings } from './settings';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export function functionEnvironment(settings: Settings, logLevel: LogLevel = 'INFO'): Record<string, string> {
  return {
    [ENV.mfaIssuer]: settings.mfa.issuer,
    [ENV.qrUrlTtlSeconds]: String(settings.qrCode.urlExpirySeconds),
    [ENV.adminGroup]: settings.adminGroup,
    [ENV.enrolmentSessionSeconds]: String(settings.mfa.enrolmentSessionMinutes * 60),
    [ENV.passwordPolicy]: passwordPolicyEnv(settings),
    [ENV.uniformResponseMs]: String(settings.uniformResponseMs),
    [ENV.signOutSettleMs]: String(settings.signOutSettleMs),
    POWERTOOLS_SERVICE_NAME: settings.name,
    POWERTOOLS_LOG_LEVEL: logLevel,
    // Events carry passwords, codes and sessions: never let a logger setting print them.
    POWERTOOLS_LOGGER_LOG_EVENT: 'false',
  };
}
