// The read API's ceilings, run as a process of its own (see peer.mjs): bare Fastify routes with nothing else
// in the way. `/v1/levels` sends the body as bytes rendered once, as the app sends its cached list of now;
// Bytes, a Buffer of UTF-8: a string would be measured for Content-Length and encoded again on every send,
// a cost the machine does not have to pay (DESIGN.md §5.7: the ceiling is the best it does).
// `/serialised` serialises the same JSON on every request, as the app did before it kept that list.
import { Buffer } from 'node:buffer';
import Fastify from 'fastify';
import { serve } from './peer.mjs';

let body = { items: [], nextCursor: null };
let bytes = Buffer.from(JSON.stringify(body));
const app = Fastify({ logger: false });
app.get('/v1/levels', (request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(bytes);
});
app.get('/serialised', async () => body);

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  serve(app.server.address().port, {
    setBody(params) {
      body = params.body;
      bytes = Buffer.from(JSON.stringify(body));
    },
  });
});
