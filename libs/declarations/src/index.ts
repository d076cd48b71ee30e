export {
  Actor,
  Declaration,
  DeclarationOrigin,
  DECLARATION_STATUSES,
  DeclarationStatus,
  DeclarationText,
  DeclarationTranslations,
} from './declaration';
export { declarationLanguages, LocalisedText, textIn } from './declaration-text';
export { DeclarationsModule } from './declarations.module';
export { DueEventOutcome, DueEventsService } from './due-events.service';
export {
  DeclarationPreview,
  DeclarationQuery,
  DeclarationsService,
  PreviewedChange,
  PublishRequest,
} from './declarations.service';
export {
  ChangeCause,
  Direction,
  directionOf,
  EffectiveLevel,
  LevelChange,
  LevelRef,
} from './effective-level';
export { ChangedLevel, LevelChangedEvent } from './level-changed-event';
export { LevelList } from './level-list';
export { AreaLevels, LevelsService } from './levels.service';
export {
  AnnouncedOutboxEvent,
  DueOutboxEvent,
  EventChange,
  NewOutboxEvent,
  OutboxRepository,
} from './outbox.repository';
