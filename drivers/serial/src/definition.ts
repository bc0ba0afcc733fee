/**
 * The serial driver: its schemas (`./schema.ts`, what the supervisor loads) and its body (body.ts:
 * the port, the driver-owned poll, read and write).
 */
import { defineDriver } from '@weble/driver-kit';
import { body } from './body.js';
import { schema } from './schema.js';

/** The whole definition (schemas and body), for code that runs the driver in its own process. */
export const definition = defineDriver({ ...schema, ...body });
