import { HttpException, Injectable, Logger } from '@nestjs/common';
import { Clock, AppConfig, describeError } from '@tocsin/config';
import { Actor, Declaration, DeclarationMode, DeclarationsService } from '@tocsin/declarations';
import { MetricsService } from '@tocsin/metrics';
import { uuidv7 } from 'uuidv7';
import { CapAlert, parseCapAlert } from './cap-document';
import { mapCapAlert } from './cap-mapping';
import { CapFetcher } from './cap-fetcher';
import { capSchemaProblems } from './cap-schema';
import { parseFeed } from './feed';
import { oldestFirst } from './feed-order';
import { ItemOutcome, StoredSource } from './source';
import { NewItem, SourcesRepository, Triple } from './sources.repository';

/** What became of one document: the push answer's body. */
export interface ImportOutcome {
  outcome: ItemOutcome;
  reason?: string;
  declarationIds: string[];
}

/** What one poll of a feed did. */
export type PollOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'not-modified' }
  | { kind: 'failed'; error: string }
  | { kind: 'fetched'; documents: number };

/** Entries read from one feed answer; a feed that lists more is read again at the next poll. */
const MAX_ENTRIES_PER_POLL = 200;

/**
 * The declaration mode of a CAP status (DESIGN.md §5.4): an Exercise or Test alert is imported as one, so it
 * reaches only the subscribers who opted in and changes no level. System and Draft messages are not alerts.
 */
const MODE_OF_STATUS: Partial<Record<string, DeclarationMode>> = {
  Actual: 'actual',
  Exercise: 'exercise',
  Test: 'test',
};

