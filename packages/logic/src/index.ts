/** @weble/logic: the logic-script contract (a logic is the peer `logic_<name>`, run and restarted by the supervisor). */
export {
  runLogic,
  checkLogicEnv,
  HUB_PEER,
  LogicExit,
  type LogicContext,
  type LogicMain,
  type RunLogicOptions,
} from './run-logic.js';
export type { Peers } from '@weble/peers-core';
/** The core modules a logic calls on `supervision` (`@weble/api`): `(await peers(HUB_PEER).require('gateways')) as unknown as RemoteGateways`. */
export type {
  RemoteGateways,
  RemoteSystem,
  GatewaysApi,
  GatewaysEvents,
  SystemApi,
  SystemEvents,
  Address,
  Gateway,
  Quality,
  ProcessInfo,
} from '@weble/api';
