// What sipflow changes in kafkajs 2.2.4 at run time, imported before kafkajs by every module that
// loads it: the linear grouping has to be cached before kafkajs' producer loads
// (kafkajs-linear-grouping.ts); the request-queue timer is patched on kafkajs' class
// (request-queue-timer.ts). The produce encoding is switched on by createKafka (clients.ts).
import './kafkajs-linear-grouping';
import './request-queue-timer';
