import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SYSTEM_ACTOR } from '@tocsin/audit';
import { AppConfig, Clock, loadConfig } from '@tocsin/config';
import { DATABASE } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { MetricsModule } from '@tocsin/metrics';
import { QueueModule } from '@tocsin/queue';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { IngestModule } from './ingest.module';
import { IngestService } from './ingest.service';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';
import { readFixture } from './testing/fixtures';

const KZ_RULES = [
  { level: 'yellow', parameterName: 'threatLevel', parameterValue: 'yellow' },
  { level: 'orange', parameterName: 'threatLevel', parameterValue: 'orange' },
];
/** The fixture's validity moved into the present. */
const current = (name: string) =>
  readFixture(name)
    .toString('utf8')
    .replace(/<expires>[^<]*<\/expires>/g, '<expires>2099-01-01T00:00:00+05:00</expires>');

describe.each(DATABASE_DRIVERS)('IngestService on %s', (driver) => {
  let database: TestDatabase;
  let app: TestingModule;
  let ingest: IngestService;
  let sources: SourcesService;
  let repository: SourcesRepository;
  let server: Server;
  let requests = 0;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    const config = loadConfig({
      QUEUE_PREFIX: `tocsin-ingest-int-${process.pid}-${driver}`,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SOURCE_MIN_POLL_SECONDS: '1',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    @Global()
    @Module({
      providers: [
        { provide: DATABASE, useValue: database.db },
        Clock,
        { provide: AppConfig, useValue: config },
      ],
      exports: [DATABASE, Clock, AppConfig],
    })
    class Infrastructure {}
    app = await Test.createTestingModule({
      imports: [Infrastructure, QueueModule, MetricsModule, IngestModule],
    }).compile();
    await app.init();
    ingest = app.get(IngestService);
    sources = app.get(SourcesService);
    repository = app.get(SourcesRepository);
    // A feed that takes a while to answer, so two polls overlap.
    server = createServer((_req, res) => {
      requests += 1;
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(current('kz-alert.cap.xml')),
        300,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
    await database?.close();
  });

  it('imports one document pushed twice at once exactly once; the other is a duplicate', async () => {
    const { source } = await sources.create(
      {
        name: 'push',
        kind: 'cap-push',
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      },
      SYSTEM_ACTOR,
    );
    const stored = (await repository.findById(source.id))!;
    const document = current('kz-update.cap.xml').replace(/KZ-KNB-2026-0143/g, `KZ-RACE-${driver}`);
    const outcomes = await Promise.all([
      ingest.importDocument(stored, document),
      ingest.importDocument(stored, document),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['duplicate', 'imported']);
    expect((await repository.findById(source.id))?.counts).toEqual({
      seen: 2,
      imported: 1,
      duplicates: 1,
      rejected: 0,
    });
  });

  it('never polls one source twice at once: the second poll finds it held and skips', async () => {
    const { source } = await sources.create(
      {
        name: 'feed',
        kind: 'cap-feed',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/one.cap.xml`,
        pollSeconds: 3600,
        scheme: 'kz-terror',
        levelRules: KZ_RULES,
      },
      SYSTEM_ACTOR,
    );
    await sources.update(source.id, { enabled: false }, SYSTEM_ACTOR); // no scheduled poll meanwhile
    await repository.update(source.id, { enabled: true, updatedAt: new Date() });
    const before = requests;
    const [first, second] = await Promise.all([ingest.poll(source.id), ingest.poll(source.id)]);
    expect([first.kind, second.kind].sort()).toEqual(['fetched', 'skipped']);
    expect(requests - before).toBe(1);
    // The lease ends with the poll: the next one runs.
    expect((await ingest.poll(source.id)).kind).toBe('fetched');
  });
});
