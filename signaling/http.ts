/**
 * Plain HTTP: the built app, /healthz, /metrics, /config. WebSocket upgrades never reach here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { IceServer } from './config';

export const SIGNAL_PATH = '/signal';

export interface HttpRoutes {
  /** Folder holding the built app (index.html); null or missing serves a hint instead. */
  staticDir: string | null;
  iceServers: readonly IceServer[];
  renderMetrics: () => string;
  health: () => { connections: number; topics: number };
}

export function createRequestListener(routes: HttpRoutes): RequestListener {
  const serveApp = createAppHandler(routes.staticDir);
  // Serialised once: the operator's config cannot change while the process runs.
  const configBody = JSON.stringify({ iceServers: routes.iceServers });

  return (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', {
        Allow: 'GET, HEAD',
      });
    }
    switch (pathOf(req)) {
      case '/healthz':
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({ status: 'ok', ...routes.health() }),
          // Load balancers and other relays' clients probe this from any origin.
          { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' },
        );
      case '/metrics':
        return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', routes.renderMetrics(), {
          'Cache-Control': 'no-store',
        });
      case '/config':
        // A community may list several relays, so the app reads /config cross-origin.
        return send(res, 200, 'application/json', configBody, {
          'Cache-Control': 'no-cache',
          'Access-Control-Allow-Origin': '*',
        });
      case SIGNAL_PATH:
        return send(res, 426, 'text/plain; charset=utf-8', 'WebSocket upgrade required\n', {
          Upgrade: 'websocket',
        });
      default:
        return serveApp(req, res);
    }
  };
}

function createAppHandler(staticDir: string | null): RequestListener {
  if (!staticDir || !existsSync(join(staticDir, 'index.html'))) {
    return (_req, res) =>
      send(
        res,
        404,
        'text/plain; charset=utf-8',
        'The Moot app is not built here. Run `npm run build`, or start the relay with --static <dir>.\n',
      );
  }
  const serve = sirv(staticDir, {
    single: true,
    etag: true,
    setHeaders(res, pathname) {
      // Vite fingerprints everything under /assets/; index.html must always be revalidated.
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (req, res) => serve(req, res);
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://relay.invalid').pathname;
  } catch {
    return '/';
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
