// One line of an OpenAI chat fine-tuning JSONL file (reference §1.1). The system part is the
// same for every line of a version, so it is serialised once.
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';

export interface ExampleLineWriter {
  (userContent: string, label: LabelValueName): string;
}

export function exampleLineWriter(instructions: string): ExampleLineWriter {
  const write = jsonExampleLineWriter(instructions);
  return (userContent, label) => write(JSON.stringify(userContent), label);
}

/** The same line from user content already serialised as a JSON string literal. */
export function jsonExampleLineWriter(instructions: string): ExampleLineWriter {
  const prefix = `{"messages":[{"role":"system","content":${JSON.stringify(instructions)}},{"role":"user","content":`;
  return (userContentJson, label) => `${prefix}${userContentJson}},{"role":"assistant","content":"${label}"}]}\n`;
}

/** The same example as chat messages (for inference: no assistant message). */
export function promptMessages(instructions: string, userContent: string) {
  return [
    { role: 'system' as const, content: instructions },
    { role: 'user' as const, content: userContent },
  ];
}

/** A line's bytes before and after its user content (a JSON string literal, quotes included), per label. */
export function lineFrame(instructions: string): { prefix: Buffer; suffixes: Map<LabelValueName, Buffer> } {
  const [before, after] = jsonExampleLineWriter(instructions)('\u0000', 'END').split('\u0000');
  const suffix = (label: LabelValueName) => Buffer.from(after.replace('"END"', `"${label}"`));
  return { prefix: Buffer.from(before), suffixes: new Map(LABEL_VALUES.map((l) => [l, suffix(l)])) };
}
