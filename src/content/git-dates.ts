/**
 * When each file under a folder was first committed to git: the date of an undated post that
 * stays the same on every clone (unlike a file's modification time).
 */
import { execFile } from 'node:child_process';

/** Map of path inside `root` (with `/`) → first-commit time in ms. Empty when git is unavailable. */
export function gitFirstCommitDates(root: string): Promise<Map<string, number>> {
  const args = ['-C', root, '-c', 'core.quotePath=false', 'log', '--diff-filter=A', '--no-renames', '--format=%x00%at', '--name-only', '--relative', '--', '.'];
  return new Promise((resolve) => {
    execFile('git', args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (err, stdout) => {
      const dates = new Map<string, number>();
      if (err) return resolve(dates);
      // Newest commit first: keep overwriting so each path ends with its oldest "added" commit.
      let current: number | null = null;
      for (const line of stdout.split('\n')) {
        if (line.startsWith('\0')) current = Number(line.slice(1)) * 1000;
        else if (line && current !== null) dates.set(line, current);
      }
      resolve(dates);
    });
  });
}
