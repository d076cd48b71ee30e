// A helper process (webhook receiver, SMTP sink, bare Fastify) that the benchmark talks to over IPC, so
// that the peer's work runs on its own event loop, as a real receiver's would, and not in the process
// that measures. The parent calls `peer.call(method, params)`; the child answers with `serve(handlers)`.
import { fork } from 'node:child_process';

/** Forks `script`, waits until it says it listens, and returns its port and a way to call it. */
export async function startPeer(script, options = {}) {
  const child = fork(script, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
  });
  const pending = new Map();
  let nextId = 1;
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`${script} exited (${code})`));
    pending.clear();
  });
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited before it listened (${code})`)));
    child.on('message', (message) => {
      if (message.ready) return resolve(message.ready);
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.error) call.reject(new Error(message.error));
      else call.resolve(message.result);
    });
  });
  const { port } = await ready;
  return {
    port,
    pid: child.pid,
    call(method, params = {}) {
      if (exited) return Promise.reject(new Error(`${script} has exited`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, method, params });
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** The child's side: answers calls with `handlers[method](params)` and announces its port. */
export function serve(port, handlers) {
  process.on('message', async ({ id, method, params }) => {
    try {
      const handler = handlers[method];
      if (!handler) throw new Error(`no method ${method}`);
      process.send({ id, result: await handler(params) });
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: { port } });
}
