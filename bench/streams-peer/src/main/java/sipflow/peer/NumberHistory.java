package sipflow.peer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The recent calls to one number (libs/rules/src/history/number-history.ts), oldest first by
 * `startedAt` then event key: two longs a call, its `startedAt` and its event key with the
 * unanswered flag (NO_ANSWER or BUSY) in bit 47. Immutable: recording a call returns a new history.
 *
 * Its store value is sipflow's changelog value, version 2 (libs/state/src/changelog-value.ts and
 * history-words.ts): a 4-byte little-endian version, then three little-endian 32-bit words a call
 * (event key bits 0–31; key bits 32–46, the flag in bit 15 and startedAt bits 32–47 in bits
 * 16–31; startedAt bits 0–31): sixteen bytes of header and twelve a call, as sipflow writes.
 */
final class NumberHistory {
  /** number-history.ts MAX_ENTRIES_PER_NUMBER: a number keeps at most its latest 500 calls. */
  static final int MAX_ENTRIES_PER_NUMBER = 500;
  static final NumberHistory EMPTY = new NumberHistory(new long[0]);
  private static final long UNANSWERED = 1L << 47;
  private static final long KEY_MASK = UNANSWERED - 1;
  private static final int VERSION = 2;
  private static final int HEADER_BYTES = 4;
  private static final int CALL_BYTES = 12;

  /** at0, keyAndFlag0, at1, keyAndFlag1, ... */
  private final long[] calls;

  private NumberHistory(long[] calls) {
    this.calls = calls;
  }

  int size() {
    return calls.length / 2;
  }

  boolean isEmpty() {
    return calls.length == 0;
  }

  long at(int i) {
    return calls[2 * i];
  }

  long eventKey(int i) {
    return calls[2 * i + 1] & KEY_MASK;
  }

  boolean unanswered(int i) {
    return (calls[2 * i + 1] & UNANSWERED) != 0;
  }

  /** The latest call's startedAt, or 0 when there is none (history-words.ts latest). */
  long latest() {
    return calls.length == 0 ? 0 : calls[calls.length - 2];
  }

  /**
   * event-key.ts eventKey: cyrb53 (bryc, public domain) over the UTF-16 code units, cut to 47
   * bits. Math.imul is Java's int multiply; `>>> 0` is the unsigned reading of the int.
   */
  static long eventKey(String eventId) {
    int h1 = 0xdeadbeef;
    int h2 = 0x41c6ce57;
    for (int i = 0; i < eventId.length(); i++) {
      int ch = eventId.charAt(i);
      h1 = (h1 ^ ch) * (int) 2654435761L;
      h2 = (h2 ^ ch) * 1597334677;
    }
    h1 = (h1 ^ (h1 >>> 16)) * (int) 2246822507L;
    h1 ^= (h2 ^ (h2 >>> 13)) * (int) 3266489909L;
    h2 = (h2 ^ (h2 >>> 16)) * (int) 2246822507L;
    h2 ^= (h1 ^ (h1 >>> 13)) * (int) 3266489909L;
    return ((long) (h2 & 0x7fff) << 32) | (h1 & 0xffffffffL);
  }

  /** number-history.ts isUnanswered. */
  static boolean isUnanswered(String disposition) {
    return disposition.equals("NO_ANSWER") || disposition.equals("BUSY");
  }

  /** number-history.ts historyKeepMs: twice the longest period a rule looks back over. */
  static long keepMs(long stateWindowMs) {
    return 2 * stateWindowMs;
  }

  /** number-history.ts hasAttempt: the history already holds this event. */
  boolean has(long key) {
    for (int i = size() - 1; i >= 0; i--) if (eventKey(i) == key) return true;
    return false;
  }

