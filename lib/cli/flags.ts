// The one flag parser every CLI uses: Node's util.parseArgs reads the command line, each
// string flag's value is checked by its zod schema, and every problem is reported at once
// with the flag it is about — an unknown flag (with the list of valid ones), a flag without
// its value, a value the schema refuses, a required flag left out. `--help` prints what the
// command does and every flag. Pure until `parseOrExit`, so tests call `parseFlags` directly.
import { parseArgs } from 'node:util';
import { z } from 'zod';

interface FlagBase {
  /** One line for --help. */
  help: string;
}
export interface StringFlag<S extends z.ZodType = z.ZodType> extends FlagBase {
  type: 'string';
  /** Placeholder in the usage line, e.g. "N|auto" (default: the flag's name). */
  value?: string;
  /** Checks and converts the text; its message follows "--flag: ". Default: any text. */
  schema?: S;
  /** Left out → "--flag is required" (plus `required` when it is a string: what to give). */
  required?: boolean | string;
  /** Text used when the flag is left out (checked by the schema like a given value). */
  default?: string;
}
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}
export type FlagSpec = StringFlag | BooleanFlag;
export type FlagSpecs = Record<string, FlagSpec>;

type Present<F> = F extends { required: true | string } ? true : F extends { default: string } ? true : false;
type TextOf<F> = F extends { schema: infer S extends z.ZodType } ? z.output<S> : string;
type ValueOf<F> = F extends BooleanFlag ? boolean : Present<F> extends true ? TextOf<F> : TextOf<F> | undefined;
export type FlagValues<F extends FlagSpecs> = { -readonly [K in keyof F]: ValueOf<F[K]> };

export interface CliSpec<F extends FlagSpecs> {
  /** How it is run, e.g. "npm run export --". */
  command: string;
  /** What it does, for --help. */
  description: string;
  flags: F;
  /** Positional arguments, e.g. { name: '<file.json|file.jsonl>', min: 1, max: 1 }; none by default. */
  positionals?: { name: string; min: number; max: number; help?: string };
}

export type ParsedCli<F extends FlagSpecs> =
  { ok: true; help: false; values: FlagValues<F>; positionals: string[] } | { ok: true; help: true } | { ok: false; errors: string[] };

function placeholder(name: string, f: StringFlag): string {
  return f.value ?? name;
}

/** A lowercase word names the value ("<name>"); anything else shows its form ("N|auto"). */
function shownValue(name: string, f: StringFlag): string {
  const v = placeholder(name, f);
  return /^[a-z][a-z.-]*$/.test(v) ? `<${v}>` : v;
}

/** A CLI's flags, typed from how they are declared. */
export function defineCli<const F extends FlagSpecs>(spec: CliSpec<F>): CliSpec<F> {
  return spec;
}

/** "usage: npm run x -- --name <name> [--seed N] [--wait]", flags in the order declared. */
export function usage<F extends FlagSpecs>(spec: CliSpec<F>): string {
  const parts = Object.entries(spec.flags).map(([name, f]) => {
    if (f.type === 'boolean') return `[--${name}]`;
    const shown = shownValue(name, f);
    return f.required ? `--${name} ${shown}` : `[--${name} ${shown}]`;
  });
  const pos = spec.positionals ? [spec.positionals.min > 0 ? spec.positionals.name : `[${spec.positionals.name}]`] : [];
  return `usage: ${[spec.command, ...pos, ...parts].join(' ')}`;
}

/** --help: what it does, the usage line, then one line per flag. */
export function helpText<F extends FlagSpecs>(spec: CliSpec<F>): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const left = f.type === 'boolean' ? `--${name}` : `--${name} ${shownValue(name, f)}`;
    const extra = f.type === 'string' ? [f.required ? 'required' : null, f.default !== undefined ? `default: ${f.default}` : null].filter(Boolean) : [];
    return [left, `${f.help}${extra.length ? ` (${extra.join(', ')})` : ''}`];
  });
  if (spec.positionals) rows.unshift([spec.positionals.name, spec.positionals.help ?? '']);
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [spec.description, '', usage(spec), '', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)].join('\n');
}

function validFlags(flags: FlagSpecs): string {
  return [...Object.keys(flags), 'help'].map((n) => `--${n}`).join(', ');
}

