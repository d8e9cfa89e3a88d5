/*
 * The human-readable API reference: one self-contained HTML page (inline CSS, no script, no CDN) rendered
 * from the OpenAPI document, so it always matches /openapi.json.
 */
import type { JsonSchema } from '@valibot/to-json-schema';
import type { OpenApiDocument, OpenApiOperation, OpenApiResponse } from './openapi-document.js';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Minimal inline markdown: `code` only. */
const prose = (text: string | undefined): string =>
  text === undefined ? '' : `<p>${escape(text).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map((s) => typeOf(s as JsonSchema)).join(' | ');
  const base = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  const item = base === 'array' && schema.items ? `${typeOf(schema.items as JsonSchema)}[]` : base;
  const format = schema.format ? ` (${schema.format})` : '';
  return `${item}${format}${(schema as { nullable?: boolean }).nullable ? ' | null' : ''}`;
}

/** Flattens an object schema into rows: dotted name, type, required, description. */
function rows(schema: JsonSchema, prefix = ''): string[] {
  const target = schema.type === 'array' && schema.items ? (schema.items as JsonSchema) : schema;
  const path = schema.type === 'array' ? `${prefix}[]` : prefix;
  const required = new Set(target.required ?? []);
  return Object.entries(target.properties ?? {}).flatMap(([name, child]) => {
    const property = child as JsonSchema;
    const full = path === '' ? name : `${path}.${name}`;
    const row = `<tr><td><code>${escape(full)}</code></td><td>${escape(typeOf(property))}</td><td>${
      required.has(name) ? 'yes' : ''
    }</td><td>${prose(property.description)}</td></tr>`;
    return [row, ...rows(property, full)];
  });
}

function schemaTable(schema: JsonSchema | { $ref: string }): string {
  if ('$ref' in schema && typeof schema.$ref === 'string') {
    return `<p>See <a href="#schema-error">${escape(schema.$ref.split('/').pop() ?? '')}</a>.</p>`;
  }
  const body = rows(schema as JsonSchema);
  if (body.length === 0) return `<p><code>${escape(typeOf(schema as JsonSchema))}</code></p>`;
  return `<table><tr><th>Field</th><th>Type</th><th>Required</th><th>Description</th></tr>${body.join('')}</table>`;
}

function operation(method: string, path: string, op: OpenApiOperation): string {
  const params = op.parameters.map(
    (p) =>
      `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${escape(typeOf(p.schema))}</td><td>${
        p.required ? 'yes' : ''
      }</td><td>${prose(p.description)}</td></tr>`,
  );
  const contentOf = (r: OpenApiResponse): string => {
    const jsonBody = r.content?.['application/json'];
    if (jsonBody !== undefined) return schemaTable(jsonBody.schema);
    const [type] = Object.keys(r.content ?? {});
    return type === undefined ? '' : `<p>Body: <code>${escape(type)}</code></p>`;
  };
  const responses = Object.entries(op.responses).map(
    ([status, r]) =>
      `<h4>${escape(status)} ${escape(r.description)}</h4>${contentOf(r)}`,
  );
  return `<section id="${escape(op.operationId)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code> — ${escape(op.summary)}</h3>
${op.security.length === 0 ? '<p class="note">Public: no API key needed.</p>' : ''}
${prose(op.description)}
${params.length ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th></tr>${params.join('')}</table>` : ''}
${op.requestBody ? `<h4>Request body (application/json)</h4>${schemaTable(op.requestBody.content['application/json'].schema)}` : ''}
<h4>Responses</h4>${responses.join('')}
</section>`;
}

export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const sections = document.tags.map(({ name }) => {
    const ops = operations.filter(({ op }) => op.tags.includes(name));
    return `<h2>${escape(name)}</h2>${ops.map(({ method, path, op }) => operation(method, path, op)).join('')}`;
  });
  const toc = operations
    .map(({ method, path, op }) => `<li><a href="#${escape(op.operationId)}">${method.toUpperCase()} ${escape(path)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1a1a1a}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}td p{margin:0}
section{border-top:1px solid #eee;padding-top:.5em}.method{font-family:monospace;padding:.1em .4em;border-radius:3px;color:#fff}
.get{background:#2b6cb0}.post{background:#2f855a}.delete{background:#c53030}.patch,.put{background:#b7791f}.note{color:#555}
</style></head><body>
<h1>${escape(document.info.title)} <small>v${escape(document.info.version)}</small></h1>
${prose(document.info.description)}
<p>Authenticate with <code>Authorization: Bearer &lt;api key&gt;</code>. Bodies are JSON. The machine-readable
document is <a href="/openapi.json">/openapi.json</a>.</p>
<ul>${toc}</ul>
${sections.join('\n')}
<h2 id="schema-error">Error</h2>
<p>Every failure has this body and an <code>X-Request-Id</code> header.</p>
${schemaTable(document.components.schemas['Error'] ?? {})}
</body></html>`;
}
