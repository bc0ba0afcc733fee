/**
 * A throw-away PKI made with the openssl command: a CA, a server certificate for 127.0.0.1 and
 * localhost, and client certificates, as PEM files in a directory.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  /** Make a client certificate signed by the CA with this common name; returns its files. */
  client(cn: string): { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Make the CA and the server certificate in `dir`. */
export function makePki(dir: string): Pki {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=weble test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  const sign = (name: string, cn: string, ext?: string): void => {
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`],
      dir,
    );
    const args = [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
    ];
    if (ext) {
      writeFileSync(join(dir, `${name}.ext`), ext);
      args.push('-extfile', `${name}.ext`);
    }
    openssl(args, dir);
  };
  sign('server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    client(cn) {
      const name = `client-${cn}`;
      sign(name, cn);
      return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
    },
  };
}
