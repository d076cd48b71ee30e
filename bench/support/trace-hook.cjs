// Loaded into the app's processes with `--require` by `node bench/run.mjs --only=latency --trace`: stamps
// every PostgreSQL query, LISTEN notification, Redis command and HTTP exchange with wall-clock times (ms,
// µs precision, comparable across processes) as JSON lines in TOCSIN_TRACE_FILE. A benchmark tool, never
// loaded by the app itself; the stamps cost a synchronous write each, so a traced run is slower.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');

const fd = fs.openSync(process.env.TOCSIN_TRACE_FILE, 'a');
const now = () => performance.timeOrigin + performance.now();
const stamp = (kind, what, t0) =>
  fs.writeSync(fd, `${JSON.stringify({ pid: process.pid, kind, what, t0, t1: now() })}\n`);
const oneLine = (text) => String(text).replace(/\s+/g, ' ').trim().slice(0, 120);

const patched = new Set();
const load = Module._load;
Module._load = function (request) {
  const exported = load.apply(this, arguments);
  if (request === 'pg' && exported?.Client && !patched.has('pg')) {
    patched.add('pg');
    const { prototype } = exported.Client;
    const emit = prototype.emit;
    prototype.emit = function (event, message) {
      if (event === 'notification') stamp('notify', message?.channel, now());
      return emit.apply(this, arguments);
    };
    const query = prototype.query;
    prototype.query = function (config) {
      const text = oneLine(typeof config === 'string' ? config : (config?.text ?? config?.name));
      const t0 = now();
      const args = [...arguments];
      const last = args.length - 1;
      // pg's pool passes a callback; a checked-out client (a transaction) gets a promise.
      if (typeof args[last] === 'function') {
        const done = args[last];
        args[last] = function () {
          stamp('pg', text, t0);
          return done.apply(this, arguments);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      result?.then?.(
        () => stamp('pg', text, t0),
        () => stamp('pg', text, t0),
      );
      return result;
    };
  }
  if (request === 'ioredis' && !patched.has('ioredis')) {
    const Redis = exported.default ?? exported.Redis ?? exported;
    if (Redis?.prototype?.sendCommand) {
      patched.add('ioredis');
      const send = Redis.prototype.sendCommand;
      Redis.prototype.sendCommand = function (command) {
        const t0 = now();
        const result = send.apply(this, arguments);
        command?.promise?.then(
          () => stamp('redis', `${command.name} ${String(command.args?.[0] ?? '').slice(0, 60)}`, t0),
          () => undefined,
        );
        return result;
      };
    }
  }
  if ((request === 'http' || request === 'node:http') && !patched.has('http')) {
    patched.add('http');
    const emit = exported.Server.prototype.emit;
    exported.Server.prototype.emit = function (event, req, res) {
      if (event === 'request') {
        const t0 = now();
        res.on('finish', () => stamp('http', `${req.method} ${req.url}`, t0));
      }
      return emit.apply(this, arguments);
    };
  }
  return exported;
};
