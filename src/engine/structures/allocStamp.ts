/**
 * One counter for every change that may move used_memory (keyspace/memory.ts): an entry or
 * a bucket array added to or freed from any dict, a value counted, freed or handed out for
 * writing, a latency histogram allocated. After each command, call() records the peak of
 * used memory: while the counter has not moved, the last keyspace figure still holds, and
 * that check is one comparison.
 */
export const allocStamp = { n: 0 }
