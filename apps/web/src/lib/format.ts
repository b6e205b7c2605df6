const counts = new Intl.NumberFormat('en');
const times = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** 10000 → "10,000": counts in the thousands are read at a glance. */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** "1 account", "10,000 accounts": English plurals of the nouns the console counts. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** A moment as HH:MM in the operator's time zone. */
export function formatClock(at: number | Date): string {
  return times.format(at);
}
