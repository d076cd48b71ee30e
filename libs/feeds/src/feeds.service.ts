import { Injectable } from '@nestjs/common';
import { areaOf, requireArea } from '@tocsin/areas';
import { AppConfig } from '@tocsin/config';
import { Declaration, DeclarationsService } from '@tocsin/declarations';
import { SchemesService } from '@tocsin/schemes';
import { lastChangeOf, renderAtomFeed } from './atom';
import { capSender, renderCap } from './cap';
import { strongEtag } from './etag';
import { declarationsFeedUrl, declarationUrl } from './links';

/** How many declarations a feed holds, newest first: enough for any reader polling at a sane rate. */
export const FEED_SIZE = 100;

/** A rendered feed and what a conditional GET compares. */
export interface RenderedFeed {
  xml: string;
  /** A strong validator: a hash of the bytes, so it changes exactly when the document does. */
  etag: string;
  /** The newest publication or cancellation in it; null for an empty feed. */
  lastModified: Date | null;
}

@Injectable()
export class FeedsService {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly schemes: SchemesService,
    private readonly config: AppConfig,
  ) {}

  /** The CAP 1.2 message of a declaration: its Alert or Update, or once cancelled, the Cancel. */
  async capMessage(id: string): Promise<string> {
    const declaration = await this.declarations.get(id);
    const [scheme, supersedes] = await Promise.all([
      this.schemes.get(declaration.schemeId),
      this.declarations.superseded(declaration),
    ]);
    const level = scheme.levels.find((l) => l.code === declaration.level.code);
    return renderCap(declaration, {
      sender: capSender(this.config.publicUrl),
      web: declarationUrl(this.config.publicUrl, declaration.id),
      severity: level?.capSeverity ?? 'Unknown',
      areas: declaration.areaCodes.map(areaOf),
      supersedes,
      // Scheme and declaration texts exist in English only, for now.
      texts: [
        {
          language: 'en-US',
          event: scheme.event,
          headline: declaration.headline,
          description: declaration.summary,
          instruction: declaration.measures.join('\n'),
        },
      ],
    });
  }

  /** The Atom feed of the newest declarations, of every area or of one (a country with its subdivisions). */
  async declarationsFeed(areaInput?: string): Promise<RenderedFeed> {
    const area = areaInput === undefined ? undefined : requireArea(areaInput);
    const declarations: Declaration[] = await this.declarations.list({
      concerning: area?.code,
      limit: FEED_SIZE,
    });
    const selfUrl = declarationsFeedUrl(this.config.publicUrl, area?.code);
    const xml = renderAtomFeed(
      {
        publicUrl: this.config.publicUrl,
        selfUrl,
        title: area
          ? `Tocsin: threat-level declarations for ${area.name} (${area.code})`
          : 'Tocsin: threat-level declarations',
      },
      declarations,
    );
    return {
      xml,
      etag: strongEtag(xml),
      lastModified: lastChangeOf(declarations),
    };
  }
}
