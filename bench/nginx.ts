/**
 * Variant N: Debian's nginx as a plain reverse proxy to the stub, configured the way a tuned
 * proxy runs (one worker, upstream keep-alive, HTTP/1.1 to the upstream, no access log), from a
 * temporary prefix so it needs no root and touches nothing under /etc or /var.
 *
 * @module
 */
import { freePort, pinned } from "./processes.ts";

/** The install line printed when nginx or wrk is missing. */
export const installHint = "apt-get install -y wrk nginx-light";

/**
 * The nginx.conf of variant N.
 *
 * @example
 * ```ts
 * nginxConf({ prefix: "/tmp/n", port: 8090, upstream: "127.0.0.1:8091", connections: 64 });
 * ```
 */
export function nginxConf(
  options: { prefix: string; port: number; upstream: string; connections: number },
): string {
  const { prefix } = options;
  return `daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events {
  worker_connections 4096;
}
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_requests 1000000;
  upstream stub {
    server ${options.upstream};
    keepalive ${options.connections};
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${options.port};
    location / {
      proxy_pass http://stub;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
    }
  }
}
`;
}

/** A running nginx. */
export interface RunningNginx {
  readonly url: string;
  /** The master's pid (the worker is its child). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts nginx in front of `stubUrl` and waits until it accepts connections. */
export async function startNginx(
  stubUrl: string,
  options: { cpus: string | undefined; connections: number },
): Promise<RunningNginx> {
  const prefix = await Deno.makeTempDir({ prefix: "gpc-edge-bench-nginx-" });
  const port = freePort();
  const conf = nginxConf({
    prefix,
    port,
    upstream: new URL(stubUrl).host,
    connections: options.connections,
  });
  await Deno.writeTextFile(`${prefix}/nginx.conf`, conf);
  const command = pinned(options.cpus, "nginx", [
    "-e",
    `${prefix}/error.log`,
    "-c",
    `${prefix}/nginx.conf`,
    "-p",
    prefix,
  ]);
  const child = new Deno.Command(command.command, {
    args: command.args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* gone */ }
    await child.output().catch(() => undefined);
    await Deno.remove(prefix, { recursive: true }).catch(() => {});
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const log = await Deno.readTextFile(`${prefix}/error.log`).catch(() => "");
  await stop();
  throw new Error(`nginx did not start on port ${port}: ${log.trim()}`);
}
