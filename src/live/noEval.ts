/**
 * zod as the web app sees it: the build resolves every `import … from 'zod'` here (vite.config.ts),
 * so jitless is set before any module defines a schema, whichever chunk that module lands in. The
 * page's Content-Security-Policy allows no eval; zod probes `new Function` when a schema is
 * defined, and a caught probe is still reported as a CSP violation.
 */
import * as z from 'zod/v4';

z.config({ jitless: true });

export * from 'zod/v4';
export { z, z as default };
