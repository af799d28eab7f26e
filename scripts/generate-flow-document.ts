/**
 * Writes docs/flow-document.md, the reference of the enriched flow document, from the field table
 * (src/contract/flow-fields.ts): every field with its Elasticsearch type, meaning, vocabulary and
 * how the query API may use it. test/unit/contract/flow-document-doc.test.ts fails when the file
 * and the table drift apart.
 *
 *   node --import tsx scripts/generate-flow-document.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOW_FIELDS, resolveFlowFields, type FlowFieldGroup, type FlowFieldSpec, type ResolvedFlowField } from '../src/contract/flow-fields.ts';

export const FLOW_DOCUMENT_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'flow-document.md');

const GROUPS: ReadonlyArray<{ group: FlowFieldGroup; title: string; intro: string }> = [
  { group: 'ecs', title: 'ECS fields', intro: 'Elastic Common Schema names, so Kibana, Elastic Security and readers of Packetbeat flows find the usual fields.' },
  { group: 'compat', title: 'Compatibility fields', intro: 'Non-ECS fields that Elastic\'s own flow data (Packetbeat) carries.' },
  { group: 'segflow', title: 'segflow fields', intro: 'The product namespace (ECS\'s custom-field guidance): Kubernetes and Calico context, policy verdicts and traces, aggregation.' },
];

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function typeOf(f: FlowFieldSpec): string {
  return f.array ? `${f.type}[]` : f.type;
}

function usage(f: ResolvedFlowField): string {
  const parts: string[] = [];
  if (f.required) parts.push('required');
  if (f.api !== undefined) parts.push(`API \`${f.api}\``);
  if (f.filterable) parts.push('filter');
  if (f.aggregatable) parts.push('group by');
  if (f.nestedPath !== undefined) parts.push(`nested in \`${f.nestedPath}\``);
  return parts.join(', ');
}

function row(f: ResolvedFlowField): string {
  const values = f.values ? ` Values: ${f.values.map((v) => `\`${v}\``).join(', ')}.` : '';
  return `| \`${f.path}\` | ${typeOf(f)} | ${cell(usage(f))} | ${cell(f.description)}${values} |`;
}

/** The document's text for the current table. */
export function renderFlowDocument(): string {
  const fields = resolveFlowFields(FLOW_FIELDS);
  const out: string[] = [
    '# The enriched flow document',
    '',
    '<!-- Generated from src/contract/flow-fields.ts by scripts/generate-flow-document.ts; do not edit by hand. -->',
    '',
    'Every field an enriched flow document in Elasticsearch may carry, from the one field table',
    '(`src/contract/flow-fields.ts`) that also makes the index template (`dynamic: strict`: no other',
    'field is accepted), the document type, the query API\'s filters and group-bys and the Kibana',
    'objects. ECS names where ECS has the field, `segflow.*` for the rest. Why the names are what',
    'they are, and an example document: [flow-document-design.md](flow-document-design.md); the',
    'mapping from Calico Enterprise\'s flow-log fields: the README, "Flow documents".',
    '',
    'Columns: the dotted path; the Elasticsearch type (`[]`: a list); how it is used — `required`',
    '(every document has it), the name in the query API, `filter` (the API filters on it),',
    '`group by` (the API and Kibana aggregate on it), the nested field it lives in (queries on it',
    'need a `nested` query); what it means.',
    '',
    `${fields.length} fields.`,
  ];
  for (const { group, title, intro } of GROUPS) {
    const rows = fields.filter((f) => f.group === group);
    if (rows.length === 0) continue;
    out.push('', `## ${title}`, '', intro, '', '| field | type | use | meaning |', '|---|---|---|---|', ...rows.map(row));
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(FLOW_DOCUMENT_DOC, renderFlowDocument());
  process.stdout.write(`wrote ${path.relative(process.cwd(), FLOW_DOCUMENT_DOC)}\n`);
}
