/**
 * A map that holds at most `maxWeight` in all, least recently used out first:
 * what the response cache (weighed in bytes) and the aggregate cache (weighed
 * in aggregates and the idempotency keys they remember) both are underneath.
 */
export class WeightedLru<V> {
  // A Map iterates in insertion order: re-inserting on each use keeps the least recently used first.
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private held = 0;

  constructor(readonly maxWeight: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The weight of everything held now. */
  get weight(): number {
    return this.held;
  }

  /** The value for `key`, which becomes the most recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value for `key`, leaving the order as it is. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /**
   * Holds `value` for `key` as the most recently used, forgetting the least
   * recently used others until it fits; false, and the map as it was, when it
   * weighs more than the whole map may.
   */
  set(key: string, value: V, weight: number): boolean {
    if (weight > this.maxWeight) return false;
    this.delete(key);
    for (const [oldest, entry] of this.entries) {
      if (this.held + weight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.held -= entry.weight;
    }
    this.entries.set(key, { value, weight });
    this.held += weight;
    return true;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.held -= entry.weight;
  }
}
