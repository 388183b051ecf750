/**
 * Structured JSON logs with the request id (Powertools for AWS Lambda). What may be logged: the
 * operation, ids, outcomes and exception names. Never arguments, tokens, sessions, codes, secrets or
 * exception messages (Cognito's can echo input).
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'auth-api' });
