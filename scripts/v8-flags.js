// V8 flags for a quire command, set first thing in the process, before any heap has begun marking
// (bin/quire.js, and bench/child.mjs, which measures a build as users run it).
//
// A build parses markdown on as many worker threads as there are cores, and each thread's heap is
// also marked on background threads: those compete with the workers for the same cores, and
// marking done concurrently costs more CPU than marking in each thread's own pauses. Without
// concurrent marking a cold build takes up to a fifth less CPU (README, "No concurrent marking in
// build"). `dev` keeps it: its rebuilds run on the main thread, and short pauses matter there.
import { setFlagsFromString } from 'node:v8';

/** The V8 flags `quire <command>` runs with. */
export function v8FlagsFor(command) {
  return command === 'build' ? ['--no-concurrent-marking'] : [];
}

/** Sets the flags for `command` in this process. */
export function setV8Flags(command) {
  for (const flag of v8FlagsFor(command)) setFlagsFromString(flag);
}
