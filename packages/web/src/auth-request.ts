/** The body of POST /auth, read with a size limit and parsed with zod at the edge. */
import type { IncomingMessage } from 'node:http';
import { CodedError } from '@weble/peers-core/core';
import { z } from 'zod';

/** `{username, password}` where password is md5(password) in hex (seed 001). */
export const authBodySchema = z.object({
  username: z.string().min(1, 'expected a username').max(64, 'expected at most 64 characters'),
  password: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected md5(password): 32 hex digits'),
});

/** A parsed POST /auth body. */
export type AuthBody = z.output<typeof authBodySchema>;

/** The codes of a refused POST /auth body and their HTTP statuses (packages/web/README.md). */
export const BODY_ERROR_STATUS = { AUTH_BODY_TOO_LARGE: 413, AUTH_BAD_BODY: 400 } as const;

/** One of the {@link BODY_ERROR_STATUS} codes. */
export type BodyErrorCode = keyof typeof BODY_ERROR_STATUS;

/** Why a body was refused: its code (and so its HTTP status) and a message naming the field. */
export class BodyError extends CodedError<BodyErrorCode> {
  override name = 'BodyError';

  /** The HTTP status of the refusal. */
  get status(): (typeof BODY_ERROR_STATUS)[BodyErrorCode] {
    return BODY_ERROR_STATUS[this.code];
  }
}

/** Read the whole body, refusing (413) past `maxBytes`, by `Content-Length` or as it streams in. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.resume();
      reject(new BodyError('AUTH_BODY_TOO_LARGE', `body: larger than ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyError('AUTH_BODY_TOO_LARGE', `body: larger than ${maxBytes} bytes`));
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
    throw new BodyError('AUTH_BAD_BODY', 'body: expected JSON');
  }
  const result = authBodySchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new BodyError('AUTH_BAD_BODY', `${path}: ${issue?.message ?? 'invalid'}`);
}
