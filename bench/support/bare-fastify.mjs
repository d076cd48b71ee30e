// The read API's ceiling, run as a process of its own (see peer.mjs): a bare Fastify route that answers
// the JSON it is given, serialised on every request as the app does, with nothing else in the way.
import Fastify from 'fastify';
import { serve } from './peer.mjs';

let body = { items: [], nextCursor: null };
const app = Fastify({ logger: false });
app.get('/v1/levels', async () => body);

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  serve(app.server.address().port, {
    setBody(params) {
      body = params.body;
    },
  });
});
