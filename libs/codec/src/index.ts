export { AvroDecoder, type DecoderEvents } from './avro-decoder';
export { registerSchema, lookupSchema, type RegisteredType } from './avro-encoder';
export { readSchemaId, frame, MAGIC_BYTE, HEADER_SIZE } from './wire-format';
export { readSchema, readSchemaFiles, schemasDir } from './schema-files';
export * from './generated/schema-types';
