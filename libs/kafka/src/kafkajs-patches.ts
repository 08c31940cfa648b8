// What sipflow changes in kafkajs 2.2.4 at run time, imported before kafkajs by every module that
// loads it. The linear grouping of a send's messages and the record decoder have to be in the module
// cache before kafkajs loads the modules that `require` them (kafkajs-module-cache.ts); the
// request-queue timer is patched on kafkajs' class (request-queue-timer.ts). The produce encoding
// is switched on by createKafka (clients.ts).
import './kafkajs-linear-grouping';
import './kafkajs-record-decoder';
import './request-queue-timer';
// KIP-447 for exactly-once: transactional offsets with the group generation, stable offset fetches
import './kafkajs-group-fencing';
// at-least-once: a write refused at the socket when the member may have lost its partitions
import './kafkajs-write-guard';
