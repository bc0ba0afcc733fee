/**
 * @weble/web/site: what a site's supervisor needs of the web server without loading the server
 * itself (node:http, node:https, ws, static files, sessions): the site.yaml sections the web
 * server owns (`http`, `users`), the peer names of the web server and of web sessions, password
 * hashing for `users[].passwordHash`, and the self-signed certificate helper. The supervisor is a
 * long-lived process on small boxes: the rest of the package cost it memory for nothing
 * (docs/memory.md). The main entry exports all of this too.
 */
export { httpSchema, tlsFilesSchema, userSchema, ROLES, DEFAULT_ROLE, type Role } from './site-schema.js';
export {
  sessionAllowsName,
  isSessionPeerName,
  sessionUserPart,
  userPartOf,
  webSessionGrant,
  SESSION_PEER_NAME,
  WEB_SERVER_PEER,
} from './link-name.js';
export {
  hashPassword,
  verifyPassword,
  md5Hex,
  PASSWORD_HASH_PATTERN,
  SCRYPT_PARAMS,
  PasswordInputError,
} from './password.js';
export { loadOrCreateCertificate, type TlsPair, type AutoCertificateOptions } from './tls-auto.js';
