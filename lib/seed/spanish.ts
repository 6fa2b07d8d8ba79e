// The Spanish threads (about 5% of the sample): candidates who answer in Spanish or Spanglish,
// and a recruiter who answers in Spanish. Same intents and labels as the English side.
import { yesLabel, type Reason, type Scene, type Utterance } from './candidate';
import type { Label } from './labels';
import type { ScheduleReply } from './recruiter';
import type { RecruiterVoice } from './thread';
import { dayWord, randomSlot, type Slot } from './times';

const EXACTA = /\b(a las \d+|mañana a las)/;

const DIAS: Record<string, string> = {
  Monday: 'lunes',
  Tuesday: 'martes',
  Wednesday: 'miércoles',
  Thursday: 'jueves',
  Friday: 'viernes',
  tomorrow: 'mañana',
  today: 'hoy',
};
const join = (...xs: string[]) => xs.filter(Boolean).join(' ');
const trabajo = (s: Scene) => s.role.es ?? s.role.title;
const cuando = (slot: Slot) => `el ${DIAS[slot.day] ?? slot.day} a las ${slot.time.replace(/(am|pm)$/, '')}`.replace('el mañana', 'mañana');
const U = (label: Label | null, reason: Reason, text: string, named?: string): Utterance => ({ label, reason, parts: [text], topics: [], named });

function hora(s: Scene): string {
  const r = s.rng;
  return r.pick([
    `el ${r.pick(['lunes', 'martes', 'miercoles', 'jueves', 'viernes'])} en la mañana`,
    'mañana en la tarde',
    `el ${r.pick(['martes', 'jueves'])} a las ${r.int(9, 11)}`,
    'cualquier día después de las 4',
    `mañana a las ${r.int(1, 4)}`,
    'la próxima semana',
  ]);
}

export const es = {
  interested: (s: Scene) =>
    U(
      yesLabel(s),
      'interested',
      s.rng.pick([
        'sí me interesa',
        'Si, me interesa',
        'si claro',
        'sí, todavía estoy buscando trabajo',
        'si me interesa, gracias',
        'claro que sí',
        'si estoy interested',
        'Sí, por favor',
        'me interesa mucho',
      ]),
    ),
  /** The answer to the one screening question of a Spanish thread: the recruiter proposes a time. */
  screenOk: (s: Scene) => {
    s.screened = (s.screened ?? 0) + 1;
    return U(
      'SCHEDULE',
      'screen_ok',
      s.rng.pick(['sí', 'si tengo', 'sí, 2 años', 'si puedo', 'claro que sí', 'sí, no hay problema', 'si, tengo experiencia', 'yes si puedo']),
    );
  },
  asksPay: (s: Scene) => ({
    ...U(
      'CONTINUE',
      'question',
      s.rng.pick(['cuánto pagan?', 'cuanto pagan la hora?', 'y cuánto es el pago?', 'how much pagan?', 'cuanto es por hora', 'me interesa, cuánto pagan?']),
    ),
    topics: ['pay' as const],
  }),
  asksLocation: (s: Scene) => ({
    ...U(
      'CONTINUE',
      'question',
      s.rng.pick(['dónde queda?', 'donde es el trabajo', 'en qué parte queda?', 'where is it? esta lejos?', 'cuál es la dirección']),
    ),
    topics: ['location' as const],
  }),
  asksHours: (s: Scene) => ({
    ...U(
      'CONTINUE',
      'question',
      s.rng.pick(['cuál es el horario?', 'qué horario es', 'es de día o de noche?', 'cuantas horas a la semana', 'trabajan los fines de semana?']),
    ),
    topics: ['hours' as const],
  }),
  noEnglish: (s: Scene) =>
    U(
      'CONTINUE',
      'question',
      s.rng.pick([
        'no hablo inglés',
        'hablas español?',
        'perdón no hablo mucho inglés, en español por favor',
        'Sorry no english, español?',
        'hay alguien que hable español?',
      ]),
    ),
  proposes: (s: Scene) => {
    const t = hora(s);
    return U('SCHEDULE', 'propose', s.rng.pick([`puedo ${t}`, `estoy libre ${t}`, `${t} está bien?`, `puedo ir ${t}`, `qué tal ${t}?`]), t);
  },
  accepts: (s: Scene) =>
    U(
      'SCHEDULE',
      'accept',
      s.rng.pick([
        'sí, está bien',
        'perfecto',
        'ok ahí estaré',
        `sí, ${s.proposed ? (DIAS[s.proposed.day] ?? dayWord(s.rng, s.proposed.day)) : 'ese día'} está bien`,
        'va',
        'sale, gracias',
        'ok gracias',
        'si puedo',
      ]),
    ),
  reschedules: (s: Scene) => {
    const t = hora(s);
    const text = s.rng.pick([
      `se me presentó algo, podemos cambiarlo a ${t}?`,
      `no voy a poder, puede ser ${t}?`,
      'puedo cambiar la cita?',
      `mi hijo está enfermo, podemos hacerlo ${t}`,
    ]);
    return U('SCHEDULE', 'reschedule', text, text.includes(t) ? t : undefined);
  },
  notInterested: (s: Scene) =>
    U(
      'END',
      'not_interested',
      s.rng.pick(['no gracias', 'no me interesa', 'no, gracias', 'no estoy interesado', 'no estoy buscando trabajo', 'gracias pero no']),
    ),
  hired: (s: Scene) =>
    U('END', 'hired', s.rng.pick(['ya encontré trabajo, gracias', 'ya estoy trabajando', 'ya conseguí otro trabajo', 'gracias pero ya tengo trabajo'])),
  wrongNumber: (s: Scene) =>
    U('END', 'wrong_number', s.rng.pick(['número equivocado', `no soy ${s.first}`, 'se equivocó de número', 'wrong number, no conozco a esa persona'])),
  optOut: (s: Scene) =>
    U('END', 'opt_out', s.rng.pick(['STOP', 'ya no me manden mensajes', 'no me escriban más', 'Stop por favor', 'quítenme de la lista', 'BAJA'])),
  payLow: (s: Scene) => U('END', 'pay_low', s.rng.pick(['es muy poco', `${s.pay} es muy poco, no gracias`, 'pagan muy poco'])),
  tooFar: (s: Scene) => U('END', 'too_far', s.rng.pick(['me queda muy lejos', 'está muy lejos, no tengo carro', 'muy lejos para mí, gracias'])),
  stillOpen: (s: Scene) => ({
    ...U(
      'CONTINUE',
      'still_open',
      s.rng.pick(['perdón, apenas vi el mensaje. todavía está disponible?', 'sigue abierto el trabajo?', 'disculpe, todavía hay vacantes?']),
    ),
    topics: ['pay' as const],
  }),
  thanks: (s: Scene) => U(null, 'thanks', s.rng.pick(['gracias!', 'muchas gracias', 'ok gracias', 'gracias, ahí nos vemos', '👍', 'perfecto gracias'])),
};