/**
 * Turns CAP documents into declarations (DESIGN.md §5.3), one document at a time, whether pushed or polled:
 * parse (no DOCTYPE, no entities, size-limited) → once per (sender, identifier, sent) → Actual, Exercise or Test → Alert
 * publishes, Update publishes and ends what its references made, Cancel cancels those. Every document is
 * listed with its outcome; the text of one that parsed is kept for origin.xml.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly repository: SourcesRepository,
    private readonly declarations: DeclarationsService,
    private readonly fetcher: CapFetcher,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** A document pushed to a cap-push source; the push counts as the source's last fetch. */
  async push(source: StoredSource, body: Buffer): Promise<ImportOutcome> {
    const outcome = await this.importDocument(source, body);
    await this.repository.recordFetch(
      source.id,
      {
        at: this.clock.now(),
        status: 202,
        error: outcome.outcome === 'rejected' ? (outcome.reason ?? null) : null,
      },
      false,
    );
    return outcome;
  }

  async importDocument(source: StoredSource, body: Buffer | string): Promise<ImportOutcome> {
    const receivedAt = this.clock.now();
    const item: NewItem = {
      id: `itm_${uuidv7()}`,
      sourceId: source.id,
      sender: null,
      identifier: null,
      sent: null,
      outcome: 'rejected',
      reason: null,
      declarationIds: [],
      document: null,
      receivedAt,
    };
    const parsed = parseCapAlert(body, { maxBytes: this.config.ingestMaxBytes });
    // A document that does not parse is not kept: it may be hostile, and nothing could be served from it.
    if (!parsed.ok) return this.settleNew(source, { ...item, reason: parsed.reason });
    const alert = parsed.value;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const named: NewItem = {
      ...item,
      sender: alert.sender,
      identifier: alert.identifier,
      sent: alert.sent,
      outcome: 'imported',
      document: text,
    };
    if (!(await this.repository.claimItem(named))) {
      return this.settleNew(source, {
        ...named,
        outcome: 'duplicate',
        reason: `already seen: ${alert.sender} ${alert.identifier} ${alert.sent}`,
        document: null,
      });
    }
    let outcome: ImportOutcome;
    try {
      outcome = await this.importAlert(source, alert);
    } catch (error) {
      // A declaration the service refuses (an unknown area, a level the scheme lacks) is the document's fault.
      if (!(error instanceof HttpException)) {
        await this.repository.settleItem(named.id, 'rejected', `import failed: ${describeError(error)}`, []);
        await this.counted(source, 'rejected');
        throw error;
      }
      outcome = { outcome: 'rejected', reason: error.message, declarationIds: [] };
    }
    // Reported, not enforced: publishers' documents are often slightly off-schema and still meaningful.
    const problems = await capSchemaProblems(text, alert.version).catch((error: unknown) => [
      `the schema check failed: ${describeError(error)}`,
    ]);
    const schemaNote = problems.length
      ? `not valid against the CAP ${alert.version} schema: ${problems.slice(0, 3).join('; ')}`
      : undefined;
    const reason = [outcome.reason, schemaNote].filter(Boolean).join(' — ') || undefined;
    await this.repository.settleItem(named.id, outcome.outcome, reason ?? null, outcome.declarationIds);
    await this.counted(source, outcome.outcome);
    return { ...outcome, ...(reason ? { reason } : {}) };
  }

  private async importAlert(source: StoredSource, alert: CapAlert): Promise<ImportOutcome> {
    const rejected = (reason: string): ImportOutcome => ({ outcome: 'rejected', reason, declarationIds: [] });
    const mode = MODE_OF_STATUS[alert.status];
    if (!mode) return rejected(`status ${alert.status}: only Actual, Exercise and Test alerts are imported`);
    const actor: Actor = { id: source.id, name: `source ${source.name}` };
    const referenced = await this.repository.declarationsFrom(source.id, alert.references as Triple[]);
    switch (alert.msgType) {
      case 'Alert':
      case 'Update': {
        const mapped = mapCapAlert(alert, {
          levelRules: source.levelRules,
          areaMap: source.areaMap,
          defaultAreas: source.defaultAreas,
        });
        if (!mapped.ok) return rejected(mapped.reason);
        const m = mapped.value;
        const declaration = await this.declarations.publish(
          {
            scheme: source.schemeId,
            level: m.level,
            areas: m.areas,
            headline: m.headline,
            summary: m.summary,
            measures: m.measures,
            language: m.language,
            translations: m.translations,
            authority: m.authority,
            sourceUrl: m.sourceUrl,
            effectiveAt: m.effectiveAt,
            expiresAt: m.expiresAt,
            mode,
            origin: {
              sourceId: source.id,
              sourceName: source.name,
              sender: alert.sender,
              identifier: alert.identifier,
              sent: alert.sent,
            },
          },
          actor,
        );
        if (alert.msgType === 'Update') {
          await this.end(referenced, actor, `updated by ${alert.sender} ${alert.identifier}`);
        }
        return { outcome: 'imported', declarationIds: [declaration.id] };
      }
      case 'Cancel': {
        if (!referenced.length) return rejected('a Cancel whose references name nothing imported');
        const cancelled = await this.end(
          referenced,
          actor,
          `cancelled by ${alert.sender} ${alert.identifier}`,
        );
        return {
          outcome: 'imported',
          declarationIds: cancelled,
          ...(cancelled.length ? {} : { reason: 'what it cancels had already ended' }),
        };
      }
      default:
        return rejected(`msgType ${alert.msgType} is not imported (only Alert, Update and Cancel)`);
    }
  }

  /**
   * Cancels those of `ids` still scheduled or active. An Update's new declaration has already replaced
   * them on the areas both cover (they read as superseded there); on any other area they end now.
   */
  private async end(ids: string[], actor: Actor, reason: string): Promise<string[]> {
    const ended: string[] = [];
    for (const id of ids) {
      const declaration: Declaration | null = await this.declarations.get(id).catch(() => null);
      if (!declaration || (declaration.status !== 'active' && declaration.status !== 'scheduled')) continue;
      await this.declarations.cancel(id, actor, reason);
      ended.push(id);
    }
    return ended;
  }

  private async settleNew(source: StoredSource, item: NewItem): Promise<ImportOutcome> {
    await this.repository.insertItem(item);
    await this.counted(source, item.outcome);
    return { outcome: item.outcome, ...(item.reason ? { reason: item.reason } : {}), declarationIds: [] };
  }

  private async counted(source: StoredSource, outcome: ItemOutcome): Promise<void> {
    await this.repository.count(source.id, outcome);
    this.metrics.ingestItems.inc({ outcome });
  }

  /**
   * One poll of a cap-feed source: a conditional GET of its URL, then each entry's document (each URL
   * through the SSRF guard). The poll holds the source by a lease, so a second worker skips it.
   */
  async poll(sourceId: string): Promise<PollOutcome> {
    const now = this.clock.now();
    // Long enough for the feed and every document to time out one after another.
    const leaseMs = this.config.webhookTimeoutMs * 2 * (MAX_ENTRIES_PER_POLL + 1);
    const source = await this.repository.claimPoll(sourceId, now, new Date(now.getTime() + leaseMs));
    if (!source) return { kind: 'skipped', reason: 'not an enabled feed, or being polled' };
    try {
      return await this.pollClaimed(source);
    } catch (error) {
      const message = describeError(error);
      await this.repository.recordFetch(
        source.id,
        { at: this.clock.now(), status: null, error: message },
        true,
      );
      throw error;
    }
  }

  private async pollClaimed(source: StoredSource): Promise<PollOutcome> {
    const url = source.url!;
    const fetched = await this.fetcher.get(url, { etag: source.etag, lastModified: source.lastModified });
    const at = this.clock.now();
    if (fetched.kind === 'not-modified') {
      await this.repository.recordFetch(source.id, { at, status: 304, error: null }, true);
      return { kind: 'not-modified' };
    }
    if (fetched.kind === 'failed') {
      await this.repository.recordFetch(
        source.id,
        { at, status: fetched.status, error: fetched.error },
        true,
      );
      return { kind: 'failed', error: fetched.error };
    }
    const feed = parseFeed(fetched.body, { maxBytes: this.config.ingestMaxBytes, baseUrl: url });
    if (!feed.ok) {
      // Not a feed nor a document: the same answer would fail again, so its validators are not kept.
      await this.repository.recordFetch(source.id, { at, status: 200, error: feed.reason }, true);
      return { kind: 'failed', error: feed.reason };
    }
    let documents = 0;
    const errors: string[] = [];
    if (feed.value.kind === 'cap') {
      await this.importDocument(source, fetched.body);
      documents = 1;
    } else {
      for (const entry of oldestFirst(feed.value.entries).slice(0, MAX_ENTRIES_PER_POLL)) {
        const document = await this.fetcher.get(entry.url);
        documents += 1;
        if (document.kind === 'ok') {
          await this.importDocument(source, document.body);
        } else {
          const error = document.kind === 'failed' ? document.error : 'answered 304 to a plain GET';
          errors.push(`${entry.url}: ${error}`);
          await this.settleNew(source, {
            id: `itm_${uuidv7()}`,
            sourceId: source.id,
            sender: null,
            identifier: null,
            sent: null,
            outcome: 'rejected',
            reason: `${entry.url}: ${error}`,
            declarationIds: [],
            document: null,
            receivedAt: this.clock.now(),
          });
        }
      }
    }
    await this.repository.recordFetch(
      source.id,
      {
        at,
        status: 200,
        error: errors.length ? `${errors.length} document(s) not fetched; first: ${errors[0]}` : null,
        etag: fetched.validators.etag,
        lastModified: fetched.validators.lastModified,
      },
      true,
    );
    this.logger.log(`source ${source.id}: ${documents} document(s) read`);
    return { kind: 'fetched', documents };
  }

  /** The document as received that made an imported declaration, or null. */
  async originDocument(declaration: Declaration): Promise<string | null> {
    if (!declaration.origin) return null;
    return this.repository.documentOf(declaration.origin, declaration.id);
  }
}
