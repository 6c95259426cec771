/**
 * How much of the globe's canvas the app's floating panels cover. The app lays its panels over a
 * full-screen globe (top bar, alarm list, status bar); views are framed in the part left
 * uncovered. Measured on demand from the container's positioned siblings: full-width bars at the
 * top or bottom, and tall panels on either side.
 */

/** Covered margins of the canvas, CSS px. */
export interface Insets {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const NO_INSETS: Insets = { left: 0, top: 0, right: 0, bottom: 0 };

/** A band wider than this share of the canvas is a top or bottom bar; taller, a side panel. */
const BAR_SHARE = 0.5;
const PANEL_SHARE = 0.4;
/** Never treat more than this share of a side as covered (leave something to frame into). */
const MAX_SHARE = 0.45;

export function coveredInsets(container: HTMLElement): Insets {
  const c = container.getBoundingClientRect();
  const parent = container.parentElement;
  if (!parent || c.width === 0 || c.height === 0) return NO_INSETS;
  const out = { ...NO_INSETS };
  for (const el of Array.from(parent.children)) {
    if (el === container || !(el instanceof HTMLElement)) continue;
    const pos = getComputedStyle(el).position;
    if (pos !== 'absolute' && pos !== 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= c.left || r.left >= c.right || r.bottom <= c.top || r.top >= c.bottom) continue;
    const midX = (r.left + r.right) / 2 - c.left;
    const midY = (r.top + r.bottom) / 2 - c.top;
    if (r.width >= c.width * BAR_SHARE) {
      if (midY < c.height / 2) out.top = Math.max(out.top, r.bottom - c.top);
      else out.bottom = Math.max(out.bottom, c.bottom - r.top);
    } else if (r.height >= c.height * PANEL_SHARE) {
      if (midX < c.width / 2) out.left = Math.max(out.left, r.right - c.left);
      else out.right = Math.max(out.right, c.right - r.left);
    }
  }
  return {
    left: Math.min(out.left, c.width * MAX_SHARE),
    right: Math.min(out.right, c.width * MAX_SHARE),
    top: Math.min(out.top, c.height * MAX_SHARE),
    bottom: Math.min(out.bottom, c.height * MAX_SHARE),
  };
}
