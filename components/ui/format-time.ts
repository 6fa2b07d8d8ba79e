const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** Times are shown in UTC so server and browser render the same text. */
export function formatDateTime(d: Date | string): string {
  return `${dateTime.format(new Date(d))} UTC`;
}

/** "3 min later", "2 h later", "4 days later" between two messages. */
export function formatGap(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'moments later';
  if (min < 60) return `${min} min later`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h later`;
  return `${Math.round(h / 24)} days later`;
}
