import { Injectable } from '@nestjs/common';
import { AppConfig, describeError } from '@tocsin/config';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { MailError, MailTransport } from '@tocsin/mail';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { EmailSubscriptionsService, filterMatches } from '@tocsin/subscribers';
import { alertEmail } from './alert-email';
import { AttemptResult, Channel } from './channel';
import type { EmailDeliveryToSend } from './deliveries.repository';

/** Alert emails with one-click unsubscribe; the Message-ID is the delivery's, the same on every retry. */
@Injectable()
export class EmailChannel implements Channel<'email'> {
  /**
   * The scheme of each event being sent. The rows of one batch share one payload object, so keyed by it
   * the scheme is read once per batch, and forgotten with the batch.
   */
  private readonly schemes = new WeakMap<LevelChangedEvent, Promise<StoredScheme>>();
  private readonly messageIdHost: string;

  constructor(
    private readonly mail: MailTransport,
    private readonly subscriptions: EmailSubscriptionsService,
    private readonly schemesService: SchemesService,
    private readonly config: AppConfig,
  ) {
    this.messageIdHost = new URL(config.publicUrl).hostname;
  }

  accepts(row: EmailDeliveryToSend): boolean {
    return row.subscription.status === 'confirmed';
  }

  async send(row: EmailDeliveryToSend): Promise<AttemptResult> {
    const started = performance.now();
    const { payload, subscription } = row;
    try {
      const changes = payload.data.changes.filter((change) =>
        filterMatches(subscription.filter, {
          areaCode: change.area.code,
          schemeId: change.scheme,
          previousRank: change.previous?.rank ?? null,
          currentRank: change.current?.rank ?? null,
          direction: change.direction,
        }),
      );
      const scheme = await this.schemeOf(payload);
      const links = await this.subscriptions.linksFor(subscription);
      const email = alertEmail({
        event: payload,
        changes: changes.length ? changes : payload.data.changes,
        schemeEvent: scheme.event,
        deliveryId: row.id,
        declarationUrl: `${this.config.publicUrl}/v1/declarations/${payload.data.declaration.id}`,
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

  private schemeOf(payload: LevelChangedEvent): Promise<StoredScheme> {
    let scheme = this.schemes.get(payload);
    if (!scheme) {
      scheme = this.schemesService.get(payload.data.declaration.scheme);
      this.schemes.set(payload, scheme);
    }
    return scheme;
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
