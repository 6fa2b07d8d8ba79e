// Files saved in an encoding other than UTF-8 that can be told from their first bytes: UTF-16
// and UTF-32 (what "Unicode text" means in some spreadsheets' save dialogs). Read as UTF-8 they
// would fail on every line; one message saying what the file is helps more. Single-byte
// encodings (Windows-1252, Latin-1) look like UTF-8 until their first accented letter, and are
// reported there, cell by cell (./utf8-decoder.ts, ./csv-cells.ts).

const SAVE_AS = 'save it as UTF-8 (in a spreadsheet: "CSV UTF-8") and upload it again';

/** Why these first bytes of a file are not UTF-8 text, or null when they may well be. */
export function encodingProblem(head: Buffer): string | null {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x0000feff) return `the file is UTF-32 (big-endian) text, not UTF-8: ${SAVE_AS}`;
  if (head.length >= 4 && head.readUInt32LE(0) === 0x0000feff) return `the file is UTF-32 (little-endian) text, not UTF-8: ${SAVE_AS}`;
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return `the file is UTF-16 (little-endian) text, not UTF-8: ${SAVE_AS}`;
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return `the file is UTF-16 (big-endian) text, not UTF-8: ${SAVE_AS}`;
  // UTF-16 without a byte order mark: ASCII text with a NUL byte beside every character.
  const sample = head.subarray(0, 512);
  if (sample.length >= 8) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < sample.length; i++) {
      if (sample[i] !== 0) continue;
      if (i % 2 === 0) evenNul += 1;
      else oddNul += 1;
    }
    const half = sample.length / 2;
    if (oddNul > half * 0.6) return `the file looks like UTF-16 (little-endian) text, not UTF-8: ${SAVE_AS}`;
    if (evenNul > half * 0.6) return `the file looks like UTF-16 (big-endian) text, not UTF-8: ${SAVE_AS}`;
  }
  return null;
}

/** Said once beside the first invalid bytes of a file: the likely cause and the fix. */
export const OTHER_ENCODING_HINT = `the file may be in another encoding (such as Windows-1252): ${SAVE_AS}`;
