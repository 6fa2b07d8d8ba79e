// What a single SMS says, in the few terms the exit advisor's instructions decide on: an
// opt-out, a decline, a wrong number, a time, a yes, a question, a hedge. The learner gets these
// as features beside the raw words because the words it trains on come from whatever data the
// user has (often generated) while the cues hold for any conversation: "STOP" as a whole message
// or an imperative is an opt-out, "bus stop" and "stop by" are not; "not interested" declines,
// "not sure" hedges; a bare "no" answers, "no problem" agrees. English with the common Spanish
// forms, because a share of candidates text in Spanish.

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'cant',
  'wont',
  'isnt',
  'arent',
  'doesnt',
  'didnt',
  'cannot',
  'nor',
  'aint',
  'wasnt',
  'havent',
  'nah',
  'nunca',
]);
/** "no problem", "not a problem", "no worries": agreement, not negation. */
const NOT_NEGATED_AFTER_NO = new Set(['problem', 'prob', 'probs', 'problemo', 'worries', 'worry', 'biggie', 'rush', 'hay']);
const SCOPE = 3;

export interface Tokens {
  /** Lower-case words, digits and emoji; negated words carry a leading "~". */
  words: string[];
  /** The same words without negation marks. */
  plain: string[];
}

// Letters and digits (any script), "$", "?", emoji; punctuation ends a negation's scope.
const TOKEN = /[\p{L}\p{N}]+|\$|\?|\p{Extended_Pictographic}|[.,;!]/gu;

