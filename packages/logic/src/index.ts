/** @weble/logic: the logic-script contract (a logic is the peer `logic_<name>`, run and restarted by the supervisor). */
export { runLogic, checkLogicEnv, HUB_PEER, LogicExit, type LogicContext, type LogicMain, type RunLogicOptions } from './run-logic.js';
export type { Peers } from '@weble/peers-core';