function proponer(s: Scene): ScheduleReply {
  const slot = randomSlot(s.rng);
  return {
    text: s.rng.pick([
      `¡Qué bien! ¿Puede venir a una entrevista ${cuando(slot)}?`,
      `¿Le queda bien una llamada ${cuando(slot)}?`,
      `Perfecto. Tengo espacio ${cuando(slot)} para la entrevista, ¿le funciona?`,
    ]),
    proposed: slot,
  };
}

function confirmar(s: Scene, slot: Slot | undefined, named?: string): ScheduleReply {
  const booked = slot ?? (named ? { day: '', time: '', said: named } : randomSlot(s.rng));
  const when = booked.said ?? cuando(booked);
  return {
    text: s.rng.pick([
      `Listo, quedó agendado para ${when}. ¡Nos vemos!`,
      `Confirmado: ${when} en ${s.place}. Traiga una identificación.`,
      `Perfecto, ${when}. Le mando la dirección.`,
    ]),
    booked,
  };
}

function contestar(s: Scene, u: Utterance): string {
  const r = s.rng;
  if (u.reason === 'interested') {
    s.screenNeed = 1;
    s.screened = 0;
    return join(
      r.pick(['¡Qué bien!', '¡Excelente!', 'Perfecto.']),
      r.pick(['Antes de agendar la entrevista,', 'Una pregunta y le busco un horario:']),
      r.pick([`¿tiene experiencia en ${trabajo(s)}?`, `¿puede trabajar ${s.shift}?`, '¿tiene transporte?']),
    );
  }
  if (u.parts[0] && /ingl|english|español/i.test(u.parts[0]))
    return `¡Claro! Soy ${s.recruiter} de ${s.company}. Tenemos trabajo de ${trabajo(s)} en ${s.place}, $${s.pay} la hora. ¿Le interesa?`;
  const t = u.topics[0];
  const a = t === 'location' ? `Queda en ${s.place}.` : t === 'hours' ? `El horario es ${s.shift}.` : `Paga $${s.pay} la hora.`;
  return join(a, r.pick(['¿Tiene alguna otra pregunta?', '¿Le gustaría agendar una entrevista?', '¿Le interesa?']));
}

function terminar(s: Scene, u: Utterance): string {
  const r = s.rng;
  if (u.reason === 'opt_out') return r.pick(['Listo, no le enviaremos más mensajes.', 'Entendido, quitamos su número.']);
  if (u.reason === 'wrong_number') return r.pick(['Disculpe la molestia, vamos a quitar este número.', 'Perdón por la confusión.']);
  if (u.reason === 'hired') return r.pick(['¡Felicidades por el nuevo trabajo!', '¡Qué bueno, felicidades! Mucha suerte.']);
  return r.pick(['Entendido, gracias por su tiempo.', 'No hay problema, ¡que le vaya bien!', 'Gracias por avisarme. ¡Suerte!']);
}

export const SPANISH: RecruiterVoice = {
  outreach: (s) =>
    s.rng.pick([
      `Hola ${s.first}, soy ${s.recruiter} de ${s.company}. Tenemos trabajo de ${trabajo(s)} en ${s.place}, $${s.pay} la hora. ¿Le interesa?`,
      `Buenos días ${s.first}. Vi su solicitud para ${trabajo(s)}. ¿Sigue buscando trabajo?`,
    ]),
  respond: (s, u) => {
    if (u.label === 'END') return { text: terminar(s, u) };
    if (u.label === 'CONTINUE') return { text: contestar(s, u) };
    if (u.reason === 'accept') return confirmar(s, s.proposed);
    if ((u.reason === 'propose' || u.reason === 'reschedule') && u.named && EXACTA.test(u.named)) return confirmar(s, undefined, u.named);
    return proponer(s);
  },
  nudge: (s, n) =>
    n === 1
      ? s.rng.pick([`Hola ${s.first}, ¿sigue interesado en el trabajo?`, '¿Recibió mi mensaje?'])
      : s.rng.pick(['Último aviso: tenemos entrevistas esta semana. ¿Le aparto un espacio?', `${s.first}, ¿todavía le interesa?`]),
  closeSilent: (s) =>
    s.rng.pick(['Como no he tenido respuesta, voy a cerrar su solicitud. ¡Suerte!', 'Cerramos su solicitud por ahora. Si le interesa después, escríbame.']),
  reminder: (s) => `Recordatorio: su entrevista es ${s.booked ? (s.booked.said ?? cuando(s.booked)) : 'hoy'} en ${s.place}.`,
};
