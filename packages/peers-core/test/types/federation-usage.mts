// Compiled by types.test.ts against the built package: the federation layer from its own subpath.
import createPeers from '@weble/peers-core';
import { HashRing, federationModule, type FederateOptions, type FederationModule } from '@weble/peers-core/federation';

const options: FederateOptions = { secret: 'a federation secret', listen: { port: 0 } };
const ring = new HashRing(['site-a', 'site-b']);
async function federated(): Promise<FederationModule> {
  const handle = await createPeers('hub', { site: 'site-a' }).federate(options);
  return federationModule(handle);
}
void [ring, federated];
