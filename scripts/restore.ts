/**
 * `npm run restore -- --from FILE [--data-dir DIR]`: puts a backup in place of the SQLite history
 * (DATA_DIR, default ./data). The service must be stopped; the database replaced is kept beside it.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreDataDir } from '../src/server/storage/backup';

const { values } = parseArgs({ options: { from: { type: 'string' }, 'data-dir': { type: 'string' } } });
if (!values.from) {
  console.error('usage: npm run restore -- --from FILE [--data-dir DIR]');
  process.exit(2);
}
const dataDir = resolve(values['data-dir'] ?? (process.env.DATA_DIR || './data'));
try {
  const r = restoreDataDir(dataDir, resolve(values.from));
  console.log(`citytwin: restored ${values.from} into ${dataDir} (schema ${r.schemaVersion}, ${r.readings} readings, ${r.alarms} alarms, ${r.models} site models)`);
  if (r.previous) console.log(`citytwin: the database it replaced is kept as ${r.previous}`);
} catch (err) {
  console.error(`citytwin: restore refused: ${(err as Error).message}`);
  process.exit(1);
}
