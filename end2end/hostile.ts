// The hostile corpus (data/hostile-strings.txt) as articles in the import format: article i carries
// string i in every field. The browser test serves them from a second server of its own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const HOSTILE_PORT = Number(process.env.PORTAL_HOSTILE_PORT || 3211);

export const vectors: string[] = fs
  .readFileSync(path.join(__dirname, 'data', 'hostile-strings.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.replace(/\\n/g, '\n'));

/** The form that fits in a name (site, department, channel: 100 characters at most). */
export function shortForm(v: string): string {
  return v.slice(0, 80);
}

/** A 政务公开 field, a 附件 name or a 相关链接 title of article `i`: the string within `max` characters. */
export function fieldForm(v: string, i: number, max: number): string {
  return Array.from(`g${i} ${v}`).slice(0, max).join('');
}

/** The hostile server's footer: the first strings of the corpus, where a setting takes text. */
export const HOSTILE_FOOTER = {
  SITE_SPONSOR: Array.from(vectors.find((v) => !/[\u0000-\u001f]/.test(v))!).slice(0, 100).join(''),
  SITE_CONTACT: Array.from(vectors.filter((v) => !/[\u0000-\u001f]/.test(v))[1]).slice(0, 200).join(''),
};

/** Writes the corpus as JSONL and returns its path. */
export function writeHostileJsonl(): string {
  const lines = vectors.map((v, n) => {
    const i = n + 1;
    const short = shortForm(v);
    const minute = String(i % 60).padStart(2, '0');
    return JSON.stringify({
      id: `hostile-${i}`,
      site: `梅州${i} ${short}`,
      department: `部门${i} ${short}`,
      channel: `频道${i} ${short}`,
      channel_slug: `hostile-${i}`,
      title: `标题${i} ${v}`,
      subtitle: v,
      source: v,
      author: v,
      published_at: `2030-01-${String(1 + Math.floor(i / 60)).padStart(2, '0')}T08:${minute}:00+08:00`,
      body_html: `<p>正文${i}</p>${v}`,
      gov: {
        index_number: fieldForm(v, i, 60),
        issuer: fieldForm(v, i, 100),
        document_number: fieldForm(v, i, 60),
        topic: fieldForm(v, i, 100),
        keywords: fieldForm(v, i, 200),
      },
      attachments: [{ name: fieldForm(v, i, 200), url: `/files/hostile-${i}.pdf`, size: i }],
      related: [{ title: fieldForm(v, i, 300), url: `/articles/hostile-${i}?x=${encodeURIComponent(shortForm(v)).slice(0, 500)}` }],
    });
  });
  const file = path.join(os.tmpdir(), `portal-hostile-${process.getuid?.() ?? 0}.jsonl`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
