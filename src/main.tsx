/**
 * Entry point: i18n, a login restored from sessionStorage (checked by the first API call, which
 * logs out on 401), and the React root. The Cesium widget CSS is imported by the adapter.
 *
 * For end-to-end tests the store, the globe and the network panel are exposed as the typed
 * `window.__citytwin` (src/ui/testHook.ts).
 */
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n';
import { loadSavedAuth, markBoot, twin } from './state';
import { App } from './ui/App';
import { SCENE_STRINGS } from './ui/scenes';
import { exposeForTests } from './ui/testHook';
import { themeVariables } from './view';
// The app's own Chinese face (OFL), served with the app: about 100 slices by Unicode range, of
// which the browser fetches only those holding characters on screen. Nothing is fetched elsewhere.
import '@fontsource-variable/noto-sans-sc';
import './ui/theme.css';

markBoot('js');
// The palette is defined once, in src/view; the stylesheets read it as custom properties.
for (const [name, value] of Object.entries(themeVariables())) document.documentElement.style.setProperty(name, value);
initI18n(twin, SCENE_STRINGS);
const saved = loadSavedAuth();
if (saved) (twin.getState().setAuth(saved), markBoot('login'));
exposeForTests({ store: twin, globe: null, deck: null });

createRoot(document.getElementById('root')!).render(<App />);
