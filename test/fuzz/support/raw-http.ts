import net from 'node:net';

/**
 * An HTTP/1.1 client over a bare socket. fetch and node:http validate what they send (no CRLF in a header value,
 * no raw bytes or broken percent-escapes in the path), which is exactly what the fuzz suite needs to send.
 */
export interface RawRequest {
  method: string;
  /** The request target as written on the request line, unvalidated. */
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  /** The first response's head (status line and headers), for failure messages. */
  head: string;
  body: string;
}

const TIMEOUT_MS = 10_000;

/** Sends one request with `Connection: close` and reads until the server closes; fails when nothing comes back. */
export function sendRaw(port: number, request: RawRequest): Promise<RawResponse> {
  const body = request.body ?? Buffer.alloc(0);
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: close',
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...(body.length > 0 || request.method === 'POST' ? [`Content-Length: ${body.length}`] : []),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`no answer within ${TIMEOUT_MS} ms to ${request.method} ${request.target.slice(0, 200)}`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may close while we still write a large body it has refused; what it answered still counts.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!match) {
        reject(new Error(`no HTTP answer to ${request.method} ${request.target.slice(0, 200)}: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const end = text.indexOf('\r\n\r\n');
      resolve({ status: Number(match[1]), head: text.slice(0, end), body: text.slice(end + 4) });
    });
    // latin1 writes each char as one byte, so a target with raw non-ASCII becomes raw bytes on the wire. No end():
    // node's server drops a request still in progress when its client half-closes; `Connection: close` ends it.
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}
