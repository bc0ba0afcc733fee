/**
 * The virtual driver: addresses kept in memory (logic variables, tests, demo values that move).
 * Written against @weble/driver-kit alone, it is the example for real drivers: schemas
 * (`./schema.ts`, what the supervisor loads) and a body (body.ts: a "device" opened by `connect`,
 * `read`/`write`, polling of the points that change by themselves).
 */
import { defineDriver } from '@weble/driver-kit';
import { body } from './body.js';
import { schema } from './schema.js';

/** The whole definition (schemas and body), for code that runs the driver in its own process. */
export const definition = defineDriver({ ...schema, ...body });
