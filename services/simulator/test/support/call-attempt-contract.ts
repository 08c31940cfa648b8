import avro from 'avsc';
import { frame, readSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';

export const callAttemptType = avro.Type.forSchema(readSchema('call-attempt.avsc') as avro.Schema);

/** A registered schema without a registry: unit tests frame with a made-up id. */
export function localSchema(id = 7): RegisteredType<CallAttempt> {
  return {
    subject: 'test-value',
    id,
    type: callAttemptType,
    encode: (value) => frame(id, callAttemptType.toBuffer(value)),
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The parts of the contract beyond the Avro schema that the processor checks (design.md). */
export function contractViolations(ev: CallAttempt): string[] {
  const out: string[] = [];
  if (!callAttemptType.isValid(ev)) out.push('not valid for the Avro schema');
  if (ev.sipCode < 100 || ev.sipCode > 699) out.push(`sipCode ${ev.sipCode}`);
  if (!E164.test(ev.phoneNumber)) out.push(`phoneNumber ${ev.phoneNumber}`);
  if (ev.callerId !== null && !E164.test(ev.callerId)) out.push(`callerId ${ev.callerId}`);
  if (ev.endedAt < ev.startedAt) out.push('endedAt < startedAt');
  if (ev.attemptNumber < 1) out.push(`attemptNumber ${ev.attemptNumber}`);
  return out;
}

/** Whether a framed record is one the processor must dead-letter, judged from its bytes alone. */
export function isPoison(value: Buffer, schemaId: number): boolean {
  if (value.length < 5 || value[0] !== 0 || value.readInt32BE(1) !== schemaId) return true;
  const { value: event, offset } = callAttemptType.decode(value, 5);
  return offset !== value.length || contractViolations(event as CallAttempt).length > 0;
}
