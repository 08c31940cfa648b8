/**
 * Generates TypeScript types from the Avro schemas in schemas/: the .avsc files are the one
 * source of truth, and a unit test fails when the generated file drifts from them.
 * Avro timestamp-millis becomes `number` (epoch milliseconds): that is what the codec decodes to,
 * so no Date is allocated per record.
 */
type AvroType = string | AvroType[] | { type: string; [k: string]: unknown };
type Field = { name: string; type: AvroType; doc?: string };
type NamedSchema = {
  type: string;
  name: string;
  namespace?: string;
  doc?: string;
  fields?: Field[];
  symbols?: string[];
};

export function generateSchemaTypes(schemas: Array<{ file: string; schema: NamedSchema }>): string {
  const enums = new Map<string, NamedSchema>();
  const out: string[] = [
    '// Generated from schemas/*.avsc by `npm run gen:types`. Do not edit: change the schema and regenerate.',
    '',
  ];
  const nested = new Map<string, { schema: NamedSchema; file: string }>();
  const records: string[] = [];
  for (const { file, schema } of schemas) {
    collectEnums(schema, enums);
    for (const field of schema.fields ?? []) collectRecords(field.type, file, nested);
    records.push(renderRecord(schema, file));
  }
  // Records nested in a field (e.g. a ["null", {record}] union), once each even when several
  // files define the same one, so an output's parts have one type everywhere.
  for (const { schema, file } of [...nested.values()].sort((a, b) =>
    a.schema.name.localeCompare(b.schema.name),
  )) {
    records.push(renderRecord(schema, file));
  }
  for (const e of [...enums.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(doc(e.doc, ''));
    out.push(`export const ${e.name}Symbols = [${e.symbols!.map((s) => `'${s}'`).join(', ')}] as const;`);
    out.push(`export type ${e.name} = (typeof ${e.name}Symbols)[number];`, '');
  }
  out.push(...records);
  return out.filter((l) => l !== undefined).join('\n');
}

function collectEnums(type: AvroType, enums: Map<string, NamedSchema>): void {
  if (Array.isArray(type)) return type.forEach((t) => collectEnums(t, enums));
  if (typeof type !== 'object') return;
  if (type.type === 'enum') enums.set(String(type.name), type as unknown as NamedSchema);
  for (const field of (type.fields as Field[] | undefined) ?? []) collectEnums(field.type, enums);
}

function collectRecords(
  type: AvroType,
  file: string,
  records: Map<string, { schema: NamedSchema; file: string }>,
): void {
  if (Array.isArray(type)) return type.forEach((t) => collectRecords(t, file, records));
  if (typeof type !== 'object') return;
  if (type.type === 'record' && !records.has(String(type.name))) {
    records.set(String(type.name), { schema: type as unknown as NamedSchema, file });
  }
  for (const field of (type.fields as Field[] | undefined) ?? []) collectRecords(field.type, file, records);
}

function renderRecord(schema: NamedSchema, file: string): string {
  const lines = [doc(`${schema.doc ?? ''} (schemas/${file})`, ''), `export interface ${schema.name} {`];
  for (const field of schema.fields ?? []) {
    lines.push(doc(field.doc, '  '), `  ${field.name}: ${tsType(field.type)};`);
  }
  lines.push('}', '');
  return lines.filter((l) => l !== '').join('\n') + '\n';
}

function tsType(type: AvroType): string {
  if (Array.isArray(type)) return type.map(tsType).join(' | ');
  if (typeof type === 'string') return primitive(type);
  if (type.type === 'enum' || type.type === 'record') return String(type.name);
  if (type.type === 'array') return `Array<${tsType(type.items as AvroType)}>`;
  return primitive(type.type);
}

function primitive(name: string): string {
  switch (name) {
    case 'null':
      return 'null';
    case 'string':
      return 'string';
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'bytes':
      return 'Buffer';
    default:
      return name.split('.').pop()!; // a named type defined elsewhere in the same file
  }
}

function doc(text: string | undefined, indent: string): string {
  return text ? `${indent}/** ${text.trim()} */` : '';
}
