/**
 * Vite plugin: after the build (the Cesium copy included), writes `name.br` and `name.gz` beside
 * every compressible file of dist/ over 1 KB, so the service sends them by Accept-Encoding
 * (@fastify/static `preCompressed`) without compressing on each request. A compressed copy that
 * is not smaller than the file is not kept (images, already-compressed data).
 */
import { readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|json|geojson|svg|wasm|xml|txt|glb|gltf|b3dm|terrain)$/i;
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** Compresses every compressible file under `dir`; returns how many files got a compressed copy. */
export function precompressDir(dir: string): number {
  let n = 0;
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.test(path) || statSync(path).size < MIN_BYTES) continue;
    const raw = readFileSync(path);
    // Brotli 11 is slow (about 1 MB/s) but runs once per build; what matters is the bytes sent.
    const br = brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    const gz = gzipSync(raw, { level: 9 });
    let kept = false;
    for (const [ext, data] of [['.br', br], ['.gz', gz]] as const) {
      if (data.length < raw.length * 0.95) {
        writeFileSync(path + ext, data);
        kept = true;
      } else if (safeExists(path + ext)) unlinkSync(path + ext);
    }
    if (kept) n++;
  }
  return n;
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'citytwin-precompress',
    apply: 'build',
    configResolved(cfg) {
      outDir = cfg.build.outDir;
    },
    // After every plugin's writeBundle (the Cesium assets are copied there).
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        precompressDir(outDir);
      },
    },
  };
}
