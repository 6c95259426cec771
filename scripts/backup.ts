/**
 * `npm run backup -- --out FILE [--data-dir DIR] [--force]`: an online copy of the SQLite history
 * (DATA_DIR, default ./data) into one file, while the service keeps running.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDataDir } from '../src/server/storage/backup';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'data-dir': { type: 'string' }, force: { type: 'boolean' } } });
if (!values.out) {
  console.error('usage: npm run backup -- --out FILE [--data-dir DIR] [--force]');
  process.exit(2);
}
const dataDir = resolve(values['data-dir'] ?? (process.env.DATA_DIR || './data'));
backupDataDir(dataDir, resolve(values.out), { force: values.force }).then(
  (r) => console.log(`citytwin: backed up ${dataDir} to ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, schema ${r.schemaVersion}, ${r.readings} readings, ${r.alarms} alarms, ${r.models} site models)`),
  (err: Error) => {
    console.error(`citytwin: backup failed: ${err.message}`);
    process.exit(1);
  },
);
