// The one CLI flag helper (lib/cli/flags.ts) and the CLIs' flag specs built on it: unknown
// flags list the valid ones, a flag without its value says so, values are checked by zod with
// the flag named, required flags, --help; every problem reported at once.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FINETUNE_USAGE, parseFineTuneFlags } from './finetune-flags';
import { defineCli, helpText, oneOf, parseFlags, textParsedBy, usage, wholeNumber } from './flags';

const cli = defineCli({
  command: 'npm run demo --',
  description: 'A demo command.',
  flags: {
    name: { type: 'string', required: true, help: 'what to call it' },
    count: { type: 'string', value: 'N', schema: wholeNumber({ min: 1, max: 10 }), default: '3', help: 'how many' },
    mode: { type: 'string', value: 'fast|slow', schema: oneOf(['fast', 'slow']), help: 'how' },
    ratio: {
      type: 'string',
      value: 'X',
      schema: textParsedBy((t) => {
        if (!/^0?\.\d+$/.test(t)) throw new Error(`ratio "${t}" must be between 0 and 1`);
        return Number(t);
      }),
      help: 'a share',
    },
    tag: { type: 'string', value: 'T', schema: z.string().regex(/^[a-z]+$/, 'tag must be lowercase letters'), help: 'a tag' },
    force: { type: 'boolean', help: 'do it anyway' },
  },
});
const errors = (argv: string[]) => {
  const r = parseFlags(cli, argv);
  return r.ok ? [] : r.errors;
};

describe('parseFlags', () => {
  it('returns typed values, defaults applied and checked', () => {
    const r = parseFlags(cli, ['--name', 'x', '--mode=slow', '--force', '--ratio', '.5']);
    expect(r).toEqual({ ok: true, help: false, values: { name: 'x', count: 3, mode: 'slow', ratio: 0.5, force: true }, positionals: [] });
    if (r.ok && !r.help) {
      // Types follow the declaration: a number, a union of words, a boolean.
      const n: number = r.values.count;
      const m: 'fast' | 'slow' | undefined = r.values.mode;
      const f: boolean = r.values.force;
      const name: string = r.values.name;
      expect([n, m, f, name]).toEqual([3, 'slow', true, 'x']);
    }
    expect(parseFlags(cli, ['--name', 'x'])).toEqual({ ok: true, help: false, values: { name: 'x', count: 3, force: false }, positionals: [] });
  });

  it('names every problem at once: unknown flags with the valid list, missing values, bad values, required flags', () => {
    expect(errors(['--count', '0', '--mode', 'medium', '--ratio', '2', '--tag', 'ABC', '--colour', 'red', '--force=yes'])).toEqual([
      '--colour: unknown flag; the flags are --name, --count, --mode, --ratio, --tag, --force, --help',
      '--force: takes no value (got "yes")',
      'unexpected argument "red" (flags start with --)',
      '--name is required',
      '--count: must be at least 1',
      '--mode: must be one of fast, slow (got "medium")',
      '--ratio: ratio "2" must be between 0 and 1',
      '--tag: tag must be lowercase letters',
    ]);
    expect(errors(['--name', '--force'])).toEqual(['--name: needs a value (name)']);
    expect(errors(['--name', 'x', '--count'])).toEqual(['--count: needs a value (N)']);
    expect(errors(['--name', 'x', '--count', 'many'])).toEqual(['--count: "many" is not a whole number']);
    expect(errors(['--name', 'x', '--count', '11'])).toEqual(['--count: must be at most 10']);
    expect(errors(['--name', 'x', '--name', 'y'])).toEqual(['--name: given more than once']);
    // A negative number is a value, not a flag.
    expect(errors(['--name', 'x', '--count', '-1'])).toEqual(['--count: must be at least 1']);
  });

  it('--help (or -h) wins over everything else', () => {
    expect(parseFlags(cli, ['--bogus', '--help'])).toEqual({ ok: true, help: true });
    expect(parseFlags(cli, ['-h'])).toEqual({ ok: true, help: true });
  });

  it('takes positionals when the command declares them', () => {
    const files = defineCli({ command: 'npm run import --', description: 'Imports.', flags: {}, positionals: { name: '<file>', min: 1, max: 1 } });
    expect(parseFlags(files, ['a.json'])).toEqual({ ok: true, help: false, values: {}, positionals: ['a.json'] });
    expect(parseFlags(files, [])).toEqual({ ok: false, errors: ['<file> is required'] });
    expect(parseFlags(files, ['a', 'b'])).toEqual({ ok: false, errors: ['too many arguments: "b"'] });
    expect(parseFlags(files, ['--', '--odd-name.json'])).toMatchObject({ ok: true, positionals: ['--odd-name.json'] });
  });

  it('writes the usage line and the help from the same declaration', () => {
    expect(usage(cli)).toBe('usage: npm run demo -- --name <name> [--count N] [--mode fast|slow] [--ratio X] [--tag T] [--force]');
    const help = helpText(cli);
    expect(help).toContain('A demo command.');
    expect(help).toContain(usage(cli));
    expect(help).toMatch(/--count N\s+how many \(default: 3\)/);
    expect(help).toMatch(/--name <name>\s+what to call it \(required\)/);
    expect(help).toMatch(/--help\s+show this help/);
  });
});

