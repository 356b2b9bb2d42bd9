import 'server-only';
import { config } from '@/lib/config';
import { getStore } from '@/lib/store';
import type { ReceiverOptions } from './receiver';

/** The receiver's options from the process configuration and store singleton. */
export function receiverOptions(): ReceiverOptions {
  const c = config();
  return {
    store: getStore,
    maxBodyBytes: c.otlpMaxBodyBytes,
    maxInflightBytes: c.ingestMaxInflightBytes,
    token: c.ingestToken,
  };
}
