/**
 * AppSync's built-in scalars, validated as AppSync validates them, so a value the real API would
 * refuse is refused locally too. AWSJSON travels as a JSON string on the wire, as on AppSync.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function stringScalar(name: string, test: (s: string) => boolean): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !test(value)) {
      throw new GraphQLError(`Invalid ${name} value: expected a valid ${name}`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

const isDateTime = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/.test(s) &&
  !Number.isNaN(Date.parse(s));

const isUrl = (s: string): boolean => {
  try {
    return Boolean(new URL(s).protocol);
  } catch {
    return false;
  }
};

const json = new GraphQLScalarType({
  name: 'AWSJSON',
  serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: (value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new GraphQLError('Invalid AWSJSON value: expected a JSON string');
    }
  },
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Invalid AWSJSON value: expected a JSON string');
    try {
      return JSON.parse(ast.value) as unknown;
    } catch {
      throw new GraphQLError('Invalid AWSJSON value: expected a JSON string');
    }
  },
});

const timestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  serialize: (v: unknown) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new GraphQLError('Invalid AWSTimestamp value');
    return v;
  },
  parseValue: (v: unknown) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new GraphQLError('Invalid AWSTimestamp value');
    return v;
  },
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Invalid AWSTimestamp value');
    return Number(ast.value);
  },
});

export const AWS_SCALARS: readonly GraphQLScalarType[] = [
  stringScalar('AWSEmail', (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)),
  stringScalar('AWSURL', isUrl),
  stringScalar('AWSDateTime', isDateTime),
  stringScalar('AWSDate', (s) => /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/.test(s)),
  stringScalar('AWSTime', (s) => /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.test(s)),
  stringScalar('AWSPhone', (s) => /^\+?[\d\s().-]{4,32}$/.test(s)),
  stringScalar('AWSIPAddress', (s) => /^[\d.]+(\/\d+)?$|^[0-9a-fA-F:]+(\/\d+)?$/.test(s)),
  json,
  timestamp,
];
