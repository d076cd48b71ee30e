import { Injectable } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { WebhookSecrets, WebhookSender } from '@tocsin/webhooks';
import { AttemptResult, attemptThatThrew, Channel } from './channel';
import { ChatAlert, chatAlertOf, chatBody, isChatFormat } from './chat-bodies';
import type { WebhookDeliveryToSend } from './deliveries.repository';

/**
 * Signed webhooks (Standard Webhooks): the `webhook-id` is the delivery id, the same on every retry. A
 * `standard` endpoint gets the event as stored; a chat endpoint (slack, teams, discord, telegram) gets
 * the body its service takes, still signed (the headers are harmless to it).
 */
@Injectable()
export class WebhookChannel implements Channel<'webhook'> {
  /**
   * Each event's chat bodies by format, rendered once per batch: the rows of one batch share one payload
   * object, so keyed by it they are forgotten with the batch. Telegram's differ by chat, so only its
   * words are kept.
   */
  private readonly chatBodies = new WeakMap<LevelChangedEvent, Map<string, string>>();
  private readonly chatAlerts = new WeakMap<LevelChangedEvent, ChatAlert>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    private readonly config: AppConfig,
  ) {}

  accepts(row: WebhookDeliveryToSend): boolean {
    return row.endpoint.enabled;
  }

  // Not async: the sender's promise is handed on as it is, one promise per delivery on the batch's hot path.
  send(row: WebhookDeliveryToSend, at: Date): Promise<AttemptResult> {
    let secrets: string[];
    let body: string;
    try {
      secrets = this.secrets.signingSecretsOf(row.endpoint, at);
      body = row.endpoint.format === 'standard' ? row.payloadJson : this.chatBodyOf(row);
    } catch (error) {
      // A secret that does not open (sealed with another key, altered), or a format this version does not
      // know (set by hand), fails this delivery, not its batch.
      return Promise.resolve(attemptThatThrew(error, 0));
    }
    // The sender never rejects: a refused address, a timeout or a 500 is an outcome.
    return this.sender.send({ url: row.endpoint.url, id: row.id, timestamp: at, body, secrets });
  }

  private chatBodyOf({ payload, endpoint }: WebhookDeliveryToSend): string {
    const { format, telegramChatId } = endpoint;
    if (!isChatFormat(format)) throw new Error(`the endpoint's format "${format}" is not one Tocsin knows`);
    let alert = this.chatAlerts.get(payload);
    if (!alert) {
      alert = chatAlertOf(payload, {
        // The country's page, as the email and the SMS link to: a person's page, not the JSON API.
        declarationUrl: `${this.config.publicUrl}/country/${(payload.data.changes[0]?.area.code ?? '').split('-')[0]}`,
      });
      this.chatAlerts.set(payload, alert);
    }
    if (format === 'telegram') return chatBody(format, alert, telegramChatId);
    let bodies = this.chatBodies.get(payload);
    if (!bodies) {
      bodies = new Map();
      this.chatBodies.set(payload, bodies);
    }
    let body = bodies.get(format);
    if (body === undefined) {
      body = chatBody(format, alert);
      bodies.set(format, body);
    }
    return body;
  }
}
