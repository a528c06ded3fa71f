/**
 * `gradphoto serve`: the built web page (dist/web) over HTTP on 127.0.0.1 only. Requests whose Host
 * header names anything but this address are refused (421), so a web page elsewhere cannot reach the
 * server through DNS rebinding; only GET and HEAD of the page's own files are answered.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo, type CliIo } from './io.js';
import type { Lang } from '../contract/types.js';
import { interpolate, uiStrings } from '../i18n/index.js';

/** dist/web, next to dist/src in the package. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

/** The page's Content-Security-Policy: its own origin only, and WebAssembly compiled from it. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
};

/** Start the server; resolves to it once it listens. */
export function startServer(port: number, root = WEB_DIR): Promise<Server> {
  const server = createServer(async (request, response) => {
    const address = server.address();
    const listening = typeof address === 'object' && address ? address.port : port;
    const allowed = new Set([`127.0.0.1:${listening}`, `localhost:${listening}`]);
    const send = (status: number, body: string) => response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    if (!allowed.has(request.headers.host ?? '')) return send(421, 'gradphoto serves 127.0.0.1 only\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n');
    const pathname = decodeURIComponent(new URL(request.url ?? '/', `http://${request.headers.host}`).pathname);
    const file = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(root + sep) || !TYPES[extname(file)]) return send(404, 'not found\n');
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)], 'content-length': body.length, 'cache-control': 'no-cache',
        'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      send(404, 'not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function openBrowser(url: string) {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined); // no browser to open: the address is printed anyway
  child.unref();
}

/** Serve until Ctrl-C; 0 then, 2 when the page was not built or the port is taken. */
export async function serve({ port, open, lang = 'zh' }: { port: number; open: boolean; lang?: Lang }, io: CliIo = processIo()): Promise<number> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    io.stderr.write(`gradphoto: the web page is not built (${WEB_DIR}): run npm run build\n`);
    return 2;
  }
  let server: Server;
  try {
    server = await startServer(port);
  } catch (error) {
    io.stderr.write(`gradphoto: cannot listen on 127.0.0.1:${port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return 2;
  }
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
  io.stdout.write(`gradphoto: ${interpolate(uiStrings(lang).serving, { url })}\n`);
  if (open && io.stdout.isTTY) openBrowser(url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop); process.off('SIGTERM', stop); // neither outlives the server
      server.close(); server.closeAllConnections(); resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
