import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
  it.each([
    ['/conversations', '/conversations'],
    ['/conversations?filter=unlabeled&q=a%20b', '/conversations?filter=unlabeled&q=a%20b'],
    ['/conversations/12?turn=5#t5', '/conversations/12?turn=5#t5'],
    ['/', '/'],
    ['/datasets/../admin/users', '/admin/users'],
    ['/fine-tunes/3?next=//evil.example', '/fine-tunes/3?next=//evil.example'],
  ])('keeps our own path %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    '/%5Cevil.example/phish',
    '/%5cevil.example',
    '/%255Cevil.example',
    '/%25255Cevil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '//evil.example',
    '///evil.example',
    '/%2F/evil.example',
    '/%2f%2fevil.example',
    'https://evil.example',
    'HTTPS://evil.example/x',
    'http:evil.example',
    '//evil.example/%2e%2e',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    'conversations',
    '/\tevil',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%00',
    '/\u0000',
    '/%E0%A4%A',
    '',
    ' /conversations',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });

  it('falls back for anything that is not a string, to the fallback given', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(['/x'])).toBe('/');
    expect(safeNextPath('//evil.example', '/conversations')).toBe('/conversations');
  });
});
