// appendedSearchSql against the rebuild on real PostgreSQL: wherever it returns a document, the
// document is exactly the rebuild's; where it cannot be sure (tsvector's caps, a '>' that may
// close a tag begun earlier) it returns NULL and the caller rebuilds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { appendedSearchSql, searchDocumentSql } from './search-query';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

// A conversation's stored text (name, job, body) and the text appended to its body.
interface Case {
  name: string | null;
  job: string | null;
  body: string | null;
  added: string;
}

// For each case: the document of the stored text, the rebuild after the append, and the incremental one.
async function compare(cases: Case[]) {
  const { rows } = await client.query<{ rebuilt: string; appended: string | null }>(
    `SELECT rebuilt::text, appended::text FROM (
       SELECT ${searchDocumentSql('c.name', 'c.job', "coalesce(c.body || ' ', '') || c.added")} AS rebuilt,
              ${appendedSearchSql(searchDocumentSql('c.name', 'c.job', 'c.body'), 'c.added')} AS appended, c.ord
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (name text, job text, body text, added text)) WITH ORDINALITY AS c(name, job, body, added, ord)
     ) x ORDER BY ord`,
    [JSON.stringify(cases)],
  );
  return rows;
}

const words = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

describe('appendedSearchSql', () => {
  it('equals the rebuild on ordinary, empty, punctuation-only and repeated text, and is used there', async () => {
    const cases: Case[] = [
      { name: 'Ana Live', job: 'Forklift Operator', body: 'Hi Ana, forklift role at $21/hr. Interested?', added: 'maybe, what are the hours?' },
      { name: 'Ana', job: 'Driver', body: null, added: 'first message' }, // nothing stored yet
      { name: null, job: null, body: null, added: 'only text' },
      { name: 'Ana', job: 'Driver', body: '...', added: '!!' },
      { name: 'Ana', job: 'Driver', body: 'hello', added: '' },
      { name: 'Ana', job: 'Driver', body: 'ok ok ok', added: 'ok OK ok. ok' },
      { name: 'Ana', job: 'Driver', body: 'Mon-Fri 7 to 3:30', added: '-5 degrees, e-mail ana@example.com or see https://example.com/jobs?id=3' },
      { name: 'Ana', job: 'Driver', body: 'trailing hyphen-', added: '-leading' },
      { name: 'Ana', job: 'Driver', body: 'an open <b tag', added: 'never closed, no angle' },
      { name: 'Ana', job: 'Driver', body: 'Zoë naïve café', added: 'ÉCOLE Straße 東京' },
      { name: 'Ana', job: 'Driver', body: words(200, () => 'yes'), added: words(52, () => 'yes') }, // 254 positions of one word
      { name: 'Ana', job: 'Driver', body: words(3000, (i) => `w${i}`), added: 'the end of a long conversation' },
    ];
    const rows = await compare(cases);
    for (const [i, r] of rows.entries()) {
      expect(r.appended, JSON.stringify(cases[i]).slice(0, 120)).not.toBeNull();
      expect(r.appended).toBe(r.rebuilt);
    }
  });

  it('returns NULL where concatenating could differ: a word at 255 positions, positions at the cap, a possible tag', async () => {
    const cases: Case[] = [
      { name: 'Ana', job: 'Driver', body: words(255, () => 'yes'), added: 'yes' },
      { name: 'Ana', job: 'Driver', body: words(300, () => 'yes'), added: 'no' }, // the stored document lost positions
      { name: 'Ana', job: 'Driver', body: words(16380, (i) => `w${i}`), added: 'a b c d e' },
      { name: 'Ana', job: 'Driver', body: words(20000, (i) => `w${i}`), added: 'after the cap' },
      { name: 'Ana', job: 'Driver', body: 'hello <b', added: 'world> again' }, // the rebuild sees one tag '<b world>'
      { name: 'Ana', job: 'Driver', body: 'a <!-- comment', added: 'still --> out' },
    ];
    const rows = await compare(cases);
    for (const r of rows) expect(r.appended).toBeNull();
    // The rebuild is what the caller falls back to, and some of these do differ from concatenating.
    const { rows: naive } = await client.query<{ same: boolean }>(
      `SELECT to_tsvector('simple', 'hello <b world> again') = to_tsvector('simple', 'hello <b') || to_tsvector('simple', 'world> again') AS same`,
    );
    expect(naive[0].same).toBe(false);
  });

  it('never differs from the rebuild on random text made of what the parser treats specially', async () => {
    // Fragments of tags, entities, e-mails, URLs, paths, numbers, hyphenation and repeated words,
    // glued at random: every document the incremental way returns must be the rebuild's. (This
    // found that the added text must be parsed after a space, as in the whole text: './usr/bin'
    // at the start of a string is parsed otherwise.)
    const { rows } = await client.query<{ bad: string[] | null; cases: number; incremental: number; wrong: number }>(
      `WITH parts AS (
         SELECT ARRAY['a', 'yes', 'Yes', '<b', '>', '</i>', '<!--', '-->', '&amp;', '&', ';', '-', '--', '-5', '3.14', '1.2.3', 'x@y.com', '@',
                      'http://h.com/p', '/usr/bin', '.', ',', '"', '''', 'ü', '東京', 'e-mail', 'co-op-', '  ', '', ':', '?'] AS p
       ), texts AS (
         SELECT g, (SELECT string_agg(p[1 + floor(random() * array_length(p, 1))::int + 0 * i], CASE WHEN random() < 0.5 THEN ' ' ELSE '' END)
                    FROM generate_series(1, 1 + (g % 40)) i) AS body,
                   (SELECT string_agg(p[1 + floor(random() * array_length(p, 1))::int + 0 * i], CASE WHEN random() < 0.5 THEN ' ' ELSE '' END)
                    FROM generate_series(1, 1 + (g % 13)) i) AS added
         FROM parts, generate_series(1, 10000) g
       ), docs AS (
         SELECT t.body, t.added, ${searchDocumentSql("'Ana'", "'Driver'", "t.body || ' ' || t.added")} AS rebuilt,
                ${appendedSearchSql(searchDocumentSql("'Ana'", "'Driver'", 't.body'), 't.added')} AS appended
         FROM texts t
       )
       SELECT (array_agg(t.body || ' ||| ' || t.added) FILTER (WHERE appended IS NOT NULL AND appended::text <> rebuilt::text))[1:3] AS bad, count(*)::int AS cases, count(appended)::int AS incremental,
              count(*) FILTER (WHERE appended IS NOT NULL AND appended::text <> rebuilt::text)::int AS wrong
       FROM docs t`,
    );
    expect(rows[0].cases).toBe(10000);
    expect(rows[0].wrong, `differing cases (stored ||| added): ${JSON.stringify(rows[0].bad)}`).toBe(0);
    // Most random texts still take the incremental way (only a '>' in the added text sends them to the rebuild).
    expect(rows[0].incremental).toBeGreaterThan(3000);
  });
});
