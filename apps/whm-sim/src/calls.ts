/** How many requests each WHM function received, faulted or refused ones included. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  record(fn: string): void {
    this.counts.set(fn, (this.counts.get(fn) ?? 0) + 1);
  }

  count(fn?: string): number {
    if (fn !== undefined) return this.counts.get(fn) ?? 0;
    let total = 0;
    for (const value of this.counts.values()) total += value;
    return total;
  }

  /** Every function that was called, with its count. */
  byFunction(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
