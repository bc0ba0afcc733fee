/**
 * `weble-supervisor hash-password`: reads a password (twice without echo on a terminal, one line
 * from a pipe) and prints the hash that site.yaml's `passwordHash` takes: scrypt over md5(password),
 * as the web server verifies a POST /auth password (`@weble/web`'s hashPassword).
 */
import { hashPassword, md5Hex } from '@weble/web/site';
import { err, Exit, out, type Command } from './cli-common.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Read one line from the terminal without echo. Ctrl-C rejects. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolvePassword, reject) => {
    let text = '';
    const finish = (error?: Error): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolvePassword(text);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new Error('interrupted'));
        if (char === '\u007f' || char === '\b') text = Array.from(text).slice(0, -1).join('');
        else if (char >= ' ') text += char;
      }
    };
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The password from the terminal (asked twice, without echo) or from stdin (one line); prints its hash. */
export async function hashPasswordCommand(): Promise<number> {
  let password: string;
  try {
    if (process.stdin.isTTY) {
      password = await promptHidden('Password: ');
      if ((await promptHidden('Repeat password: ')) !== password) throw new Error('the passwords do not match');
    } else {
      password = await readStdin();
      if (/[\r\n]/.test(password)) throw new Error('expected the password on one line');
    }
    if (password === '') throw new Error('empty password');
  } catch (error) {
    err(`weble-supervisor hash-password: ${(error as Error).message}`);
    return Exit.FAILURE;
  }
  out(await hashPassword(md5Hex(password)));
  return Exit.OK;
}

/** `weble-supervisor hash-password` (loaded by the CLI when it runs). */
export const hashPasswordCli: Command = {
  usage: `Usage: weble-supervisor hash-password

Read a password on stdin (asked twice without echo on a terminal; one line when piped) and print
the salted scrypt hash of its MD5 for site.yaml users[].passwordHash.`,
  options: {},
  run: hashPasswordCommand,
};
