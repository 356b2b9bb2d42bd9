import {
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
} from '@opentelemetry/instrumentation';
import type { MqttClient } from 'mqtt';
import { instrumentMqttClient } from './client.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';

const SUPPORTED = ['>=5.0.0 <6'];

type ConnectModule = { default?: unknown; connectAsync?: unknown };

const isPromiseLike = (value: unknown): value is Promise<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Auto-instrumentation for mqtt.js 5: `mqtt.connect()` returns, and
 * `mqtt.connectAsync()` resolves to, a client wrapped by
 * `instrumentMqttClient` (publish → send span with context in MQTT 5 user
 * properties; `'message'` listeners → process spans; MQTT 3.1.1 gets spans
 * without propagation). Patches `build/lib/connect/index.js`, the module
 * behind both the default export and the named exports. Clients built with
 * `new MqttClient(...)` directly are not instrumented; wrap those explicitly.
 */
export class SignalboxMqttInstrumentation extends SignalboxInstrumentationBase {
  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-mqtt', config);
  }

  private wrapClient(client: unknown): unknown {
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof (client as MqttClient).publish !== 'function'
    ) {
      return client;
    }
    // One wrapper per client: connectAsync may call the exported connect.
    return this.wrapperFor(client, () =>
      guarded(
        'mqtt auto-instrumentation',
        () => instrumentMqttClient(client as MqttClient, this.wrapperOptions()),
        client as MqttClient,
      ),
    );
  }

  protected override init() {
    const connectFile = new InstrumentationNodeModuleFile(
      'mqtt/build/lib/connect/index.js',
      SUPPORTED,
      (moduleExports: ConnectModule) => {
        this.patchFactory(moduleExports, 'default', (client) => this.wrapClient(client));
        this.patchFactory(moduleExports, 'connectAsync', (result) =>
          isPromiseLike(result) ? result.then((client) => this.wrapClient(client)) : result,
        );
        return moduleExports;
      },
      (moduleExports: ConnectModule) => {
        this.unpatchFactory(moduleExports, 'default');
        this.unpatchFactory(moduleExports, 'connectAsync');
      },
    );
    return new InstrumentationNodeModuleDefinition('mqtt', SUPPORTED, undefined, undefined, [connectFile]);
  }
}
