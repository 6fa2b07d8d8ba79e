// Validates response bodies against the OpenAPI schemas copied from openai/openai-openapi
// (spec/openai-finetune-schemas.yaml), with the rewrite reference §5.3 found necessary: the spec
// mixes OpenAPI 3.0 `nullable: true` and boolean `exclusiveMinimum` into a 3.1 document.
import fs from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = unknown;

function rewrite(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewrite(v);
  if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let ajv: Ajv2020 | null = null;
const compiled = new Map<string, ValidateFunction>();

export const SPEC_PATH = new URL('../spec/openai-finetune-schemas.yaml', import.meta.url);

function instance(): Ajv2020 {
  if (!ajv) {
    const doc = rewrite(parse(fs.readFileSync(SPEC_PATH, 'utf8'))) as object;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('unixtime', { type: 'number', validate: (x: number) => Number.isInteger(x) });
    ajv.addFormat('binary', true);
    ajv.addFormat('int64', { type: 'number', validate: (x: number) => Number.isInteger(x) });
    ajv.addSchema(doc, 'oai');
  }
  return ajv;
}

/** Throws with Ajv's errors when `value` does not match components.schemas[name]. */
export function assertMatchesSchema(name: string, value: unknown): void {
  let validate = compiled.get(name);
  if (!validate) {
    const v = instance().getSchema(`oai#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name} in the spec`);
    compiled.set(name, (validate = v));
  }
  if (!validate(value)) {
    throw new Error(`response does not match ${name}: ${JSON.stringify(validate.errors, null, 1).slice(0, 2000)}\n${JSON.stringify(value).slice(0, 1000)}`);
  }
}
