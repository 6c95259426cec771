/** A set that forgets its oldest members beyond `max`. */
export class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly max: number) {}
  add(v: string): void {
    this.items.delete(v);
    this.items.add(v);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value!);
  }
  has(v: string): boolean {
    return this.items.has(v);
  }
}
