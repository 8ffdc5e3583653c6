/**
 * Byte strings for the UI layers (console, panels): typed text is encoded to UTF-8 bytes
 * before it goes to the engine, and byte strings are decoded for display. Re-exported from
 * the protocol so that layers above state/ never import engine values.
 */
export { bytesToUtf8, isByteString, utf8ToBytes } from '../worker/protocol.ts'
