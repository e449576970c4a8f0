/**
 * Responsive images: each raster image of the site wider than the smallest variant gets resized
 * WebP copies (480, 960 and 1600 pixels wide, never wider than the original) beside it, and the
 * posts' `<img>` tags a `srcset` and `sizes` listing them (see files.ts). Made with sharp, loaded
 * only when a site has such images; kept in `.cache/quire/images/` by the bytes of the original,
 * so a warm build does no image work.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Fs } from '../fs.ts';
import { mapLimit } from '../parallel/limit.ts';
import { warning, type Diagnostic } from '../diagnostics.ts';

export const VARIANT_WIDTHS = [480, 960, 1600];
const QUALITY = 80;
const RASTER = /\.(png|jpe?g|webp|tiff?)$/i;

export interface Variants {
  /** Variant files to publish. */
  files: { outPath: string; contents: Uint8Array; file: string }[];
  /** Image URL → its `srcset` (variants and the original). */
  srcsets: Map<string, string>;
  /** Variants made now (not taken from the cache). */
  made: number;
  /** Images that could not be read (a warning each; they are published without variants). */
  diagnostics: Diagnostic[];
}

/** Variants for every placed raster image wider than the smallest width; `cacheDir` null: no disk cache. */
export async function makeVariants(
  placed: { outPath: string; contents: Uint8Array; file: string }[],
  base: string,
  sizeOf: (url: string) => { width: number; height: number } | null,
  fs: Fs,
  cacheDir: string | null,
): Promise<Variants> {
  const out: Variants = { files: [], srcsets: new Map(), made: 0, diagnostics: [] };
  const images = placed.filter((f) => RASTER.test(f.outPath) && (sizeOf(base + encodeURI(f.outPath))?.width ?? 0) > VARIANT_WIDTHS[0]!);
  if (!images.length) return out;
  let sharp: typeof import('sharp') | null = null;
  const results = await mapLimit(images, 2, async (img) => {
    const url = base + encodeURI(img.outPath);
    const width = sizeOf(url)!.width;
    const digest = createHash('sha1').update(img.contents).digest('hex');
    const stem = img.outPath.replace(/\.[^./]+$/, '');
    const variants: { outPath: string; width: number; contents: Uint8Array }[] = [];
    for (const w of VARIANT_WIDTHS.filter((w) => w < width)) {
      const cached = cacheDir ? path.join(cacheDir, 'images', `${digest}-${w}-q${QUALITY}.webp`) : null;
      let contents: Uint8Array | null = cached ? await fs.readFile(cached).catch(() => null) : null;
      if (!contents) {
        sharp ??= (await import('sharp')).default;
        let made: Buffer;
        try {
          made = await sharp(img.contents).resize({ width: w }).webp({ quality: QUALITY }).toBuffer();
        } catch (e) {
          out.diagnostics.push(warning('content/image-unreadable', `image cannot be resized (${(e as Error).message.split('\n')[0]}); it is published as it is, without smaller copies`, { file: img.file, hint: 'open and save it again in an image editor' }));
          return { img, url, width, variants: null };
        }
        out.made++;
        if (cached) await fs.mkdir(path.dirname(cached)).then(() => fs.writeFile(cached, made)).catch(() => undefined); // a cache that cannot be written only costs time
        contents = made;
      }
      variants.push({ outPath: `${stem}-${w}w.webp`, width: w, contents });
    }
    return { img, url, width, variants };
  });
  for (const { img, url, width, variants } of results) {
    if (!variants) continue;
    for (const v of variants) out.files.push({ outPath: v.outPath, contents: v.contents, file: img.file });
    out.srcsets.set(url, [...variants.map((v) => `${base}${encodeURI(v.outPath)} ${v.width}w`), `${url} ${width}w`].join(', '));
  }
  return out;
}
