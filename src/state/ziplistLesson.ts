/**
 * The legacy ziplist lesson's slice of the store: whether the lesson is open, the result of
 * its last operation (engine/ziplistLesson.ts, run in the worker), which of that operation's
 * steps is shown, and whether they play.
 *
 * The lesson is not part of the session: Redis 7.0 commands never make a ziplist, so its
 * operations are not commands, never enter the log or the timeline, and have their own step
 * controls. An operation starts from the bytes the previous one left (prevlen fields never
 * shrink, so the bytes, not the elements, are the state). Requesting one sets `pending`;
 * connectZiplistLesson (called by the bridge) sends it to the worker and dispatches
 * ziplistLessonRan or ziplistLessonFailed, which are for it only.
 */
import type { StateCreator } from 'zustand/vanilla'
import type { ZiplistLessonOp, ZiplistLessonResult } from '../engine/ziplistLesson.ts'
import type { EngineClient } from '../worker/client.ts'
import type { AppState, AppStore } from './store.ts'

// --- Types ---

export interface ZiplistLessonUi {
  /** The last operation's result; null until the starting chain arrives. */
  readonly result: ZiplistLessonResult | null
  /** Steps of `result` shown: 0 = before the operation, ziplistLessonSteps(result) = done. */
  readonly step: number
  readonly playing: boolean
  /** The operation sent to the worker and not answered yet. */
  readonly pending: ZiplistLessonOp | null
  /** The worker's message for the last operation it refused. */
  readonly error: string | null
}

export interface ZiplistLessonSlice {
  /** null: the lesson is closed. */
  zlLesson: ZiplistLessonUi | null
  ziplistLessonOpened(): void
  ziplistLessonClosed(): void
  /** Insert or delete on the current bytes; `chain` starts over. */
  ziplistLessonOpRequested(op: ZiplistLessonOp): void
  ziplistLessonStepSelected(step: number): void
  ziplistLessonStepForwardRequested(): void
  ziplistLessonStepBackRequested(): void
  ziplistLessonPlayToggled(): void
  ziplistLessonPlayTicked(): void

  // Dispatched by connectZiplistLesson only.
  ziplistLessonRan(result: ZiplistLessonResult): void
  ziplistLessonFailed(message: string): void
}

type Mutators = [['zustand/devtools', never], ['zustand/subscribeWithSelector', never]]

// --- Steps ---

/**
 * How many steps an operation has: none for the starting chain; for an insert or delete,
 * the operation itself, one per entry whose prevlen grew, and the summary.
 */
export function ziplistLessonSteps(result: ZiplistLessonResult | null): number {
  if (result === null || result.op.kind === 'chain') return 0
  return result.cascade.length + 2
}

function clampStep(ui: ZiplistLessonUi, step: number): number {
  return Math.max(0, Math.min(ziplistLessonSteps(ui.result), step))
}

// --- Slice ---

const CLOSED_STATE: ZiplistLessonUi = {
  result: null,
  step: 0,
  playing: false,
  pending: null,
  error: null,
}

export const createZiplistLessonSlice: StateCreator<AppState, Mutators, [], ZiplistLessonSlice> = (
  set,
) => {
  /** Updates the open lesson (a closed one stays closed). */
  const update = (f: (ui: ZiplistLessonUi) => Partial<ZiplistLessonUi>, name: string): void => {
    set(
      (s) => (s.zlLesson === null ? {} : { zlLesson: { ...s.zlLesson, ...f(s.zlLesson) } }),
      false,
      name,
    )
  }
  return {
    zlLesson: null,
    ziplistLessonOpened: () => {
      set(
        (s) => ({
          zlLesson:
            s.zlLesson ??
            ({ ...CLOSED_STATE, pending: { kind: 'chain' } } satisfies ZiplistLessonUi),
        }),
        false,
        'lesson/ziplistLessonOpened',
      )
    },
    ziplistLessonClosed: () => {
      set({ zlLesson: null }, false, 'lesson/ziplistLessonClosed')
    },
    ziplistLessonOpRequested: (op) => {
      update(
        (ui) => (ui.pending !== null ? {} : { pending: op, playing: false, error: null }),
        'lesson/ziplistLessonOpRequested',
      )
    },
    ziplistLessonStepSelected: (step) => {
      update(
        (ui) => ({ step: clampStep(ui, step), playing: false }),
        'lesson/ziplistLessonStepSelected',
      )
    },
    ziplistLessonStepForwardRequested: () => {
      update(
        (ui) => ({ step: clampStep(ui, ui.step + 1), playing: false }),
        'lesson/ziplistLessonStepForwardRequested',
      )
    },
    ziplistLessonStepBackRequested: () => {
      update(
        (ui) => ({ step: clampStep(ui, ui.step - 1), playing: false }),
        'lesson/ziplistLessonStepBackRequested',
      )
    },
    ziplistLessonPlayToggled: () => {
      update((ui) => {
        if (ui.playing) return { playing: false }
        const last = ziplistLessonSteps(ui.result)
        // Play from the start once the last step is shown.
        return last === 0 ? {} : { playing: true, step: ui.step >= last ? 0 : ui.step }
      }, 'lesson/ziplistLessonPlayToggled')
    },
    ziplistLessonPlayTicked: () => {
      update((ui) => {
        if (!ui.playing) return {}
        const step = clampStep(ui, ui.step + 1)
        return { step, playing: step < ziplistLessonSteps(ui.result) }
      }, 'lesson/ziplistLessonPlayTicked')
    },
    ziplistLessonRan: (result) => {
      // A new operation plays from its first step; the starting chain has none.
      update(
        () => ({
          result,
          step: 0,
          pending: null,
          error: null,
          playing: result.op.kind !== 'chain',
        }),
        'lesson/ziplistLessonRan',
      )
    },
    ziplistLessonFailed: (message) => {
      update(() => ({ pending: null, error: message }), 'lesson/ziplistLessonFailed')
    },
  }
}

// --- Bridge ---

/**
 * Sends each pending lesson operation to the worker with the bytes of the last result, and
 * dispatches the answer, through the bridge's queue (`enqueue`, so bridge.idle() waits for
 * it too). Returns the unsubscribe function.
 */
export function connectZiplistLesson(
  store: AppStore,
  client: Pick<EngineClient, 'ziplistLesson'>,
  enqueue: (work: () => Promise<void>) => Promise<void>,
): () => void {
  return store.subscribe(
    (s) => s.zlLesson?.pending ?? null,
    (op) => {
      if (op === null) return
      const last = store.getState().zlLesson?.result ?? null
      const request =
        op.kind === 'chain' || last === null
          ? { op: { kind: 'chain' } as const, ziplist: null, listpack: null }
          : { op, ziplist: last.after.ziplist.bytes, listpack: last.after.listpack.bytes }
      void enqueue(() =>
        client.ziplistLesson(request).then(
          (result) => {
            store.getState().ziplistLessonRan(result)
          },
          (err: unknown) => {
            store.getState().ziplistLessonFailed(err instanceof Error ? err.message : String(err))
          },
        ),
      )
    },
  )
}
