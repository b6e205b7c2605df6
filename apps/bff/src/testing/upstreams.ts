import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  respond: (request: CapturedRequest, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A plain HTTP upstream that records exactly what the BFF sent it. */
export async function startCaptureServer(
  respond: CaptureServer['respond'],
): Promise<CaptureServer> {
  const capture: CaptureServer = {
    url: '',
    requests: [],
    respond,
    close: () => Promise.resolve(),
  };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: CapturedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      capture.requests.push(request);
      capture.respond(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  capture.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return capture;
}

export interface RawServer {
  url: string;
  connections: () => number;
  close(): Promise<void>;
}

/** A raw TCP server for faults no HTTP server would produce: resets, hangs, stalls. */
export async function startRawServer(onSocket: (socket: Socket) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: NetServer = createNetServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** An HTTPS server whose certificate names another host (pinned as CA, still refused). */
export async function startWrongHostTls(): Promise<{
  url: string;
  ca: string;
  close(): Promise<void>;
}> {
  const pems = await generate([{ name: 'commonName', value: 'wrong.example' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'wrong.example' }] },
    ],
  });
  const server = createHttpsServer({ cert: pems.cert, key: pems.private }, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ metadata: { result: 1, reason: 'OK', command: 'x' }, data: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: pems.cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
