/**
 * Uploaded site models on disk: `DATA_DIR/models/{siteId}-{16 hex of the SHA-256}.glb`. The name
 * is made here from the site id and the content, never taken from the client, and checked against
 * one pattern before any path is built from it. Files are written through a temporary name, so a
 * crash leaves no half model under a served name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILE_PATTERN } from '../../contracts';

export class ModelFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'models');
  }

  /** The stored name of a site's GLB with these bytes. */
  static nameOf(siteId: string, glb: Uint8Array): string {
    const name = `${siteId}-${createHash('sha256').update(glb).digest('hex').slice(0, 16)}.glb`;
    if (!MODEL_FILE_PATTERN.test(name)) throw new Error(`not a model file name: ${name}`);
    return name;
  }

  /** The absolute path of a stored model, or null for a name that is not one. */
  pathOf(file: string): string | null {
    return MODEL_FILE_PATTERN.test(file) ? join(this.dir, file) : null;
  }

  /** A fresh path for work in progress (an IFC being converted), inside the models folder. */
  scratch(ext: string): string {
    mkdirSync(this.dir, { recursive: true });
    return join(this.dir, `.upload-${randomBytes(8).toString('hex')}.${ext}`);
  }

  /** Removes work in progress of an earlier run (scratch names never match a model's). */
  sweepScratch(): void {
    if (!existsSync(this.dir)) return;
    for (const f of readdirSync(this.dir)) if (f.startsWith('.upload-')) rmSync(join(this.dir, f), { force: true });
  }

  /** Stores a site's GLB; its file name. */
  write(siteId: string, glb: Uint8Array): string {
    mkdirSync(this.dir, { recursive: true });
    const file = ModelFiles.nameOf(siteId, glb);
    const tmp = this.scratch('tmp');
    writeFileSync(tmp, glb);
    renameSync(tmp, join(this.dir, file));
    return file;
  }

  /** Removes a stored model (a name that is not one removes nothing). */
  remove(file: string): void {
    const path = this.pathOf(file);
    if (path) rmSync(path, { force: true });
  }
}
