/** Sends raw bytes to a local port and resolves with what comes back: up to the end of the response head, the socket's close, or 2 s. */
import { connect } from 'node:net';

export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (received.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.setTimeout(timeoutMs, done);
    socket.write(bytes);
  });
}
