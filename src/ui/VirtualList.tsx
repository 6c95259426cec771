/**
 * A scrolling list (`<ol>`/`<ul>` of `<li>` rows) that, once long, draws only the rows in view and
 * a few either side (@tanstack/react-virtual): a city's thousand alarms or 2,814 spaces cost what
 * twenty do, on every clock tick and live frame, where drawn whole they kept the page's main thread
 * busy at rest. The padding above and below the drawn rows stands for the rows not drawn; each
 * drawn row is measured as it is laid out, so rows keep their own heights. Short lists are plain.
 *
 * The list's CSS gives it `padding: 8px` and `gap: 6px` (alarms.css, confined.css): the
 * virtualizer adds the same between rows it has not drawn.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, type ReactNode } from 'react';

/** Lists up to this long are drawn whole (the demo's lists, and the tests that look for a row). */
export const PLAIN_UP_TO = 100;
const PAD_PX = 8;
const GAP_PX = 6;
/** Rows drawn beyond the visible ones on each side, so a quick scroll shows no blank. */
const OVERSCAN = 4;

export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** One row: a single `<li>` with a key. */
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
    count: virtual ? items.length : 0,
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
  // Each drawn row is measured (and watched for resizing); the rows are the list's children in order.
  useLayoutEffect(() => {
    const list = ref.current;
    if (!virtual || !list) return;
    for (let i = 0; i < rows.length && i < list.children.length; i++) {
      const el = list.children[i] as HTMLElement;
      el.dataset.index = String(rows[i].index);
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
  const bottom = Math.max(PAD_PX, v.getTotalSize() - (rows.at(-1)?.end ?? 0));
  return (
    <Tag ref={ref} className={className} data-testid={testId} data-rows={items.length} data-virtual="" style={{ paddingTop: top, paddingBottom: bottom }}>
      {rows.map((r) => render(items[r.index]))}
    </Tag>
  );
}
