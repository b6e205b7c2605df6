import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, freePort, startService, type Service } from './processes.js';

export function nginxBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** nginx as a plain keep-alive reverse proxy in front of the simulator: the reference a proxy sets. */
export async function startNginx(
  binary: string,
  workDir: string,
  upstreamPort: number,
): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  mkdirSync(join(workDir, 'logs'), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const conf = `
${asRoot ? 'user root;' : ''}
worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(workDir, 'body')};
  proxy_temp_path ${join(workDir, 'proxy')};
  fastcgi_temp_path ${join(workDir, 'fastcgi')};
  uwsgi_temp_path ${join(workDir, 'uwsgi')};
  scgi_temp_path ${join(workDir, 'scgi')};
  upstream whm { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://whm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
    }
  }
}
`;
  const confFile = join(workDir, 'nginx.conf');
  writeFileSync(confFile, conf);
  const url = `http://127.0.0.1:${port}`;
  const service = await startService(
    'nginx',
    binary,
    ['-p', workDir, '-c', confFile, '-g', 'daemon off;'],
    { ready: () => answers(url) },
  );
  return { service, url };
}
