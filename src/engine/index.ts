/**
 * The engine's public barrel: the only module outside src/engine may import values from
 * (the worker, the RESP server, tests that act as clients). Everything else is internal.
 */
export { createServer, type EngineServer } from './server.ts'
export type {
  ClientId,
  ClientOptions,
  CommandSlice,
  ConfigOverrides,
  EngineConfig,
  InspectOptions,
  InspectView,
  RedisServer,
  ServerOptions,
  SlicedCommand,
  TickTrace,
  Trace,
} from './api.ts'
export type * from './events.ts'
export type { Reply } from './reply.ts'
export type { DictTableView, DictView, KeyspaceView } from './inspect.ts'
export type {
  HashtableView,
  IntsetView,
  ListpackEntryView,
  ListpackView,
  QuicklistView,
  SkiplistView,
} from './inspectContainers.ts'
export type {
  StreamEntryView,
  StreamNodeView,
  StreamRaxNodeView,
  StreamView,
} from './inspectStream.ts'
export { utf8ToBytes, bytesToUtf8, type ArgInput } from './bytes.ts'
export { manualClock, type Clock, type ClockInput, type ManualClock } from './clock.ts'
export {
  runZiplistLesson,
  type ZiplistLessonEntry,
  type ZiplistLessonListpack,
  type ZiplistLessonLpEntry,
  type ZiplistLessonOp,
  type ZiplistLessonRequest,
  type ZiplistLessonResult,
  type ZiplistLessonState,
  type ZiplistLessonZiplist,
} from './ziplistLesson.ts'