  /**
   * number-history.ts recordAttempt: one more call, in order, without the calls `keepMs` or more
   * before the latest one, and at most the latest MAX_ENTRIES_PER_NUMBER; a call already there
   * (same event key) changes nothing, so a record processed twice counts once.
   */
  NumberHistory record(long at, long key, boolean unanswered, long keepMs) {
    if (has(key)) return this;
    int n = size();
    int i = n;
    while (i > 0 && (at < at(i - 1) || (at == at(i - 1) && key < eventKey(i - 1)))) i--;
    long[] next = new long[calls.length + 2];
    System.arraycopy(calls, 0, next, 0, 2 * i);
    next[2 * i] = at;
    next[2 * i + 1] = key | (unanswered ? UNANSWERED : 0);
    System.arraycopy(calls, 2 * i, next, 2 * i + 2, calls.length - 2 * i);
    // stream time of this number: its latest call; a window ending there needs nothing older
    long cutoff = next[next.length - 2] - keepMs;
    int first = 0;
    while (first < n + 1 && next[2 * first] <= cutoff) first++;
    first = Math.max(first, n + 1 - MAX_ENTRIES_PER_NUMBER);
    return new NumberHistory(first == 0 ? next : Arrays.copyOfRange(next, 2 * first, next.length));
  }

  /**
   * cap-check.ts callTimesWith: the start times of the number's calls but the one keyed `key`
   * (the call in hand, which a cap counts itself), with `startedAt` in its place, ascending.
   */
  long[] callTimesWith(long startedAt, long key) {
    int n = size();
    long[] times = new long[n + 1];
    int count = 0;
    for (int i = 0; i < n; i++) if (eventKey(i) != key) times[count++] = at(i);
    int i = count;
    while (i > 0 && times[i - 1] > startedAt) i--;
    System.arraycopy(times, i, times, i + 1, count - i);
    times[i] = startedAt;
    return count + 1 == times.length ? times : Arrays.copyOf(times, count + 1);
  }

  /** number-history.ts lateness: how far the call at `at` is behind the number's latest, or 0. */
  long lateness(long at) {
    long latest = calls.length == 0 ? at : latest();
    return Math.max(0, latest - at);
  }

  byte[] encode() {
    int n = size();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + n * CALL_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(VERSION);
    for (int i = 0; i < n; i++) {
      long key = eventKey(i);
      long at = at(i);
      out.putInt((int) key);
      out.putInt((int) ((key >>> 32) & 0x7fff) | (unanswered(i) ? 0x8000 : 0) | (int) ((at >>> 32) << 16));
      out.putInt((int) at);
    }
    return out.array();
  }

  /** A store value back; null (no value) is the empty history. */
  static NumberHistory decode(byte[] value) {
    if (value == null) return EMPTY;
    int n = checked(value);
    ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    in.position(HEADER_BYTES);
    long[] calls = new long[2 * n];
    for (int i = 0; i < n; i++) {
      long low = in.getInt() & 0xffffffffL;
      int middle = in.getInt();
      long atLow = in.getInt() & 0xffffffffL;
      calls[2 * i] = ((long) (middle >>> 16) << 32) | atLow;
      calls[2 * i + 1] = ((long) (middle & 0x7fff) << 32) | low | ((middle & 0x8000) != 0 ? UNANSWERED : 0);
    }
    return new NumberHistory(calls);
  }

  /** The latest call's startedAt of a store value, without decoding the rest (for expiry). */
  static long latestIn(byte[] value) {
    int n = checked(value);
    if (n == 0) return 0;
    ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int w = HEADER_BYTES + (n - 1) * CALL_BYTES;
    return ((long) (in.getInt(w + 4) >>> 16) << 32) | (in.getInt(w + 8) & 0xffffffffL);
  }

  private static int checked(byte[] value) {
    if (value.length < HEADER_BYTES || (value.length - HEADER_BYTES) % CALL_BYTES != 0
        || ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != VERSION)
      throw new IllegalStateException("number-history store value of " + value.length + " bytes is not version 2");
    return (value.length - HEADER_BYTES) / CALL_BYTES;
  }
}
