import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface CliConfig {
  url: string;
  token: string;
  email?: string;
}

/** $XDG_CONFIG_HOME/statehouse/cli.json, else ~/.config/statehouse/cli.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "statehouse", "cli.json");
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig | null {
  const file = configPath(env);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<CliConfig>;
  return parsed.url && parsed.token ? (parsed as CliConfig) : null;
}

/** Written with mode 0600: it holds a personal API token. */
export function writeConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env) {
  const file = configPath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeConfig(env: NodeJS.ProcessEnv = process.env) {
  rmSync(configPath(env), { force: true });
}
