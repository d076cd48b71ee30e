// Keeps a page current: the SSE stream when the server has it, polling when it has not or while it is down.

import { t } from './i18n';

export const POLL_INTERVAL_MS = 5000;
export type LiveMode = 'connecting' | 'live' | 'polling';

/**
 * Calls `refresh` at start, on every `threat_level.changed` event of GET /v1/stream, and every 5 s while the
 * stream is not open (missing, refused, or reconnecting). Refreshes never overlap; one asked for while another
 * runs follows it.
 */
export class LiveUpdates {
  private source: EventSource | null = null;
  private timer: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  mode: LiveMode = 'connecting';

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly onMode: (mode: LiveMode) => void = () => {},
  ) {}

  start(): void {
    void this.trigger();
    if (typeof EventSource === 'undefined') return this.poll();
    const source = new EventSource('/v1/stream');
    this.source = source;
    source.addEventListener('open', () => {
      this.stopPolling();
      this.setMode('live');
      void this.trigger(); // catch up on anything missed while disconnected
    });
    source.addEventListener('threat_level.changed', () => void this.trigger());
    source.addEventListener('error', () => {
      // CLOSED: the server has no stream (404, wrong type) and the browser gave up; else it is reconnecting.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.source = null;
      }
      this.poll();
    });
  }

  stop(): void {
    this.source?.close();
    this.source = null;
    this.stopPolling();
  }

  private poll(): void {
    this.setMode('polling');
    this.timer ??= window.setInterval(() => void this.trigger(), POLL_INTERVAL_MS);
  }

  private stopPolling(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  private setMode(mode: LiveMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.onMode(mode);
  }

  private async trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.refresh();
        } catch {
          // A failed refresh is retried by the next event or poll.
        }
      } while (this.again);
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }
}

export function describeMode(mode: LiveMode): string {
  switch (mode) {
    case 'live':
      return t('web.live.live');
    case 'polling':
      return t('web.live.polling', { seconds: POLL_INTERVAL_MS / 1000 });
    default:
      return t('web.live.connecting');
  }
}
