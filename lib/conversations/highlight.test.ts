import { describe, expect, it } from 'vitest';
import { highlightParts, snippetAround } from './highlight';

describe('search highlighting', () => {
  it('marks every word that starts with a query word, keeping the rest as text', () => {
    expect(highlightParts('Warehouse drivers wanted: <b>drive</b>', 'wareh DRIV')).toEqual([
      { text: 'Warehouse', match: true },
      { text: ' ', match: false },
      { text: 'drivers', match: true },
      { text: ' wanted: <b>', match: false },
      { text: 'drive', match: true },
      { text: '</b>', match: false },
    ]);
    expect(highlightParts('nothing here', '')).toEqual([{ text: 'nothing here', match: false }]);
  });

  it('cuts a long message around its first match', () => {
    const text = `${'filler '.repeat(40)}the forklift shift starts at six ${'more '.repeat(40)}`;
    const s = snippetAround(text, 'forklift', 80);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('forklift');
    expect(s.length).toBeLessThanOrEqual(82);
  });
});
