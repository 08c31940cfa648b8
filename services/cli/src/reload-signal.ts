/**
 * SIGHUP asks a long-running verb to read its configuration files again, the convention of daemons
 * since syslogd (and the signal Kubernetes' and systemd's `reload` send: `ExecReload=kill -HUP
 * $MAINPID`). Without a handler Node ends the process on SIGHUP, so installing one is also what
 * keeps a stray hang-up from stopping the processor. Returns the function that removes it.
 */
export function onReloadSignal(reload: () => void): () => void {
  const handler = () => reload();
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
