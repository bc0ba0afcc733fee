export * from 'pino';
