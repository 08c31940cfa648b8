// kafkajs' request queue is not part of its public types; request-queue-timer.ts replaces one of
// its methods. Only what that file touches is declared.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: { prototype: { scheduleCheckPendingRequests?: unknown } };
  export default RequestQueue;
}
