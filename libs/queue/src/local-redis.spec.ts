import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { autostartPort, findOnPath } from './local-redis';

describe('autostartPort', () => {
  it('starts one for npm start while REDIS_URL is unset, on the default port', () => {
    expect(autostartPort('auto', false, 'redis://127.0.0.1:6379')).toBe(6379);
  });

  it('leaves a REDIS_URL someone set alone unless told to, and then only on loopback', () => {
    expect(autostartPort('auto', true, 'redis://127.0.0.1:6380')).toBeNull();
    expect(autostartPort('true', true, 'redis://127.0.0.1:6380')).toBe(6380);
    expect(autostartPort('true', true, 'redis://localhost')).toBe(6379);
    expect(autostartPort('true', true, 'redis://[::1]:7000')).toBe(7000);
    expect(autostartPort('true', true, 'redis://cache.internal:6379')).toBeNull();
  });

  it('never starts one that could not be what the URL asks for', () => {
    expect(autostartPort('true', true, 'rediss://127.0.0.1:6379')).toBeNull();
    expect(autostartPort('true', true, 'redis://:secret@127.0.0.1:6379')).toBeNull();
    expect(autostartPort('true', true, 'redis://127.0.0.1:6379/3')).toBeNull();
    expect(autostartPort('true', true, 'redis://127.0.0.1:6379/0')).toBe(6379);
  });

  it('is off when REDIS_AUTOSTART=false', () => {
    expect(autostartPort('false', false, 'redis://127.0.0.1:6379')).toBeNull();
  });
});

describe('findOnPath', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-path-'));
    writeFileSync(join(dir, 'redis-server'), '#!/bin/sh\n');
    chmodSync(join(dir, 'redis-server'), 0o755);
    writeFileSync(join(dir, 'not-executable'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable in the PATH, in order', () => {
    expect(findOnPath('redis-server', ['/nonexistent', dir].join(delimiter))).toBe(join(dir, 'redis-server'));
  });

  it('answers null for a name that is missing or not executable', () => {
    expect(findOnPath('redis-server', '/nonexistent')).toBeNull();
    expect(findOnPath('not-executable', dir)).toBeNull();
    expect(findOnPath('redis-server', '')).toBeNull();
  });
});