/** Reads argv against the spec; every problem at once, each naming its flag. */
export function parseFlags<F extends FlagSpecs>(spec: CliSpec<F>, argv: string[]): ParsedCli<F> {
  const errors: string[] = [];
  // A string flag followed by another flag (or by nothing) was given without its value:
  // parseArgs would take "--out" as the value of "--name --out dir". Say so and drop it.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)$/.exec(argv[i]);
    const f = m ? spec.flags[m[1]] : undefined;
    if (argv[i] === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (f?.type === 'string' && (i + 1 === argv.length || argv[i + 1].startsWith('--'))) errors.push(`--${m![1]}: needs a value (${placeholder(m![1], f)})`);
    else args.push(argv[i]);
  }
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type }]));
  // Not strict: parseArgs would stop at the first problem with a message that does not list
  // the valid flags; its tokens let us report every problem our way.
  const { tokens } = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: false, allowPositionals: true, tokens: true });
  const raw = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    if (t.name === 'help' || t.rawName === '-h') return { ok: true, help: true };
    const f = spec.flags[t.name];
    if (!f) {
      errors.push(`${t.rawName}: unknown flag; the flags are ${validFlags(spec.flags)}`);
    } else if (raw.has(t.name)) {
      errors.push(`--${t.name}: given more than once`);
    } else if (f.type === 'boolean') {
      if (t.inlineValue) errors.push(`--${t.name}: takes no value (got "${t.value}")`);
      else raw.set(t.name, true);
    } else if (t.value !== undefined) {
      raw.set(t.name, t.value);
    }
  }

  const p = spec.positionals ?? { name: '', min: 0, max: 0 };
  if (positionals.length > p.max) {
    const extra = positionals
      .slice(p.max)
      .map((x) => `"${x}"`)
      .join(', ');
    errors.push(p.max === 0 ? `unexpected argument ${extra} (flags start with --)` : `too many arguments: ${extra}`);
  } else if (positionals.length < p.min) {
    errors.push(`${p.name} is required`);
  }

  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    const given = raw.get(name);
    if (f.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    const text = typeof given === 'string' ? given : f.default;
    if (text === undefined) {
      if (f.required && !errors.some((e) => e.startsWith(`--${name}:`)))
        errors.push(`--${name} is required${typeof f.required === 'string' ? ` (${f.required})` : ''}`);
      continue;
    }
    if (!f.schema) {
      values[name] = text;
      continue;
    }
    const r = f.schema.safeParse(text);
    if (r.success) values[name] = r.data;
    else errors.push(...r.error.issues.map((i) => `--${name}: ${i.message}`));
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, help: false, values: values as FlagValues<F>, positionals };
}

/**
 * For a CLI's entry point: the values, or (after printing) exit 0 for --help and exit 2 with
 * every problem and the usage line. Nothing has been touched when it exits.
 */
export function parseOrExit<F extends FlagSpecs>(spec: CliSpec<F>, argv: string[] = process.argv.slice(2)): { values: FlagValues<F>; positionals: string[] } {
  const r = parseFlags(spec, argv);
  if (r.ok && r.help) {
    console.log(helpText(spec));
    process.exit(0);
  }
  if (!r.ok) {
    console.error(`${r.errors.join('\n')}\n${usage(spec)}\n(--help lists every flag)`);
    process.exit(2);
  }
  return { values: r.values, positionals: r.positionals };
}

// ---- value schemas the CLIs share ----

/**
 * A value read from its text by `parse`, which throws (its message is kept) or returns
 * undefined (→ `"text" is not <what>`) on bad text.
 */
export function textParsedBy<T>(parse: (text: string) => T | undefined, what = 'valid') {
  return z.string().transform((text, ctx): T => {
    let message = `"${text}" is not ${what}`;
    try {
      const v = parse(text);
      if (v !== undefined) return v;
    } catch (e) {
      message = (e as Error).message;
    }
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** A whole number (`what` names it in the message), optionally bounded. */
export function wholeNumber(opts: { min?: number; max?: number; what?: string } = {}) {
  let n = z.number();
  if (opts.min !== undefined) n = n.min(opts.min, `must be at least ${opts.min}`);
  if (opts.max !== undefined) n = n.max(opts.max, `must be at most ${opts.max}`);
  return textParsedBy((t) => (/^\s*-?\d+\s*$/.test(t) ? Number(t) : undefined), opts.what ?? 'a whole number').pipe(n);
}

/** One of a fixed list of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, { error: (i) => `must be one of ${choices.join(', ')} (got "${String(i.input)}")` });
}
