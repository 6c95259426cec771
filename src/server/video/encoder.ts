/**
 * The ffmpeg command of the demo's test streams. One process makes every camera's stream: one
 * moving test pattern (testsrc2) is generated once, split, labelled per camera (its name and a
 * clock) and encoded per camera to HLS. Measured here on 14 streams of 320×180 at 5 fps: one
 * process per camera cost 9.7 % of a core, one pattern per camera in one process 6.8 %, one
 * shared pattern 5.3 % (ffmpeg 5.1, libx264 ultrafast).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Picture of a demo stream: small and slow enough for a two-core machine, enough to see it move. */
export const DEMO_WIDTH = 320;
export const DEMO_HEIGHT = 180;
export const DEMO_FPS = 5;
/** HLS segment length, s: short, so a player starts within a few seconds and replay finds a clip to the second. */
export const SEGMENT_S = 2;
/** Segments kept in the playlist: five minutes a replay can go back to (about 7 MB a camera). */
export const WINDOW_SEGMENTS = 150;

export interface LabelFont {
  /** fontconfig family to draw with; null = drawtext's default. */
  family: string | null;
  /** Whether it has Chinese glyphs (otherwise labels fall back to the camera id). */
  cjk: boolean;
}

export interface DemoCamera {
  id: string;
  /** First line of the label: the Chinese name when the font has it, else the id. */
  title: string;
}

/** The executable `name` resolves to (a path, or a name on PATH), or null when there is none. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | null {
  const candidates = isAbsolute(name) || name.includes('/') ? [name] : path.split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Family names are spliced into the filter graph: only plain ones (letters, digits, spaces, . + -). */
const SAFE_FAMILY = /^[\w .+-]{1,64}$/;

/**
 * The font for the labels: fontconfig's choice for Simplified Chinese when it really covers
 * Chinese (fc-match always answers, with DejaVu when there is no CJK font); otherwise no CJK.
 */
export function findLabelFont(): LabelFont {
  const run = (args: string[]): string | null => {
    const r = spawnSync('fc-match', args, { encoding: 'utf8', timeout: 5000 });
    return r.status === 0 ? r.stdout : null;
  };
  const chosen = run(['-f', '%{family[0]}', 'sans-serif:lang=zh-cn'])?.trim() ?? '';
  const list = spawnSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8', timeout: 5000 });
  const zhFamilies = new Set((list.status === 0 ? list.stdout : '').split('\n').flatMap((l) => l.split(',').map((f) => f.trim())).filter(Boolean));
  if (chosen && zhFamilies.has(chosen) && SAFE_FAMILY.test(chosen)) return { family: chosen, cjk: true };
  return { family: null, cjk: false };
}

/**
 * A camera's label file: the title, then the id and the local time (drawtext expands %{localtime}).
 * Drawn at the bottom left, as camera OSDs do, clear of the player's caption at the top.
 */
export function labelText(cam: { id: string; title: string }): string {
  // drawtext's expansion reads `\` as an escape and `%` as the start of a sequence.
  const lit = (s: string) => s.replace(/\\/g, '\\\\').replace(/%/g, '%%');
  const second = cam.title === cam.id ? '' : `${lit(cam.id)}  `;
  return `${lit(cam.title)}\n${second}%{localtime}`;
}

/**
 * ffmpeg arguments for all `cameras`, run with the working directory at the video folder: each
 * camera writes `{id}/index.m3u8` and `{id}/seg{n}.ts` and reads its label from `{id}/label.txt`.
 * Ids are registry device ids ([A-Za-z0-9_-]), safe in a filter graph and a path.
 */
export function encoderArgs(cameras: readonly DemoCamera[], font: LabelFont): string[] {
  const n = cameras.length;
  const fontOpt = font.family ? `font='${font.family}':` : '';
  const split = `[0:v]split=${n}${cameras.map((_, i) => `[s${i}]`).join('')}`;
  const labels = cameras.map(
    (c, i) =>
      `[s${i}]drawtext=${fontOpt}textfile=${c.id}/label.txt:fontsize=13:line_spacing=3:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=4:x=6:y=h-th-8[v${i}]`,
  );
  const out: string[] = [];
  cameras.forEach((c, i) => {
    out.push(
      '-map', `[v${i}]`,
      // One thread per encoder: sixteen small encoders do not gain from x264's thread pool, they pay for it.
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-threads', '1',
      // A keyframe at every segment start, so every segment plays on its own (live joins, replay clips).
      '-g', String(DEMO_FPS * SEGMENT_S), '-keyint_min', String(DEMO_FPS * SEGMENT_S), '-sc_threshold', '0',
      '-b:v', '96k', '-maxrate', '128k', '-bufsize', '256k',
      '-f', 'hls', '-hls_time', String(SEGMENT_S), '-hls_list_size', String(WINDOW_SEGMENTS), '-hls_delete_threshold', '3',
      // program_date_time: each segment's wall-clock start, which replay needs; temp_file: never a half-written file.
      '-hls_flags', 'delete_segments+program_date_time+temp_file+independent_segments',
      // Sequence numbers from the epoch: a restarted encoder never reuses a segment name a player has cached.
      '-hls_start_number_source', 'epoch',
      '-hls_segment_filename', `${c.id}/seg%d.ts`,
      `${c.id}/index.m3u8`,
    );
  });
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-nostats',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${DEMO_WIDTH}x${DEMO_HEIGHT}:rate=${DEMO_FPS}`,
    '-filter_complex', [split, ...labels].join(';'),
    ...out,
  ];
}
