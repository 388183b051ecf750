/**
 * Variables checked against the operation's variable definitions before anything runs, with
 * problems worded as AppSync words them (graphql-java: "Variable 'input' has an invalid value: …"),
 * which never print the value sent. graphql-js's own messages quote the whole variable, so a request
 * with one wrong field would have its password or code echoed back in the error.
 */
import {
  coerceInputValue,
  type GraphQLInputType,
  GraphQLError,
  type GraphQLSchema,
  isInputType,
  isNonNullType,
  type OperationDefinitionNode,
  typeFromAST,
} from 'graphql';

/** Problems with the variables, one per wrong place, naming the path and the type, never a value. */
export function variableProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // Unknown types are the validator's to report.
    if (!type || !isInputType(type)) continue;
    if (!(name in variables) || variables[name] === undefined) {
      if (isNonNullType(type) && !definition.defaultValue) {
        problems.push(
          `Variable '${name}' has an invalid value: a value of type '${String(type)}' is required.`,
        );
      }
      continue;
    }
    coerceInputValue(variables[name], type as GraphQLInputType, (path, _invalid, error) => {
      const at = path.length > 0 ? ` at '${[name, ...path].join('.')}'` : '';
      problems.push(`Variable '${name}' has an invalid value${at}: ${reasonOf(error)}`);
    });
  }
  return problems;
}

/** graphql-js's reason, kept only where it holds no value: field names and types come from the schema. */
function reasonOf(error: GraphQLError): string {
  const m = error.message;
  const missing = /^Field "([^"]+)" of required type "([^"]+)" was not provided\.$/.exec(m);
  if (missing) return `Field '${missing[1]}' of required type '${missing[2]}' was not provided.`;
  const unknown = /^Field "([^"]+)" is not defined by type "([^"]+)"\.?/.exec(m);
  if (unknown) return `Field '${unknown[1]}' is not defined by type '${unknown[2]}'.`;
  const expected = /^Expected (?:value of )?type "([^"]+)"/.exec(m);
  if (expected) return `Expected a value of type '${expected[1]}'.`;
  return 'The value does not have the type the schema declares.';
}
