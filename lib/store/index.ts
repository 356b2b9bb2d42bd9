import 'server-only';

export type * from './types';
export { QueueFullError } from './write-queue';
