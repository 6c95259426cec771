/**
 * A scrolling list (`<ol>`/`<ul>` of `<li>` rows) that, once long, renders only the rows in view
 * plus a few either side: a thousand alarms or a city's spaces scroll as lightly as ten, and a live
 * frame re-renders only what is on screen. Rows keep their own heights (measured as drawn, by
 * @tanstack/react-virtual); the list's padding stands for the rows not drawn. Short lists are plain.
 *
 * The list's CSS must give it `padding: 8px` and `gap: 6px` (alarms.css, confined.css): the
 * measurements add the same.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, type ReactNode } from 'react';

/** Lists up to this long are drawn whole (the demo's lists, and every test that looks for a row). */
export const PLAIN_UP_TO = 80;
const PAD_PX = 8;
const GAP_PX = 6;
/** Rows drawn beyond the visible ones on each side, so fast scrolling shows no gap. */
const OVERSCAN = 6;

export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** One row: an `<li>` with a key. */
  render(item: T): ReactNode;
  /** A typical row's height before it is measured, px. */
  estimatePx: number;
  ordered?: boolean;
  className: string;
  testId?: string;
}

export function VirtualList<T>({ items, keyOf, render, estimatePx, ordered, className, testId }: VirtualListProps<T>) {
  const ref = useRef<HTMLOListElement & HTMLUListElement>(null);
  const virtual = items.length > PLAIN_UP_TO;
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => ref.current,
    estimateSize: () => estimatePx,
    getItemKey: (i) => keyOf(items[i]),
    overscan: OVERSCAN,
    paddingStart: PAD_PX,
    paddingEnd: PAD_PX,
    gap: GAP_PX,
    enabled: virtual,
  });
  const rows = virtual ? v.getVirtualItems() : [];
  // A row is measured when first drawn (or moved to another place in the list); from then on the
  // virtualizer's ResizeObserver watches it. Measuring every row on every render forced a layout
  // each live frame (4 % of the page's main thread at 25,000 devices).
  useLayoutEffect(() => {
    if (!virtual || !ref.current) return;
    const els = ref.current.children;
    for (let i = 0; i < rows.length && i < els.length; i++) {
      const el = els[i] as HTMLElement;
      const index = String(rows[i].index);
      if (el.dataset.index === index) continue;
      el.dataset.index = index;
      v.measureElement(el);
    }
  });
  const Tag = ordered ? 'ol' : 'ul';
  if (!virtual) {
    return (
      <Tag ref={ref} className={className} data-testid={testId} data-rows={items.length}>
        {items.map(render)}
      </Tag>
    );
  }
  const top = rows[0]?.start ?? PAD_PX;
  const bottom = v.getTotalSize() - (rows.at(-1)?.end ?? 0);
  return (
    <Tag ref={ref} className={className} data-testid={testId} data-rows={items.length} data-virtual="" style={{ paddingTop: top, paddingBottom: Math.max(PAD_PX, bottom) }}>
      {rows.map((r) => render(items[r.index]))}
    </Tag>
  );
}
