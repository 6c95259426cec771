/**
 * The registry API's error wording in the caller's language (Accept-Language, or `?lang=`): an
 * import's errors name the line and the field and say what is wrong in Chinese or English.
 */
import type { FastifyRequest } from 'fastify';
import type { RegistryRowError } from '../contracts';
import type { TextLang } from '../domain/texts';

export type RegistryErrorCode =
  | 'required'
  | 'number'
  | 'invalid'
  | 'bad_id'
  | 'bad_scene'
  | 'bad_kind'
  | 'unknown_quantity'
  | 'bad_level'
  | 'unknown_site'
  | 'scene_mismatch'
  | 'duplicate'
  | 'exists'
  | 'not_found'
  | 'in_use'
  | 'position_required'
  | 'parent_cycle'
  | 'header'
  | 'columns'
  | 'bad_file'
  | 'too_many';

/** An error before it is worded: the line (0 for a single change), the field, a code and its values. */
export interface RegistryProblem {
  line: number;
  field: string;
  code: RegistryErrorCode;
  params?: Record<string, string | number>;
}

const TEXTS: Record<RegistryErrorCode, { en: string; zh: string }> = {
  required: { en: 'required', zh: '必填' },
  number: { en: 'must be a number, found "{value}"', zh: '必须是数字，实际为“{value}”' },
  invalid: { en: 'invalid: {detail}', zh: '取值无效：{detail}' },
  bad_id: { en: '"{value}" must be 1–64 letters, digits, _ or -', zh: '“{value}”只能由 1–64 个字母、数字、_ 或 - 组成' },
  bad_scene: { en: '"{value}" is not a scene (confined, park or roads)', zh: '“{value}”不是场景（confined、park 或 roads）' },
  bad_kind: { en: '"{value}" is a device kind; a site needs a site kind', zh: '“{value}”是设备类型，站点需要站点类型' },
  unknown_quantity: { en: 'unknown quantity "{value}"', zh: '未知测量量“{value}”' },
  bad_level: { en: '"{value}" must be upper, middle or lower', zh: '“{value}”必须是 upper、middle 或 lower' },
  unknown_site: { en: 'no site "{value}"', zh: '没有站点“{value}”' },
  scene_mismatch: { en: 'site "{value}" belongs to scene {scene}', zh: '站点“{value}”属于场景 {scene}' },
  duplicate: { en: '"{value}" appears more than once in the file (line {other})', zh: '“{value}”在文件中重复出现（第 {other} 行）' },
  exists: { en: '"{value}" exists already', zh: '“{value}”已存在' },
  not_found: { en: 'no "{value}" in the registry', zh: '登记中没有“{value}”' },
  in_use: { en: '"{value}" still has live devices or sites below it: retire them first', zh: '“{value}”下仍有在用的设备或站点，请先停用它们' },
  position_required: { en: 'a new site needs lonDeg and latDeg (outlines come by GeoJSON)', zh: '新站点需要 lonDeg 和 latDeg（轮廓请用 GeoJSON 导入）' },
  parent_cycle: { en: 'the chain of parent sites loops through "{value}"', zh: '上级站点链经过“{value}”形成循环' },
  header: { en: 'the header row must be exactly: {value}', zh: '表头必须正好是：{value}' },
  columns: { en: '{expected} fields expected, {found} found', zh: '应有 {expected} 列，实际 {found} 列' },
  bad_file: { en: 'not a registry file: {detail}', zh: '不是登记文件：{detail}' },
  too_many: { en: 'at most {max} rows per import', zh: '每次导入最多 {max} 行' },
};

export function wordProblem(p: RegistryProblem, lang: TextLang): RegistryRowError {
  // A parameter may come worded in both languages (`detail` and `detailZh`, from the schema's own messages).
  const param = (k: string) => (lang === 'zh' ? (p.params?.[`${k}Zh`] ?? p.params?.[k]) : p.params?.[k]);
  const text = TEXTS[p.code][lang].replace(/\{(\w+)\}/g, (_m, k: string) => String(param(k) ?? ''));
  return { line: p.line, field: p.field, message: text };
}

/** The caller's language: `?lang=zh|en`, else the first of Accept-Language we speak; Chinese by default (the city's). */
export function requestLang(req: FastifyRequest): TextLang {
  const q = (req.query as { lang?: unknown } | undefined)?.lang;
  if (q === 'zh' || q === 'en') return q;
  for (const part of String(req.headers['accept-language'] ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}
