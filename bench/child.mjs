/**
 * Runs one `quire build` in this process and prints its resource use as the last stdout line (for
 * bench/build.ts). Plain JavaScript running the compiled dist/ (its bundle, dist/bundle/), as
 * users run quire: no TypeScript loader in the measured process. bench/build.ts makes sure dist/
 * is fresh first.
 */
import { setV8Flags } from '../scripts/v8-flags.js';
import { entryPoint } from '../scripts/dist.js';

setV8Flags(process.argv[2]); // as bin/quire.js does
const { main } = await import(entryPoint());

const started = performance.now();
const lines = [];
const code = await main(process.argv.slice(2), { out: (s) => lines.push(s), err: (s) => lines.push(s) });
const usage = process.resourceUsage();
const summary = lines.join('').split('\n').filter((l) => /^(Built|Build failed|  (posts|site|write|cache))/.test(l));
process.stdout.write(`${summary.join('\n')}\n${JSON.stringify({ code, wallMs: performance.now() - started, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssMb: usage.maxRSS / 1024 })}\n`);
