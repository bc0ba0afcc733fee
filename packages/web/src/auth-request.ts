/** The body of POST /auth, read with a size limit and parsed with zod at the edge. */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/** `{username, password}` where password is md5(password) in hex (seed 001). */
export const authBodySchema = z.object({
  username: z.string().min(1, 'expected a username').max(64, 'expected at most 64 characters'),
  password: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected md5(password): 32 hex digits'),
});

/** A parsed POST /auth body. */
export type AuthBody = z.output<typeof authBodySchema>;

/** Why a body was refused: the HTTP status and a message naming the field. */
export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** Read the whole body, refusing (413) past `maxBytes`, by `Content-Length` or as it streams in. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.resume();
      reject(new BodyError(413, `body: larger than ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyError(413, `body: larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Parse `bytes` as an auth body; a {@link BodyError} (400) names the first bad field. */
export function parseAuthBody(bytes: Buffer): AuthBody {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BodyError(400, 'body: expected JSON');
  }
  const result = authBodySchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new BodyError(400, `${path}: ${issue?.message ?? 'invalid'}`);
}
