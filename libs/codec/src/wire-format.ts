import { SipflowError } from '@sipflow/errors';

/** Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro body. */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** The schema id of a framed record, or a SIPFLOW_DECODE_MAGIC_BYTE error. */
export function readSchemaId(buf: Buffer | null): number {
  if (!buf || buf.length < HEADER_SIZE) {
    throw new SipflowError(
      'SIPFLOW_DECODE_MAGIC_BYTE',
      `record of ${buf?.length ?? 0} bytes is too short for the Confluent wire format (5-byte header)`,
    );
  }
  if (buf[0] !== MAGIC_BYTE) {
    throw new SipflowError(
      'SIPFLOW_DECODE_MAGIC_BYTE',
      `first byte is ${buf[0]}, not the Confluent magic byte 0`,
    );
  }
  return buf.readInt32BE(1);
}

/** Frames an Avro body: one allocation, header then body. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  body.copy(out, HEADER_SIZE);
  return out;
}
