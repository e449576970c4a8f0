/**
 * Where a build's output goes. The disk writer is the write stage of `write.ts` (lock, journal,
 * manifest, recovery); the memory writer keeps the site in a map, which is what the dev server
 * serves and what tests read, and says which paths changed since its last write.
 */
import type { Result } from '../diagnostics.ts';
import type { Fs } from '../fs.ts';
import { contentsOf, type OutputFile } from '../model.ts';
import { openOutput, writeOutput, type OutputSink, type WriteOptions, type WriteReport } from './write.ts';

export interface Writer {
  /** True for a writer whose output outlives the process (the last-build record applies to it). */
  readonly persistent: boolean;
  write(files: OutputFile[]): Promise<Result<WriteReport>>;
  /**
   * Opens the write stage before the pages are rendered, so that each is written as it is made
   * (the disk writer); null when the stage cannot be opened (`write` then reports why).
   */
  open?(): Promise<OutputSink | null>;
}

export function diskWriter(fs: Fs, options: WriteOptions): Writer {
  return { persistent: true, write: (files) => writeOutput(fs, files, options), open: async () => (await openOutput(fs, options)).sink };
}

export class MemoryWriter implements Writer {
  readonly persistent = false;
  /** The site as last written: output path → contents. */
  files = new Map<string, string | Uint8Array>();

  async write(files: OutputFile[]): Promise<Result<WriteReport>> {
    const next = new Map(files.map((f) => [f.outPath, contentsOf(f)]));
    const changed: string[] = [];
    for (const [out, contents] of next) if (!sameBytes(this.files.get(out), contents)) changed.push(out);
    let removed = 0;
    for (const out of this.files.keys()) if (!next.has(out)) (changed.push(out), removed++);
    this.files = next;
    changed.sort();
    return { value: { written: changed.length - removed, unchanged: next.size - (changed.length - removed), removed, marker: '', changed }, diagnostics: [] };
  }
}

export function sameBytes(a: string | Uint8Array | undefined, b: string | Uint8Array): boolean {
  if (a === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
