import { SipflowError } from '@sipflow/errors';
import { CompactTable } from './compact-table';
import { putDecoded, type ValueCodec } from './value-codec';

/**
 * A keyed state's changelog record value, version 2: a 4-byte header (the version, then three
 * zero bytes) and the value's words, little-endian: the table's own layout, so a restore copies
 * words instead of parsing. Version 1 was JSON (it starts with `{`); a compacted changelog keeps a
 * number's version-1 record until the number changes again, so a restore reads both.
 */
export const CHANGELOG_VERSION = 2;
const HEADER_BYTES = 4;
const JSON_START = 0x7b; // '{'

export function encodeValue<V>(codec: ValueCodec<V>, value: V): Buffer {
  const words = new Uint32Array(codec.words(value));
  codec.write(value, words, 0);
  return encodeWords(words, 0, words.length);
}

export function encodeWords(words: Uint32Array, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + length * 4);
  buffer.writeUInt32LE(CHANGELOG_VERSION, 0);
  for (let i = 0; i < length; i++) buffer.writeUInt32LE(words[offset + i]!, HEADER_BYTES + i * 4);
  return buffer;
}

export function corruptRecord(where: string, why: string): SipflowError {
  return new SipflowError('SIPFLOW_STATE_CORRUPT', `state changelog record ${where} is unreadable: ${why}`);
}

/**
 * Writes a changelog value into `table` under `key`: version 2 by copying its words, version 1
 * through `legacy` (the state's JSON decoder). Throws SIPFLOW_STATE_CORRUPT naming `where`.
 */
export function putValue<V>(
  table: CompactTable,
  key: number,
  value: Buffer,
  codec: ValueCodec<V>,
  legacy: ((value: Buffer, where: string) => V) | undefined,
  where: string,
): void {
  if (value.length > 0 && value[0] === JSON_START) {
    if (legacy === undefined) throw corruptRecord(where, 'a JSON value where only version 2 is known');
    putDecoded(table, key, codec, legacy(value, where));
    return;
  }
  if (value.length < HEADER_BYTES || value.readUInt32LE(0) !== CHANGELOG_VERSION)
    throw corruptRecord(
      where,
      `unknown version ${value.length < HEADER_BYTES ? 'header' : value.readUInt32LE(0)}`,
    );
  const bytes = value.length - HEADER_BYTES;
  if (bytes % 4 !== 0) throw corruptRecord(where, `${bytes} bytes is not a whole number of words`);
  const length = bytes / 4;
  const offset = table.put(key, length);
  const words = table.words;
  for (let i = 0; i < length; i++) words[offset + i] = value.readUInt32LE(HEADER_BYTES + i * 4);
  const why = codec.check(words, offset, length);
  if (why !== null) {
    table.delete(key);
    throw corruptRecord(where, why);
  }
}
