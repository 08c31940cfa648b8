import { describe, expect, it } from 'vitest';
import { offsetFetchV7, txnOffsetCommitV3 } from '../src/kafkajs-fenced-requests';

const hex = (s: string) => Buffer.from(s.replaceAll(' ', ''), 'hex');
const int64 = (n: number) =>
  Buffer.alloc(8).fill(0).toString('hex').slice(0, 14) + n.toString(16).padStart(2, '0');

// Byte layouts written out from Kafka's message definitions (TxnOffsetCommitRequest.json v3,
// OffsetFetchRequest.json v7 and their responses): compact strings and arrays carry length + 1 as
// an unsigned varint, and every structure ends with its tagged fields (0: none).
describe('TxnOffsetCommit v3 (KIP-447)', () => {
  it('carries the generation, member id and group instance id, after header v2 tagged fields', async () => {
    const { request } = txnOffsetCommitV3({
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 5,
      producerEpoch: 1,
      generationId: 7,
      memberId: 'm',
      groupInstanceId: null,
      topics: [{ topic: 't', partitions: [{ partition: 2, offset: '10' }] }],
    });
    expect([request.apiKey, request.apiVersion]).toEqual([28, 3]);
    const body = (await request.encode()).buffer;
    expect(body.toString('hex')).toBe(
      [
        '00', // request header v2: no tagged fields
        '03 7478', // transactional_id "tx"
        '02 67', // group_id "g"
        int64(5), // producer_id
        '0001', // producer_epoch
        '00000007', // generation_id
        '02 6d', // member_id "m"
        '00', // group_instance_id null
        '02', // 1 topic
        '02 74', // "t"
        '02', // 1 partition
        '00000002', // partition_index
        int64(10), // committed_offset
        'ffffffff', // committed_leader_epoch -1
        '00', // committed_metadata null
        '00', // partition tagged fields
        '00', // topic tagged fields
        '00', // request tagged fields
      ]
        .join('')
        .replaceAll(' ', ''),
    );
  });

  it('reads the response after header v1 tagged fields, and throws the partition error', async () => {
    const { response } = txnOffsetCommitV3({
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 5,
      producerEpoch: 1,
      generationId: 7,
      memberId: 'm',
      groupInstanceId: null,
      topics: [],
    });
    // header tags, throttle 0, 1 topic "t", 1 partition 2 with error 22 (ILLEGAL_GENERATION)
    const refused = hex('00 00000000 02 0274 02 00000002 0016 00 00 00');
    const decoded = await response.decode(refused);
    expect(decoded).toEqual({
      throttleTime: 0,
      topics: [{ topic: 't', partitions: [{ partition: 2, errorCode: 22 }] }],
    });
    await expect(response.parse(decoded)).rejects.toMatchObject({ type: 'ILLEGAL_GENERATION' });
    const ok = await response.decode(hex('00 00000000 02 0274 02 00000002 0000 00 00 00'));
    await expect(response.parse(ok)).resolves.toBe(ok);
  });
});

describe('OffsetFetch v7 (require_stable)', () => {
  it('asks for stable offsets', async () => {
    const { request } = offsetFetchV7({
      groupId: 'g',
      topics: [{ topic: 't', partitions: [{ partition: 1 }] }],
      requireStable: true,
    });
    expect([request.apiKey, request.apiVersion]).toEqual([9, 7]);
    expect((await request.encode()).buffer.toString('hex')).toBe(
      '00' + '0267' + '02' + '0274' + '02' + '00000001' + '00' + '01' + '00',
    );
  });

  it("gives kafkajs' consumer the shape of its own OffsetFetch responses, and UNSTABLE_OFFSET_COMMIT as an error", async () => {
    const { response } = offsetFetchV7({ groupId: 'g', topics: [], requireStable: true });
    // header tags, throttle 5, 1 topic "t", partition 1 at offset 42, leader epoch -1, metadata "",
    // no error; group error 0
    const raw = hex(`00 00000005 02 0274 02 00000001 ${int64(42)} ffffffff 01 0000 00 00 0000 00`);
    const decoded = await response.decode(raw);
    expect(decoded).toEqual({
      throttleTime: 0,
      clientSideThrottleTime: 5,
      errorCode: 0,
      responses: [{ topic: 't', partitions: [{ partition: 1, offset: '42', metadata: '', errorCode: 0 }] }],
    });
    const unstable = await response.decode(
      hex(`00 00000000 02 0274 02 00000001 ${int64(0)} ffffffff 00 0058 00 00 0000 00`),
    );
    await expect(response.parse(unstable)).rejects.toMatchObject({
      type: 'UNSTABLE_OFFSET_COMMIT',
      retriable: true,
    });
  });
});
