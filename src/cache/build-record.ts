/**
 * The record of the last successful build, for the case where nothing changed: when every input
 * (each content file's cache key, the theme, the settings) is the same as last time, no future
 * post has come due, and the output folder still holds exactly what that build wrote (the marker
 * and manifest, and every file's size), the build reports what it reported then and writes
 * nothing. Anything else, or a record that does not parse, means a normal build.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.ts';
import type { Fs } from '../fs.ts';
import { replaceFile } from './replace-file.ts';
import { onDisk, readManifest, realPath } from '../output/write.ts';

const FILE = 'last-build.json';
const VERSION = 1;
/** Far above any real record (the last build's diagnostics are most of it): a larger file is not read. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface BuildRecord {
  version: number;
  /** Digest of every input of the build. */
  key: string;
  /** Digest of the output folder's marker (which lists every file with its digest and size). */
  marker: string;
  /** The earliest date of a post left out as future-dated: from then on the site changes. */
  nextChangeAt: number | null;
  posts: number;
  pages: number;
  skipped: { drafts: number; future: number };
  diagnostics: Diagnostic[];
}

/** The digest of all inputs: per-file keys in order, plus everything else the build depends on. */
export function inputsKey(parts: unknown[], fileKeys: (string | undefined)[]): string | null {
  if (fileKeys.some((k) => k === undefined)) return null; // an unreadable file: no shortcut
  const hash = createHash('sha1').update(JSON.stringify(parts));
  for (const k of fileKeys) hash.update(k!);
  return hash.digest('hex');
}

export async function readRecord(fs: Fs, cacheDir: string): Promise<BuildRecord | null> {
  try {
    const found = await fs.stat(path.join(cacheDir, FILE));
    if (!found.isFile() || found.size > MAX_RECORD_BYTES) return null;
    const r = JSON.parse((await fs.readFile(path.join(cacheDir, FILE))).toString('utf8')) as BuildRecord;
    const sound = r.version === VERSION && typeof r.key === 'string' && typeof r.marker === 'string' && Array.isArray(r.diagnostics) && typeof r.posts === 'number';
    return sound ? r : null;
  } catch {
    return null;
  }
}

/** Records a build whose output folder now holds the marker with digest `marker` (taken while the output lock was held). */
export async function writeRecord(fs: Fs, cacheDir: string, record: Omit<BuildRecord, 'version'>): Promise<void> {
  if (!record.marker) return;
  await replaceFile(fs, path.join(cacheDir, FILE), JSON.stringify({ version: VERSION, ...record }));
}

export async function removeRecord(fs: Fs, cacheDir: string): Promise<void> {
  const file = path.join(cacheDir, FILE);
  if ((await fs.lstat(file).catch(() => null))?.isDirectory()) return; // not ours: left alone
  await fs.rm(file).catch(() => undefined);
}

/**
 * When the output folder holds what the recorded build wrote (same manifest, every file there with
 * its size), the number of files; else null.
 */
export async function outputMatches(fs: Fs, outDir: string, record: BuildRecord): Promise<number | null> {
  const out = (await realPath(fs, outDir)).real; // where the writer wrote it
  const manifest = await readManifest(fs, out);
  if (!manifest || manifest.marker !== record.marker || manifest.files.size === 0) return null;
  const same = await onDisk(fs, out, [...manifest.files]);
  return same.every(Boolean) ? manifest.files.size : null;
}
