import {
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { resolveAreaCodes } from '@tocsin/areas';
import { AuditActor, AuditLogRepository, changedFields, NewAuditEntry } from '@tocsin/audit';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { KeysetWindow, Positioned } from '@tocsin/database';
import { SchemesService } from '@tocsin/schemes';
import { checkWebhookUrl } from '@tocsin/webhooks';
import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { PollSchedule } from './poll-schedule';
import { Source, SourceItem, SourceKind, SourceLevelRule, StoredSource } from './source';
import { SourceChanges, SourcesRepository } from './sources.repository';

export const DEFAULT_POLL_SECONDS = 300;

export interface NewSource {
  name: string;
  kind: SourceKind;
  url?: string | null;
  pollSeconds?: number | null;
  scheme: string;
  levelRules: SourceLevelRule[];
  areaMap?: Record<string, string>;
  defaultAreas?: string[];
  enabled?: boolean;
}

export type SourceUpdate = Partial<Omit<NewSource, 'kind'>>;

/** A new cap-push source and its key, which is shown this once. */
export interface CreatedSource {
  source: Source;
  pushKey: string | null;
}

const hashPushKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Sources: validation against the scheme and areas, the push key, and the poll schedule that follows them. */
@Injectable()
export class SourcesService {
  private readonly logger = new Logger(SourcesService.name);

  constructor(
    private readonly repository: SourcesRepository,
    private readonly audit: AuditLogRepository,
    private readonly schemes: SchemesService,
    private readonly schedule: PollSchedule,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(request: NewSource, actor: AuditActor): Promise<CreatedSource> {
    const now = this.clock.now();
    const checked = await this.checked({
      ...request,
      url: request.url ?? null,
      pollSeconds: request.pollSeconds ?? null,
      areaMap: request.areaMap ?? {},
      defaultAreas: request.defaultAreas ?? [],
      enabled: request.enabled ?? true,
    });
    const pushKey = request.kind === 'cap-push' ? `tpk_${randomBytes(32).toString('base64url')}` : null;
    const source: StoredSource = {
      id: `src_${uuidv7()}`,
      name: request.name,
      kind: request.kind,
      url: checked.url,
      pollSeconds: checked.pollSeconds,
      schemeId: checked.scheme,
      levelRules: checked.levelRules,
      areaMap: checked.areaMap,
      defaultAreas: checked.defaultAreas,
      enabled: checked.enabled,
      lastFetchedAt: null,
      lastStatus: null,
      lastError: null,
      counts: { seen: 0, imported: 0, duplicates: 0, rejected: 0 },
      createdAt: now,
      updatedAt: now,
      pushKeyHash: pushKey ? hashPushKey(pushKey) : null,
      etag: null,
      lastModified: null,
    };
    await this.repository.transaction(async (tx) => {
      await this.repository.insert(source, tx);
      await this.audit.append(entry(actor, 'source.created', source.id, now, audited(source)), tx);
    });
    await this.followed(source);
    return { source: publicOf(source), pushKey };
  }

  async get(id: string): Promise<Source> {
    return publicOf(await this.stored(id));
  }

  async list(window: KeysetWindow): Promise<Positioned<Source>[]> {
    return (await this.repository.findPage(window)).map((s) => ({ ...publicOf(s), position: s.position }));
  }

  async items(id: string, window: KeysetWindow): Promise<Positioned<SourceItem>[]> {
    await this.stored(id);
    return this.repository.findItems(id, window);
  }

  async update(id: string, request: SourceUpdate, actor: AuditActor): Promise<Source> {
    const current = await this.stored(id);
    const checked = await this.checked({
      name: request.name ?? current.name,
      kind: current.kind,
      url: request.url !== undefined ? request.url : current.url,
      pollSeconds: request.pollSeconds !== undefined ? request.pollSeconds : current.pollSeconds,
      scheme: request.scheme ?? current.schemeId,
      levelRules: request.levelRules ?? current.levelRules,
      areaMap: request.areaMap ?? current.areaMap,
      defaultAreas: request.defaultAreas ?? current.defaultAreas,
      enabled: request.enabled ?? current.enabled,
    });
    const changes: SourceChanges = {
      name: checked.name,
      url: checked.url,
      pollSeconds: checked.pollSeconds,
      schemeId: checked.scheme,
      levelRules: checked.levelRules,
      areaMap: checked.areaMap,
      defaultAreas: checked.defaultAreas,
      enabled: checked.enabled,
      updatedAt: this.clock.now(),
      // A new URL is a new feed: its validators would say nothing about it.
      ...(checked.url !== current.url ? { etag: null, lastModified: null } : {}),
    };
    const updated = await this.repository.transaction(async (tx) => {
      const before = await this.repository.lockById(tx, id);
      const after = before && (await this.repository.update(id, changes, tx));
      if (!before || !after) throw notFound(id);
      const changed = changedFields(audited(before), audited(after));
      // A PATCH that changes nothing is no act to record.
      if (Object.keys(changed).length)
        await this.audit.append(entry(actor, 'source.updated', id, changes.updatedAt, changed), tx);
      return after;
    });
    await this.followed(updated);
    return publicOf(updated);
  }

  async delete(id: string, actor: AuditActor): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const source = await this.repository.lockById(tx, id);
      if (!source || !(await this.repository.delete(id, tx))) throw notFound(id);
      const details = { name: source.name, kind: source.kind, url: source.url };
      await this.audit.append(entry(actor, 'source.deleted', id, this.clock.now(), details), tx);
    });
    await this.schedule.stop(id);
  }

  /** Asks for a poll now (it runs unless one is under way). */
  async pollNow(id: string): Promise<void> {
    const source = await this.stored(id);
    if (source.kind !== 'cap-feed')
      throw new UnprocessableEntityException(`Source "${id}" is pushed to, not polled.`);
    await this.schedule.pollNow(id);
  }

  /** The cap-push source `key` belongs to; a wrong or missing key is a 401, a key of another source a 403. */
  async authenticatePush(id: string, key: string | undefined): Promise<StoredSource> {
    if (!key) {
      throw new UnauthorizedException(
        'Pushing to a source needs its push key: Authorization: Bearer tpk_… or Tocsin-Push-Key: tpk_….',
      );
    }
    const owner = await this.repository.findByPushKeyHash(hashPushKey(key));
    if (!owner) throw new UnauthorizedException('The push key is not one of a source.');
    if (owner.id !== id) throw new ForbiddenException('The push key is another source’s.');
    if (!owner.enabled) throw new UnprocessableEntityException(`Source "${id}" is disabled.`);
    return owner;
  }

  /** Lays the poll schedule out again from the table (the worker at start: Redis may have lost it). */
  async scheduleAll(): Promise<void> {
    for (const source of await this.repository.findPolled()) {
      await this.followed(source).catch((error: unknown) =>
        this.logger.warn(`source ${source.id}: could not schedule its polls: ${describeError(error)}`),
      );
    }
  }

  private async followed(source: StoredSource): Promise<void> {
    if (source.kind === 'cap-feed' && source.enabled) {
      await this.schedule.every(source.id, source.pollSeconds ?? DEFAULT_POLL_SECONDS);
    } else {
      await this.schedule.stop(source.id);
    }
  }

  private async stored(id: string): Promise<StoredSource> {
    const source = await this.repository.findById(id);
    if (!source) throw notFound(id);
    return source;
  }

  /** Checks a whole source's settings; every problem is a 422 with nothing written. */
  private async checked(s: Required<NewSource>) {
    const invalid = (detail: string) => new UnprocessableEntityException(detail);
    const scheme = await this.schemes.find(s.scheme);
    if (!scheme) throw invalid(`There is no scheme "${s.scheme}".`);
    const codes = new Set(scheme.levels.map((l) => l.code));
    if (!s.levelRules.length) throw invalid('levelRules must have at least one rule.');
    for (const rule of s.levelRules) {
      if (!codes.has(rule.level)) {
        throw invalid(
          `Scheme "${scheme.id}" has no level "${rule.level}"; its levels are ${[...codes].join(', ')}.`,
        );
      }
      if ((rule.parameterName === undefined) !== (rule.parameterValue === undefined)) {
        throw invalid('A level rule takes parameterName and parameterValue together.');
      }
    }
    // Unknown area codes are a 400 from resolveAreaCodes; stored canonical.
    const entries = Object.entries(s.areaMap as Record<string, unknown>);
    if (entries.length > 10_000) throw invalid('areaMap has more than 10000 entries.');
    const areaMap = Object.fromEntries(
      entries.map(([key, code]) => {
        if (!/^[^=]+=.+$/.test(key)) throw invalid(`areaMap key "${key}" is not "valueName=value".`);
        if (typeof code !== 'string') throw invalid(`areaMap "${key}" must name an area code.`);
        return [key, resolveAreaCodes([code])[0]];
      }),
    );
    const defaultAreas = resolveAreaCodes(s.defaultAreas);
    let url: string | null = null;
    let pollSeconds: number | null = null;
    if (s.kind === 'cap-feed') {
      if (!s.url) throw invalid('A cap-feed source needs a url.');
      const check = checkWebhookUrl(s.url, { allowPrivate: this.config.webhookAllowPrivate });
      if (!check.ok) throw invalid(`url ${check.reason}`);
      url = s.url;
      pollSeconds = s.pollSeconds ?? DEFAULT_POLL_SECONDS;
      if (pollSeconds < this.config.sourceMinPollSeconds) {
        throw invalid(
          `pollSeconds must be at least SOURCE_MIN_POLL_SECONDS (${this.config.sourceMinPollSeconds}).`,
        );
      }
    } else if (s.url || s.pollSeconds) {
      throw invalid('A cap-push source has no url or pollSeconds: it is pushed to.');
    }
    return { ...s, scheme: scheme.id, areaMap, defaultAreas, url, pollSeconds };
  }
}

/** What the audit log tells of a source, in the API's field names: never its push key's hash. */
function audited(source: StoredSource) {
  return {
    name: source.name,
    kind: source.kind,
    url: source.url,
    pollSeconds: source.pollSeconds,
    scheme: source.schemeId,
    levelRules: source.levelRules,
    areaMap: source.areaMap,
    defaultAreas: source.defaultAreas,
    enabled: source.enabled,
  };
}

function entry(
  actor: AuditActor,
  action: NewAuditEntry['action'],
  id: string,
  at: Date,
  details: Record<string, unknown>,
): NewAuditEntry {
  return { at, actor, action, target: { type: 'source', id }, details };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`There is no source "${id}".`);
}

function publicOf(source: StoredSource): Source {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    url: source.url,
    pollSeconds: source.pollSeconds,
    schemeId: source.schemeId,
    levelRules: source.levelRules,
    areaMap: source.areaMap,
    defaultAreas: source.defaultAreas,
    enabled: source.enabled,
    lastFetchedAt: source.lastFetchedAt,
    lastStatus: source.lastStatus,
    lastError: source.lastError,
    counts: source.counts,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}
