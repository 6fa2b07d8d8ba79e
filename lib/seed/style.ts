// How a candidate types: every candidate has a texting style (casual, terse, formal, voice to
// text, all caps, emoji, typo-prone) applied to everything they send, with some variation per
// message. Rewrites keep the meaning: an advisor must read through the style, not learn it.
import type { Rng } from '../prng';

export type StyleKind = 'casual' | 'terse' | 'formal' | 'voice' | 'caps' | 'emoji' | 'sloppy';

export interface Style {
  kind: StyleKind;
  lower: number;
  abbrev: number;
  dropPunct: number;
  typo: number;
  emoji: number;
}

export function makeStyle(rng: Rng): Style {
  const kind = rng.pick<StyleKind>([
    'casual',
    'casual',
    'casual',
    'casual',
    'terse',
    'terse',
    'formal',
    'formal',
    'voice',
    'caps',
    'emoji',
    'emoji',
    'sloppy',
    'sloppy',
  ]);
  const base: Style = { kind, lower: 0.5, abbrev: 0.4, dropPunct: 0.4, typo: 0.08, emoji: 0.08 };
  if (kind === 'terse') return { ...base, lower: 0.8, abbrev: 0.7, dropPunct: 0.8 };
  if (kind === 'formal') return { ...base, lower: 0, abbrev: 0, dropPunct: 0, typo: 0.03, emoji: 0 };
  if (kind === 'voice') return { ...base, lower: 0, abbrev: 0, dropPunct: 0.5, typo: 0, emoji: 0 };
  if (kind === 'caps') return { ...base, lower: 0, abbrev: 0.5, dropPunct: 0.6 };
  if (kind === 'emoji') return { ...base, emoji: 0.6 };
  if (kind === 'sloppy') return { ...base, lower: 0.9, abbrev: 0.8, dropPunct: 0.9, typo: 0.35 };
  return base;
}