export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const plain: string[] = [];
  let negLeft = 0;
  const lower = text.toLowerCase().replace(/['’]/g, '');
  for (const m of lower.matchAll(TOKEN)) {
    const w = m[0];
    if (w === '.' || w === ',' || w === ';' || w === '!') {
      negLeft = 0;
      continue;
    }
    if (w === '?') negLeft = 0;
    const negated = negLeft > 0;
    words.push(negated ? `~${w}` : w);
    plain.push(w);
    if (negLeft > 0) negLeft--;
    if (NEGATORS.has(w)) negLeft = SCOPE;
    if (negated && NOT_NEGATED_AFTER_NO.has(w)) negLeft = 0;
  }
  // "no problem": undo the mark on the agreeing word so it reads as the phrase it is.
  for (let i = 1; i < plain.length; i++) {
    if ((plain[i - 1] === 'no' || plain[i - 1] === 'a') && NOT_NEGATED_AFTER_NO.has(plain[i])) words[i] = plain[i];
  }
  return { words, plain };
}

const DAY = String.raw`(mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|saturday|sunday|weekend|lunes|martes|miercoles|miércoles|jueves|viernes|sabado|sábado|domingo)`;
const REL_DAY = String.raw`(today|tonight|tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|2morrow|2mrw|hoy|mañana|manana)`;
const PART = String.raw`(morning|afternoon|evening|noon|lunch|lunchtime|tarde|noche)`;
const CLOCK = String.raw`(\d{1,2}:\d{2}|\d{1,2}\s?(am|pm|a\.m\.|p\.m\.)|\d{1,2}\s?o\s?clock|(at|@|a las|around|by|after|before)\s\d{1,2}(\s|$|:|ish))`;
const TIME_RE = new RegExp(String.raw`\b(${DAY}|${REL_DAY}|${PART}|next week|this week|${CLOCK})\b`, 'iu');

const OPTOUT_WHOLE = /^\W*(stop+|stop all|unsubscribe|unsub|quit|cancel|remove|end|alto|basta)\W*$/i;
const OPTOUT_PHRASE =
  /\b(stop (texting|txting|messaging|msging|contacting|calling|sending|bothering|hitting)|unsubscribe|opt ?out|remove (me|my (number|#|info))|take me off|lose my number|delete my number|leave me alone|do ?nt (text|txt|message|msg|contact|call|hit) me|no more (texts|messages|msgs)|never (text|contact) me|no me (escriba|escribas|mande|manden|contacte))\b/i;
/** Upper-case STOP inside a sentence ("ok STOP texting", "STOP pls") reads as an opt-out. */
const SHOUTED_STOP = /\bSTOP\b/;
const DECLINE =
  /\b(not interested|no longer interested|not intrested|not interested anymore|no thanks|no thank you|no thx|no ty|nah thanks|not for me|not looking|im good|ill pass|i pass|pass on (this|it|that)|no me interesa|no gracias|not a good fit|not gonna work|wont work for me|doesnt work for me|not worth it|not at this time|(ill|ima|im gonna|gonna|going to|i will) pass|no longer need)\b/i;
const TAKEN =
  /\b((found|got|took|accepted|started|have|landed) (a|another|other|the|my|new|an) (new )?(job|position|offer|gig|role)|already (hired|employed|working|have|found|got|took|accepted|started)|got hired|just (got hired|started)|found (something|work|one)( else)?|accepted (an|another) offer|(im|i am) (now )?(working|employed) (at|for|with|somewhere)|no longer looking|ya tengo trabajo|ya encontre|ya encontré)\b/i;
const WRONG =
  /\b(wrong (number|person|#|guy|girl|phone)|(you|u) (have|got) the wrong|dont know (you|any|anyone|who (this|you) (is|are))|(no|not) (one|anyone|nobody) (here )?(by|named|with) that name|never applied|didnt apply|no soy|numero equivocado|número equivocado)\b/i;
const HOSTILE =
  /\b(fuck\w*|f+ off|wtf|shit\w*|scam\w*|spam\w*|report (you|this)|harass\w*|bitch|asshole|piss off|go away|go to hell|screw (you|off)|idiots?|clowns?|stupid|annoying|block(ed|ing)? (you|this number))\b/i;
/** "Role not a fit" (DESIGN §1): pay, hours, place or a requirement the candidate cannot meet. */
const MISMATCH =
  /\b(too (low|little|far|much of a drive|early|late)|(pay|rate|wage|money) is (too )?(low|not enough)|not enough (pay|money|hours)|need (at least|more|a job|something) (closer|with more|that pays)|(cant|can ?not|wont|dont) (do|work|make) (nights|weekends|mornings|evenings|overnights|that (shift|schedule|pay|rate))|(dont|do not) have (a |my |the |any )?(car|license|licence|cdl|ride|transportation|certification|certificate|degree|diploma|experience)|(license|licence) is (suspended|expired)|i need (days|nights|mornings|evenings|weekends off|full time|part time|home daily)|not worth (it|the drive)|(no|not) (car|license|cdl|transportation))\b/i;
const NEG_ANSWER = /^\W*(no+|nope|nah|no sorry|sorry no|not really|negative|no no)\W*$/i;
const AFFIRM =
  /\b(yes+|yeah|yea|yep|yup|ya|sure|ok|okay|okk*|kk|k|sounds good|sounds great|works|perfect|great|definitely|absolutely|for sure|of course|im in|interested|si|sí|claro|dale|bueno|vale)\b/iu;
const AFFIRM_EMOJI = /[👍👌✅🙌🙏😊🙂]/u;
const HEDGE = /\b(not sure|maybe|idk|i dont know|think about it|let me think|depends|possibly|might|not yet|unsure|tal vez|quizas|no se)\b/i;
const LATER = /\b(later|busy|not now|not right now|next month|in a few (weeks|months)|after the holidays|ask me again|check back|hit me up)\b/i;
const RESCHEDULE =
  /\b(reschedule|re schedule|move (it|the interview|our)|push (it|back)|another (day|time)|different (day|time)|instead|cant make (it|that|the)|can ?not make (it|that)|running late|change the time|something came up|cambiar)\b/i;
const CALL = /\b(call me|give me a call|ring me|phone me|call (at|after|before|anytime)|llamame|llámame)\b/i;
const QUESTION_START =
  /^\W*(what|whats|how|where|wheres|when|which|who|why|is|are|does|do|can|could|will|would|any|cuanto|cuánto|donde|dónde|cuando|cuándo|que|qué|como|cómo)\b/i;
const THANKS = /\b(thanks|thank you|thx|ty|tysm|gracias|appreciate)\b/i;
const CONFIRM_WORDS = /\b(see you|see u|cya|be there|ill be there|works for me|that works|confirmed|booked|its a date|nos vemos|alla estare)\b/i;
const REFER = /\b(my (friend|brother|sister|cousin|son|daughter|wife|husband|mom|dad|roommate|buddy|coworker)|refer|referral|someone else)\b/i;

export function hasTimeExpression(text: string): boolean {
  return TIME_RE.test(text);
}

/** Cue names for one candidate message. */
export function candidateCues(text: string, tokens: Tokens): string[] {
  const t = text.replace(/['’]/g, '');
  const out: string[] = [];
  const optout = OPTOUT_WHOLE.test(t) || OPTOUT_PHRASE.test(t) || SHOUTED_STOP.test(text);
  if (optout) out.push('optout');
  if (DECLINE.test(t)) out.push('decline');
  if (TAKEN.test(t)) out.push('taken');
  if (WRONG.test(t)) out.push('wrong');
  if (HOSTILE.test(t)) out.push('hostile');
  if (NEG_ANSWER.test(t)) out.push('no');
  if (MISMATCH.test(t)) out.push('mismatch');
  if (HEDGE.test(t)) out.push('hedge');
  if (LATER.test(t)) out.push('later');
  if (RESCHEDULE.test(t)) out.push('reschedule');
  if (CALL.test(t)) out.push('call');
  if (hasTimeExpression(t)) out.push('time');
  if (CONFIRM_WORDS.test(t)) out.push('confirm');
  if (THANKS.test(t)) out.push('thanks');
  if (REFER.test(t)) out.push('refer');
  // "yes" only when it is not under a negation ("not interested" is no "interested").
  if (AFFIRM.test(tokens.words.filter((w) => w[0] !== '~').join(' ')) || AFFIRM_EMOJI.test(t)) out.push('affirm');
  if (t.includes('?') || QUESTION_START.test(t)) out.push('question');
  const n = tokens.plain.length;
  out.push(n <= 1 ? 'len1' : n <= 3 ? 'len2-3' : n <= 8 ? 'len4-8' : n <= 20 ? 'len9-20' : 'len21+');
  if (!out.some((c) => !c.startsWith('len'))) out.push('plain');
  return out;
}

const REC_PROPOSE = /\b(interview|call|chat|schedule|book|booking|available|availability|come in|stop by|meet|phone screen|slot|link)\b/i;
const REC_WRAPUP =
  /\b(good luck|best of luck|best wishes|thanks for (your time|letting me know)|remove (you|your number)|wont (text|contact|reach out)|take care|no worries|no problem|understood|sorry (to|for) (bother|the bother)|all the best)\b/i;
const REC_CONFIRM = /\b(confirmed|booked|see you|you are all set|youre all set|calendar invite|talk (then|soon|at))\b/i;

/** Cue names for one recruiter message. */
export function recruiterCues(text: string): string[] {
  const t = text.replace(/['’]/g, '');
  const out: string[] = [];
  const time = hasTimeExpression(t);
  if (time) out.push('time');
  if (REC_PROPOSE.test(t)) out.push('propose');
  if (REC_WRAPUP.test(t)) out.push('wrapup');
  if (REC_CONFIRM.test(t)) out.push('confirm');
  if (t.includes('?')) out.push('question');
  if (!out.length) out.push('plain');
  return out;
}
