import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, tempDir } from "../helpers";

const npmCli = process.env.npm_execpath ?? "npm";

/** Runs npm (the one running the tests when there is one) in `cwd`. */
export function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const [command, prefix] = npmCli.endsWith(".js") ? [process.execPath, [npmCli]] : [npmCli, []];
  return spawnSync(command, [...prefix, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" },
  });
}

/** Packs the built package (`npm test` builds it first) as it would be published; returns the tarball's path. */
export function packTarball(): string {
  const dir = tempDir("logsight-pack-");
  const output = execFileSync(
    npmCli.endsWith(".js") ? process.execPath : npmCli,
    [...(npmCli.endsWith(".js") ? [npmCli] : []), "pack", "--ignore-scripts", "--silent", "--pack-destination", dir],
    { cwd: repoRoot, encoding: "utf8" },
  );
  const tarball = path.join(dir, output.trim().split("\n").pop()!);
  assert(fs.existsSync(tarball), `npm pack did not produce ${tarball}`);
  return tarball;
}

/** An empty project with `package.json`, where the packed tarball can be installed. */
export function emptyProject(manifest: object = {}): string {
  const dir = tempDir("logsight-consumer-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, ...manifest }));
  return dir;
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
