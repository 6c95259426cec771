import { describe, expect, it } from 'vitest';
import { encoderArgs, findExecutable, labelText, SEGMENT_S, WINDOW_SEGMENTS } from '../../src/server/video/encoder';

describe('the demo encoder command', () => {
  const cams = [
    { id: 'kq-cam-p1-s1', title: '恒彩印染1号污水池开口摄像机' },
    { id: 'sy-cam-lot', title: '危化品停车场摄像机' },
  ];
  const args = encoderArgs(cams, { family: 'Noto Sans CJK SC', cjk: true });
  const after = (flag: string) => args.filter((_, i) => args[i - 1] === flag);

  it('generates the pattern once and splits it to every camera (one encoder process, one pattern)', () => {
    expect(after('-i')).toEqual(['testsrc2=size=320x180:rate=5']);
    const graph = after('-filter_complex')[0];
    expect(graph.startsWith('[0:v]split=2[s0][s1];')).toBe(true);
    expect(graph).toContain("[s0]drawtext=font='Noto Sans CJK SC':textfile=kq-cam-p1-s1/label.txt:");
    expect(graph).toContain('textfile=sy-cam-lot/label.txt');
    expect(args).toContain('-re'); // real time, not as fast as the CPU goes
  });

  it('writes each camera its own HLS stream: short segments with program date-time, a keyframe each, a bounded window', () => {
    expect(after('-map')).toEqual(['[v0]', '[v1]']);
    expect(args.filter((a) => a.endsWith('/index.m3u8'))).toEqual(['kq-cam-p1-s1/index.m3u8', 'sy-cam-lot/index.m3u8']);
    expect(after('-hls_segment_filename')).toEqual(['kq-cam-p1-s1/seg%d.ts', 'sy-cam-lot/seg%d.ts']);
    for (const flags of after('-hls_flags')) expect(flags.split('+')).toEqual(expect.arrayContaining(['program_date_time', 'delete_segments', 'temp_file']));
    expect(after('-hls_time')).toEqual([String(SEGMENT_S), String(SEGMENT_S)]);
    expect(after('-g')).toEqual(['10', '10']); // 5 fps × 2 s
    expect(after('-hls_list_size')).toEqual([String(WINDOW_SEGMENTS), String(WINDOW_SEGMENTS)]);
  });

  it('draws with fontconfig\'s default when there is no Chinese font', () => {
    const graph = encoderArgs(cams, { family: null, cjk: false }).find((a) => a.startsWith('[0:v]'))!;
    expect(graph).not.toContain('font=');
  });
});

describe('labelText', () => {
  it.each([
    ['a Chinese title, then the id and the clock', { id: 'kq-cam-p1-s1', title: '恒彩印染1号污水池开口摄像机' }, '恒彩印染1号污水池开口摄像机\nkq-cam-p1-s1  %{localtime}'],
    ['the id alone when it is the title (no Chinese font)', { id: 'kq-cam-p1-s1', title: 'kq-cam-p1-s1' }, 'kq-cam-p1-s1\n%{localtime}'],
    ['a % or \\ in a name drawn as itself, not expanded', { id: 'c', title: '100% \\ gate' }, '100%% \\\\ gate\nc  %{localtime}'],
  ])('%s', (_, cam, text) => {
    expect(labelText(cam)).toBe(text);
  });
});

describe('findExecutable', () => {
  it('finds a name on PATH, an absolute path, and nothing for a missing one', () => {
    expect(findExecutable('sh', '/nonexistent:/bin:/usr/bin')).toMatch(/\/sh$/);
    expect(findExecutable('/bin/sh')).toBe('/bin/sh');
    expect(findExecutable('no-such-ffmpeg-here', '/bin:/usr/bin')).toBeNull();
    expect(findExecutable('/nonexistent/ffmpeg')).toBeNull();
    expect(findExecutable('sh', '')).toBeNull();
  });
});