const ABBREVIATIONS: [RegExp, string[]][] = [
  [/\byou\b/gi, ['u', 'u', 'ya']],
  [/\byour\b/gi, ['ur', 'ur', 'yr']],
  [/\bare\b/gi, ['r']],
  [/\btomorrow\b/gi, ['tmrw', 'tmr', 'tomm']],
  [/\bthanks\b/gi, ['thx', 'ty', 'tks', 'thnx']],
  [/\bthank you so much\b/gi, ['tysm', 'ty so much']],
  [/\bthank you\b/gi, ['ty', 'thank u']],
  [/\bplease\b/gi, ['pls', 'plz']],
  [/\bokay\b/gi, ['ok', 'k', 'okk']],
  [/\bI don't know\b/gi, ['idk']],
  [/\bright now\b/gi, ['rn']],
  [/\bgoing to\b/gi, ['gonna']],
  [/\bwant to\b/gi, ['wanna']],
  [/\bbecause\b/gi, ['bc', 'cuz', 'cause']],
  [/\bwith\b/gi, ['w/', 'w']],
  [/\bprobably\b/gi, ['prob', 'prolly']],
  [/\bto be honest\b/gi, ['tbh']],
  [/\bwhat's\b/gi, ['whats', 'wats', 'wuts']],
  [/\bI'm\b/g, ['im', 'Im', 'i am']],
  [/\bdon't\b/gi, ['dont', 'don’t']],
  [/\bcan't\b/gi, ['cant', 'can’t']],
  [/\bthat's\b/gi, ['thats']],
  [/\bdoesn't\b/gi, ['doesnt']],
  [/\bhow much\b/gi, ['how much', 'hw much']],
  [/\bpeople\b/gi, ['ppl']],
  [/\bsomething\b/gi, ['smth', 'somethin']],
  [/\bminutes\b/gi, ['mins']],
];
// Voice to text: words heard wrong, punctuation spoken out loud, no shorthand.
const MISHEARD: [RegExp, string][] = [
  [/\binterview\b/gi, 'inner view'],
  [/\bforklift\b/gi, 'fork lift'],
  [/\bCNA\b/g, 'see in a'],
  [/\bCDL\b/g, 'CD l'],
  [/\bhourly\b/gi, 'our Lee'],
  [/\bTuesday\b/gi, 'twos day'],
  [/\bwhere\b/gi, 'wear'],
  [/\btheir\b/gi, 'there'],
  [/\bshift\b/gi, 'ship'],
  [/\bpay\b/gi, 'pray'],
  [/\bwarehouse\b/gi, 'where house'],
  [/\bweekends\b/gi, 'week ends'],
  [/\bI'm\b/g, 'I am'],
];
const QUESTION_START = /^(\S+ )?(what|what's|how|is|are|do|does|can|could|would|when|where|who|any|should)\b/i;
const EMOJI = ['😊', '🙏', '👍', '😂', '🤔', '😅', '🙄', '💯', '🔥', '😭', '🙌', '😁', '👌', '😩', '🤞', '❤️', '😎', '🤷‍♀️', '🤷‍♂️', '✅'];
const NEIGHBOURS: Record<string, string> = {
  a: 's',
  s: 'a',
  e: 'r',
  r: 't',
  t: 'y',
  i: 'o',
  o: 'i',
  n: 'm',
  m: 'n',
  h: 'j',
  d: 'f',
  u: 'y',
  l: 'k',
  w: 'e',
  g: 'h',
  y: 'u',
  c: 'v',
  p: 'o',
  k: 'l',
};

function typo(rng: Rng, word: string): string {
  if (word.length < 4 || /\d|https?:/.test(word)) return word;
  const j = rng.int(1, word.length - 2);
  const kind = rng.int(0, 3);
  if (kind === 0) return word.slice(0, j) + word[j + 1] + word[j] + word.slice(j + 2); // swap
  if (kind === 1) return word.slice(0, j) + word.slice(j + 1); // drop
  if (kind === 2) return word.slice(0, j) + word[j] + word.slice(j); // double
  const n = NEIGHBOURS[word[j].toLowerCase()];
  return n ? word.slice(0, j) + n + word.slice(j + 1) : word;
}

function voice(rng: Rng, text: string): string {
  let t = text;
  for (const [re, heard] of MISHEARD) if (rng.chance(0.35)) t = t.replace(re, heard);
  if (rng.chance(0.4)) t = t.replace(/\?/g, ' question mark').replace(/\./g, ' period');
  else if (rng.chance(0.5)) t = t.replace(/[.,!?]/g, '');
  t = t.replace(/\bu\b/g, 'you').replace(/\bur\b/g, 'your');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** `text` as this candidate would type it (never empty: a lone "?" survives voice to text). */
export function applyStyle(rng: Rng, style: Style, text: string): string {
  const t = restyle(rng, style, text);
  return t.trim() ? t : text;
}

function restyle(rng: Rng, style: Style, text: string): string {
  let t = text;
  if (style.kind === 'voice') return voice(rng, t);
  if (style.kind === 'formal') {
    t = t
      .replace(/\bu\b/g, 'you')
      .replace(/\bur\b/g, 'your')
      .replace(/\bi\b/g, 'I');
    t = t.charAt(0).toUpperCase() + t.slice(1);
    if (/[.!?)]$/.test(t) || /\p{Extended_Pictographic}$/u.test(t)) return t;
    return QUESTION_START.test(t) ? `${t}?` : `${t}.`;
  }
  if (rng.chance(style.abbrev)) {
    for (const [re, subs] of ABBREVIATIONS) if (rng.chance(0.6)) t = t.replace(re, () => rng.pick(subs));
  }
  if (rng.chance(style.typo)) {
    const words = t.split(' ');
    const n = rng.chance(0.3) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const i = rng.int(0, words.length - 1);
      words[i] = typo(rng, words[i]);
    }
    t = words.join(' ');
  }
  if (rng.chance(style.dropPunct)) t = t.replace(/[.!]+$/, '').replace(/, /g, rng.chance(0.5) ? ' ' : ', ');
  if (style.kind === 'caps' ? rng.chance(0.75) : rng.chance(0.03)) t = t.toUpperCase();
  else if (rng.chance(style.lower)) t = t.toLowerCase();
  if (rng.chance(0.06)) t = t.replace(/\?$/, rng.pick(['??', '???', ' ?']));
  if (rng.chance(0.05)) t = t.replace(/!$/, '!!');
  if (rng.chance(style.emoji)) t = `${t}${rng.chance(0.7) ? ' ' : ''}${rng.pick(EMOJI)}${rng.chance(0.2) ? rng.pick(EMOJI) : ''}`;
  return t;
}
