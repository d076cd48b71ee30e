export { ApprovalRule, needsApproval } from './approval';
export { APPROVAL_ASKS, ApprovalAsk } from './approval-notice';
export { ApprovalNoticeOutcome, ApprovalNotices } from './approval-notices';
export {
  Actor,
  APPROVAL_STATES,
  ApprovalState,
  CancelRequest,
  Declaration,
  DECLARATION_MODES,
  DeclarationMode,
  DeclarationOrigin,
  DECLARATION_STATUSES,
  DeclarationStatus,
  DeclarationText,
  DeclarationTranslations,
} from './declaration';
export { declarationLanguages, LocalisedText, textIn } from './declaration-text';
export { DeclarationsModule } from './declarations.module';
export { DueEventOutcome, DueEventsService } from './due-events.service';
export { EventHandOff } from './event-hand-off';
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
export { ChangedLevel, EVENT_TYPES, EventType, eventTypeOf, LevelChangedEvent } from './level-changed-event';
export { LevelList } from './level-list';
export { AreaLevels, LevelsService } from './levels.service';
export {
  AnnouncedOutboxEvent,
  DueOutboxEvent,
  EventChange,
  eventChangeRowsSql,
  NewOutboxEvent,
  OutboxRepository,
} from './outbox.repository';
