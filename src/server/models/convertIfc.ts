/**
 * IFC → GLB for an upload, in a child process: scripts/ifc-to-glb.ts, the import code of
 * `npm run import:ifc`. web-ifc takes seconds and hundreds of MB on a plant's model, and a
 * malformed file can crash it; in a child neither stalls nor endangers the service, and a file
 * that takes too long is killed.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/ifc-to-glb.ts', import.meta.url));
/** tsx's command line (the service itself runs under tsx, so it is installed). */
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

export class IfcConversionError extends Error {
  override name = 'IfcConversionError';
}

/** Converts `ifcPath` into `glbPath`; resolves with the number of elements, rejects with a readable reason. */
export function convertIfc(ifcPath: string, glbPath: string, timeoutMs: number): Promise<{ elements: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, SCRIPT, ifcPath, glbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')).length > 10_000 && (out = out.slice(-10_000)));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')).length > 10_000 && (err = err.slice(-10_000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new IfcConversionError(`the IFC conversion took longer than ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return; // killed: the timeout has answered
      if (code === 0) {
        const line = out.trim().split('\n').at(-1) ?? '';
        try {
          return resolve(JSON.parse(line) as { elements: number });
        } catch {
          return reject(new Error(`ifc-to-glb answered ${line.slice(0, 200)}`));
        }
      }
      const why = err.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${code}`;
      reject(new IfcConversionError(code === 3 ? 'the IFC file has no element with geometry' : `web-ifc could not convert the file: ${why.slice(0, 300)}`));
    });
  });
}
