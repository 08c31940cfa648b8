import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers as an OpenTelemetry carrier. Incoming values are Buffers (kafkajs decodes none),
 * possibly repeated; W3C Trace Context allows one traceparent, so the first is taken.
 */
export const headersGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => {
    const value = carrier?.[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

export const headersSetter: TextMapSetter<IHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
