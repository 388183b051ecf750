/**
 * The guess-bounds table (functions/domain/guess-bounds.ts): one small item per account and kind of
 * secret while wrong tries are being counted, deleted by DynamoDB's TTL after its window. On demand,
 * so it costs nothing at rest. Made in the stack's own scope.
 */
import { type RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { GUESS_TABLE } from '../functions/domain/guess-bounds';
import { ENV } from '../functions/runtime/config';
import { guessTableName, type Settings } from './settings';

export function addGuessTable(stack: Stack, settings: Settings, removalPolicy: RemovalPolicy): TableV2 {
  const table = new TableV2(stack, 'GuessTable', {
    tableName: guessTableName(settings),
    partitionKey: { name: GUESS_TABLE.partitionKey, type: AttributeType.STRING },
    timeToLiveAttribute: GUESS_TABLE.timeToLive,
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.awsManagedKey(),
    // Counts that expire within the hour: nothing to restore, whatever the stage.
    removalPolicy,
  });
  Validations.of(table).acknowledge({
    id: 'AwsSolutions-DDB3',
    reason:
      'Point-in-time recovery would restore guess counts that expire within an hour; a restore could ' +
      'only lock users out again or let a locked-out guesser back in.',
  });
  return table;
}

/**
 * Gives a function the table: its name, and the three item writes the bound makes (a conditional
 * update, a conditional put, a delete) on that table only: no reads, scans or queries.
 */
export function grantGuessTable(fn: LambdaFunction, table: TableV2): void {
  fn.addEnvironment(ENV.guessTable, table.tableName);
  table.grant(fn, 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
}
