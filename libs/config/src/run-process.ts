interface Closable {
  close(): Promise<void>;
}

/**
 * Starts a process's app. A failure to start (bad setting, unreachable database or Redis) ends the process
 * with one line on stderr and exit code 1, not a stack trace.
 */
export function runProcess(start: () => Promise<Closable>): void {
  start().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tocsin: cannot start: ${reason.split('\n')[0]}\n`);
    process.exit(1);
  });
}
