import { sdkClients } from '../../src/aws/clients';
import { memoryIO } from '../../src/io';

/**
 * The IO `dataless local` runs with in these tests: the process environment (for PATH and the Python tools) and the
 * SDK's clients, which the action itself points at the moto server it starts on loopback.
 */
export function localIO(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof memoryIO> {
  return memoryIO({ env, aws: sdkClients({ env }) });
}
