import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * State servers are etcd clusters, so `npm start`, `npm test` and CI need the
 * etcd binary (Debian's etcd-server; ETCD_BIN to use another). On Debian as
 * root a missing etcd is installed with apt-get, saying so; anywhere else the
 * caller stops with the one command to run.
 */
export function etcdBinary(): string {
  return process.env.ETCD_BIN || "/usr/bin/etcd";
}

export function ensureEtcd(log: (message: string) => void = (m) => console.log(m)): string {
  const bin = etcdBinary();
  if (existsSync(bin)) return bin;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get") && !process.env.ETCD_BIN;
  if (!canInstall) {
    throw new Error(
      `etcd not found at ${bin}: install it with \`sudo apt-get install -y etcd-server etcd-client\` (Debian/Ubuntu) or set ETCD_BIN`,
    );
  }
  log("etcd is missing: installing Debian's etcd-server and etcd-client with apt-get (about 30 s)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-q", "etcd-server", "etcd-client"], { stdio: "inherit", env });
  if (update.status !== 0 || install.status !== 0 || !existsSync(bin)) {
    throw new Error("installing etcd-server with apt-get failed; run `apt-get install -y etcd-server etcd-client` and try again");
  }
  // Debian's package starts a default etcd on 2379/2380 where systemd runs it; Statehouse's members use other ports.
  log(`etcd installed at ${bin}`);
  return bin;
}
