// aws-sdk-client-mock for one suite at a time. mockClient(Class) replaces
// send() on the class's prototype the moment it runs, so it is attached in
// before() and restored in after(): suites that talk to moto, loaded in the
// same mocha process, keep the real client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { motoEnvironment, setEnv } from '../support/moto';

/** Mocks every client of `clientClass` inside the calling suite; reset before each test. */
export function useMockClient<TClient extends object>(clientClass: {
  prototype: TClient;
}): { readonly stub: AwsClientStub<TClient> } {
  let stub: AwsClientStub<TClient> | undefined;
  before(() => {
    stub = mockClient(clientClass as never) as unknown as AwsClientStub<TClient>;
  });
  beforeEach(() => stub?.reset());
  after(() => {
    stub?.restore();
    stub = undefined;
  });
  return {
    get stub(): AwsClientStub<TClient> {
      if (!stub)
        throw new Error(
          'the mocked client is only available inside hooks and tests of the suite that called useMockClient()',
        );
      return stub;
    },
  };
}

/** Region and dummy credentials for the suite, and no endpoint: nothing leaves the process while clients are mocked. */
export function useScriptedEnvironment(): void {
  let restore: (() => void) | undefined;
  before(() => {
    restore = setEnv({ ...motoEnvironment('http://127.0.0.1:9'), AWS_ENDPOINT_URL: undefined });
  });
  after(() => restore?.());
}

/**
 * A loopback HTTP endpoint that counts the requests it gets (and fails them),
 * to show that none was made; the AWS SDK environment points at it, with a
 * region and dummy credentials, for the suite.
 */
export function useCountingEndpoint(): { readonly endpoint: string; readonly requests: number } {
  const server = createServer((req, res) => {
    state.requests++;
    req.resume();
    res.writeHead(500).end();
  });
  const state = { endpoint: '', requests: 0 };
  let restore: (() => void) | undefined;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    restore = setEnv(motoEnvironment(state.endpoint));
  });
  beforeEach(() => {
    state.requests = 0;
  });
  after(async () => {
    restore?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}
