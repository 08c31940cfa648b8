import { createServer } from 'node:net';
import { SipflowError } from '@sipflow/errors';

/** True when nothing listens on 127.0.0.1:`port` (we could bind it ourselves). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

export async function assertPortsFree(ports: Array<{ port: number; variable: string }>): Promise<void> {
  for (const { port, variable } of ports) {
    if (!(await portIsFree(port))) {
      throw new SipflowError(
        'SIPFLOW_STACK',
        `port ${port} on 127.0.0.1 is already in use by another process; choose another with ${variable}`,
        { port, variable },
      );
    }
  }
}

/** A loopback port the OS just handed out (free a moment ago): for tests and benchmarks. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : // a TCP server listening on a port always has an address object
            reject(new SipflowError('SIPFLOW_INTERNAL_ERROR', 'the listening server has no port')),
      );
    });
  });
}
