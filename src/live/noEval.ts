/**
 * The page's Content-Security-Policy allows no eval. zod probes `new Function` once to decide
 * whether to compile its parsers, and a caught probe is still reported as a CSP violation: run
 * without that probe. Imported first by the entry point, before any schema is used.
 */
import { z } from 'zod';

z.config({ jitless: true });
