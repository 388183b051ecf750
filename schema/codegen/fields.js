// A graphql-codegen plugin: one entry per root field, keyed as the wiring table and the functions
// name them ('Mutation.login'), with the field's arguments and its result type. The typescript plugin
// emits the types it points at; this file only indexes them, so a function can be typed by its field
// name alone and a schema change reaches every handler through the compiler.
/** The typescript plugin's name for a field's arguments type: Mutation + Login + Args. */
const argsTypeName = (typeName, fieldName) =>
  `${typeName}${fieldName[0].toUpperCase()}${fieldName.slice(1)}Args`;

/** @param {import('graphql').GraphQLSchema} schema */
export function plugin(schema) {
  const lines = [
    '/** Every root field: its arguments as the function receives them, and what it returns. */',
    'export interface Fields {',
  ];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const args = field.args.length > 0 ? argsTypeName(type.name, field.name) : 'Record<string, never>';
      lines.push(
        `  '${type.name}.${field.name}': { args: ${args}; result: NonNullable<${type.name}['${field.name}']> };`,
      );
    }
  }
  lines.push('}', '', 'export type FieldName = keyof Fields;', '');
  return lines.join('\n');
}
