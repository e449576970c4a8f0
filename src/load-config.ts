/** The config stage: the config file (or the defaults) with command-line overrides. */
import path from 'node:path';
import { CONFIG_FILES, parseConfig, type Config } from './config.ts';
import { error, hasErrors, type Diagnostic, type Result } from './diagnostics.ts';
import type { Fs } from './fs.ts';

/** Reads and checks the config; null (with errors) when it cannot be used. */
export async function loadConfig(fs: Fs, root: string, configFile: string | undefined, overrides: Partial<Config>, display: (p: string) => string): Promise<Result<Config | null>> {
  const file = configFile ?? (await findConfigFile(fs, root));
  let text = '';
  if (file) {
    try {
      text = (await fs.readFile(file)).toString('utf8');
    } catch (e) {
      return { value: null, diagnostics: [error('config/unreadable', `cannot read config file: ${(e as Error).message}`, { file: display(file), hint: 'check the --config path' })] };
    }
  }
  const parsed = parseConfig(text, file ? display(file) : 'defaults.yml', overrides);
  return { value: hasErrors(parsed.diagnostics) ? null : parsed.value, diagnostics: parsed.diagnostics };
}

/** Config files whose change means a full rebuild (the given one, or every name looked for at the root). */
export function configCandidates(root: string, configFile?: string): string[] {
  return configFile ? [configFile] : CONFIG_FILES.map((n) => path.join(root, n));
}

/** The first of quire.config.{yml,yaml,json,toml} that exists at the project root. */
async function findConfigFile(fs: Fs, root: string): Promise<string | undefined> {
  for (const candidate of configCandidates(root)) {
    if (await fs.stat(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}
