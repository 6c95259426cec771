/**
 * Entry point: i18n, a login restored from sessionStorage (checked by the first API call, which
 * logs out on 401), and the React root. The Cesium widget CSS is imported by the adapter.
 *
 * For end-to-end tests the store and the globe are exposed as `window.__citytwin = { store, globe }`
 * (see src/ui/testHook.ts): `store` is the zustand store (`getState().live`, `.alarms`, `.select()`),
 * `globe` the Cesium adapter once created (`screenPositionOf(id)`, `deviceColorCss(id)`), else null.
 */
// First: the page's Content-Security-Policy allows no eval, so zod must not even probe for it.
import './live/noEval';
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n';
import { loadSavedAuth, twin } from './state';
import { App } from './ui/App';
import { exposeForTests } from './ui/testHook';
import './ui/theme.css';

initI18n(twin);
const saved = loadSavedAuth();
if (saved) twin.getState().setAuth(saved);
exposeForTests({ store: twin, globe: null });

createRoot(document.getElementById('root')!).render(<App />);
