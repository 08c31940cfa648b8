import { describe, expect, it } from 'vitest';
import { kafkaClusterId } from '../src/kafka-broker';

describe('kafkaClusterId', () => {
  // regression: an id starting with '-' made `kafka-storage format -t <id>` fail (CI, 1 run in ~64)
  it('is 22 URL-safe base64 characters and never starts with "-"', () => {
    for (let i = 0; i < 5000; i++) {
      const id = kafkaClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
