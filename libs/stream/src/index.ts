export { CATCH_UP_LIMIT, EventStream, HEARTBEAT_MS, StreamRequest, StreamService } from './stream.service';
export { EVENT_STREAM_MEDIA_TYPE, parseLastEventId, RECONNECT_MS } from './sse';
export { eventConcernsArea } from './event-area';
export { StreamModule } from './stream.module';
