// The reference for what a Node.js hop costs before any of the console's code runs: the proxy
// library the BFF uses (http-proxy-middleware) on a bare node:http server, keep-alive to the
// simulator, nothing else (no session, CSRF, validation, shared reads, logs or metrics).
import { Agent, createServer } from 'node:http';
import { createProxyMiddleware } from 'http-proxy-middleware';

const [upstreamPort = '0', port = '0'] = process.argv.slice(2);
const proxy = createProxyMiddleware({
  target: `http://127.0.0.1:${upstreamPort}`,
  agent: new Agent({ keepAlive: true, maxSockets: 64 }),
});
const server = createServer((req, res) => {
  void proxy(req, res, () => {
    res.statusCode = 502;
    res.end();
  });
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
