// The Studio's web process: Next.js behind a plain Node HTTP server, so that the address a
// request came from is the socket's and not whatever the client wrote into a header. `next
// start` keeps a client's own X-Forwarded-For (it only fills it in when missing), which would
// let anyone pick the address the sign-in throttle counts against. Unless TRUST_PROXY says a
// reverse proxy in front of us sets them, incoming forwarding headers are dropped and Next
// fills them in from the connection.
// In production the decision API (POST /api/v1/advisor/decisions, called at every chatbot turn)
// is answered here, before Next's router, by the same route wrapper and endpoint as the app
// route (lib/advisor/decision-fast-path.ts): Next's route machinery alone was ~1 ms of this
// process's one core per decision. `dev` leaves it to Next, so edits reload as usual, and so
// does WEB_DECISION_FAST_PATH=0 (benchmark pairs, or to rule the fast path out).
//   node --import tsx lib/cli/web.ts start|dev [-p PORT] [-H HOST]     (the arguments of `next`)
import http from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { trustedProxyHops } from '../auth/client-ip';
import { connectionBudget, describeConnectionBudget } from '../db/connection-budget';

const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'forwarded'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } },
});
const dev = positionals[0] === 'dev';
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOST ?? undefined;
const trustProxy = trustedProxyHops() > 0;
const decisionFastPathOn = !dev && process.env.WEB_DECISION_FAST_PATH !== '0';

const server = http.createServer();
const app = next({ dev, dir: process.cwd(), hostname: hostname ?? 'localhost', port, httpServer: server });
await app.prepare();
const handle = app.getRequestHandler();
// Loaded after prepare(): lib/ code reaches next/* modules that need the runtime Next sets up there.
const { decisionFastPath, isDecisionRequest } = await import('../advisor/decision-fast-path');
const { serveRouteOnNode } = await import('../boundary/node-route');
server.on('request', (req, res) => {
  if (!trustProxy) for (const h of FORWARDING_HEADERS) delete req.headers[h];
  if (decisionFastPathOn && isDecisionRequest(req.method, req.url)) {
    serveRouteOnNode(decisionFastPath, req, res).catch((e) => {
      // The wrapper answers every failure itself; this is the transport failing (a reset socket).
      console.error(`[web] decision API: ${(e as Error).message.split('\n')[0]}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return;
  }
  void handle(req, res);
});
if (dev) server.on('upgrade', (req, socket, head) => void app.getUpgradeHandler()(req, socket, head));
server.listen(port, hostname, () => {
  console.log(
    `[web] ${dev ? 'development' : 'production'} server on ${hostname ?? '*'}:${port}${trustProxy ? ` (trusting ${trustedProxyHops()} proxy hop(s) for X-Forwarded-For)` : ''}`,
  );
  console.log(`[web] ${describeConnectionBudget(connectionBudget('web'))}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