describe('npm run finetune flags', () => {
  it('parses each flag and names the bad ones', () => {
    const ok = parseFineTuneFlags([
      '--dataset',
      'd',
      '--model',
      'm',
      '--epochs',
      '3',
      '--batch-size',
      'auto',
      '--lr-multiplier',
      '0.5',
      '--provider',
      'openai',
      '--version',
      '2',
      '--wait',
    ]);
    expect(ok).toEqual({
      ok: true,
      flags: {
        dataset: 'd',
        version: 2,
        wait: true,
        as: undefined,
        input: { provider: 'openai', baseModel: 'm', nEpochs: 3, batchSize: 'auto', learningRateMultiplier: 0.5 },
      },
    });
    const errors = (argv: string[]) => {
      const r = parseFineTuneFlags(argv);
      return r.ok ? [] : r.errors;
    };
    expect(errors(['--model', 'm'])).toEqual(['--dataset is required (the dataset name)']);
    expect(errors(['--dataset', 'd', '--model', 'm', '--epochs', 'x', '--seed', '1.5', '--version', '0'])).toEqual([
      '--version: "0" is not a version number (1, 2, …)',
      '--epochs: "x" is not a whole number or auto',
      '--seed: "1.5" is not a whole number',
    ]);
    expect(errors(['--dataset', 'd', '--model', 'm', '--suffix', 'Way_Too_Long_Suffix!', '--batch-size', '999', '--provider', 'anyscale'])).toEqual([
      '--provider: provider must be one of local, openai, azure, together',
      '--batch-size: batch size must be at most 256',
      '--suffix: suffix must be at most 18 characters',
      '--suffix: suffix may contain only lowercase letters, digits and "-"',
    ]);
    expect(errors(['--dataset', 'd', '--model', 'm', '--bogus'])).toEqual([
      '--bogus: unknown flag; the flags are --dataset, --version, --model, --provider, --epochs, --batch-size, --lr-multiplier, --learning-rate, --no-lora, --lora-r, --lora-alpha, --lora-dropout, --warmup-ratio, --suffix, --seed, --wait, --as, --help',
    ]);
    expect(FINETUNE_USAGE).toBe(
      'usage: npm run finetune -- --dataset <name> [--version V] --model <base> [--provider local|openai|azure|together] [--epochs N|auto] [--batch-size N|auto] [--lr-multiplier X|auto] [--learning-rate X|auto] [--no-lora] [--lora-r N] [--lora-alpha N] [--lora-dropout X] [--warmup-ratio X] [--suffix S] [--seed N] [--wait] [--as EMAIL]',
    );
  });
});
