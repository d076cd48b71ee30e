import { Injectable } from '@nestjs/common';
import { AppConfig, describeError } from '@tocsin/config';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import { MailError, MailTransport } from '@tocsin/mail';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { EmailSubscriptionsService } from '@tocsin/subscribers';
import { addressedAlert, AlertContent, alertContent } from './alert-email';
import { AttemptResult, Channel } from './channel';
import type { EmailDeliveryToSend } from './deliveries.repository';
import { oncePerEvent } from './per-event';
import { changesFor } from './subscriber-changes';

/**
 * Alert emails with one-click unsubscribe; the Message-ID is the delivery's, the same on every retry, and the
 * thread is the subscription's for the area and scheme (from the row itself: no read per email).
 */
@Injectable()
export class EmailChannel implements Channel<'email'> {
  /** The scheme of each event being sent, read once per batch. */
  private readonly schemeOf = oncePerEvent((payload) =>
    this.schemesService.get(payload.data.declaration.scheme),
  );
  /**
   * The shared part of each event's alert by how it is read (language, zone, the changes a filter kept),
   * rendered once per batch: a batch of one language and zone renders one alert, not one per recipient.
   */
  private readonly contents = new WeakMap<LevelChangedEvent, Map<string, AlertContent>>();
  private readonly messageIdHost: string;
  /** The labels' language for a subscriber whose language has no catalog. */
  private readonly fallbackLanguage: UiLanguage;

  constructor(
    private readonly mail: MailTransport,
    private readonly subscriptions: EmailSubscriptionsService,
    private readonly schemesService: SchemesService,
    private readonly config: AppConfig,
  ) {
    this.messageIdHost = new URL(config.publicUrl).hostname;
    this.fallbackLanguage = uiLanguageOf(config.defaultLanguage, 'en');
  }

  accepts(row: EmailDeliveryToSend): boolean {
    return row.subscription.status === 'confirmed';
  }

  async send(row: EmailDeliveryToSend): Promise<AttemptResult> {
    const started = performance.now();
    const { payload, subscription } = row;
    try {
      const scheme = await this.schemeOf(payload);
      const content = this.contentFor(row, scheme, changesFor(subscription.filter, payload));
      const links = await this.subscriptions.linksFor(subscription);
      const email = addressedAlert(content, {
        deliveryId: row.id,
        subscriptionId: subscription.id,
        manageUrl: links.manageUrl,
        unsubscribeUrl: links.unsubscribeUrl,
        messageIdHost: this.messageIdHost,
      });
      await this.mail.send({ to: subscription.address, ...email });
      return {
        ok: true,
        statusCode: 250,
        retryAfterSeconds: null,
        error: null,
        latencyMs: elapsed(started),
        responseExcerpt: null,
      };
    } catch (error) {
      const mailError = error instanceof MailError ? error : null;
      return {
        ok: false,
        statusCode: mailError?.responseCode ?? null,
        retryAfterSeconds: null,
        permanent: mailError ? !mailError.transient : false,
        error: describeError(error),
        latencyMs: elapsed(started),
        responseExcerpt: null,
      };
    }
  }

  private contentFor(
    { payload, subscription }: EmailDeliveryToSend,
    scheme: StoredScheme,
    changes: LevelChangedEvent['data']['changes'],
  ): AlertContent {
    let byReader = this.contents.get(payload);
    if (!byReader) {
      byReader = new Map();
      this.contents.set(payload, byReader);
    }
    // Filters keep whole changes of the one payload, so their positions say which were kept.
    const kept =
      changes.length === payload.data.changes.length
        ? '*'
        : changes.map((c) => payload.data.changes.indexOf(c)).join(',');
    const key = `${subscription.language}\u0000${subscription.timeZone ?? ''}\u0000${kept}`;
    let content = byReader.get(key);
    if (!content) {
      content = alertContent({
        event: payload,
        changes,
        scheme,
        language: subscription.language,
        fallbackLanguage: this.fallbackLanguage,
        timeZone: subscription.timeZone,
        publicUrl: this.config.publicUrl,
      });
      byReader.set(key, content);
    }
    return content;
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
