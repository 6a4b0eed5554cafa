// AWS clients for tests, handed to the action through its IO host
// (`memoryIO({ aws })`, `runWith({ aws }, ...)`) rather than by patching the
// SDK's classes or process.env: clients on a local endpoint (moto, a proxy, a
// counter), clients whose answers a test scripts with aws-sdk-client-mock
// where moto cannot model them, or a mix of both.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { sdkClients, type AwsClients } from '../../src/aws/clients';
import { motoClientSettings } from '../../src/local/moto';

/** The SDK's clients on a local endpoint, with moto's region and dummy credentials; nothing read from process.env. */
export function localClients(endpoint: string): AwsClients {
  return sdkClients({ ...motoClientSettings(endpoint), env: {} });
}

/** A service of the provider: `cloudFormation`, `s3`, ... */
export type Service = keyof AwsClients;
/** The client class a service's factory makes. */
export type ClientOf<S extends Service> = ReturnType<AwsClients[S]>;

/** Clients whose answers the suite scripts, and the provider that hands them to the action. */
export interface ScriptedClients {
  /** The provider for the IO host: every call for a service returns that service's one scripted client. */
  readonly aws: AwsClients;
  /** The stub of a service's client, to script its answers (`.on(Command).resolves(...)`) and read its calls. */
  stub<S extends Service>(service: S): AwsClientStub<ClientOf<S>>;
}

/**
 * One client per service for the suite, made on first use, whose send() is
 * stubbed on that instance (aws-sdk-client-mock's `mockClient(instance)`):
 * no other client, and no other suite, is touched. Scripted answers and
 * recorded calls are reset before each test. The clients point at a port
 * nobody listens on, so nothing could leave the process even unscripted.
 * The action destroys what it is given; a destroyed client's stubbed send()
 * still answers, so the one instance serves every call of a test.
 */
export function useScriptedClients(): ScriptedClients {
  const made = new Map<Service, { client: ClientOf<Service>; stub: ReturnType<typeof mockClient> }>();
  const make = (service: Service) => {
    let entry = made.get(service);
    if (!entry) {
      const client = localClients('http://127.0.0.1:9')[service]();
      entry = { client, stub: mockClient(client as never) };
      made.set(service, entry);
    }
    return entry;
  };
  beforeEach(() => {
    for (const { stub } of made.values()) stub.reset();
  });
  after(() => {
    for (const { client, stub } of made.values()) {
      stub.restore();
      client.destroy();
    }
    made.clear();
  });
  const client = <S extends Service>(service: S) => make(service).client as ClientOf<S>;
  return {
    aws: {
      s3: () => client('s3'),
      cloudFormation: () => client('cloudFormation'),
      codePipeline: () => client('codePipeline'),
      dynamoDB: () => client('dynamoDB'),
      firehose: () => client('firehose'),
      cloudWatch: () => client('cloudWatch'),
      stepFunctions: () => client('stepFunctions'),
    },
    stub: <S extends Service>(service: S) => make(service).stub as unknown as AwsClientStub<ClientOf<S>>,
  };
}

/**
 * A loopback HTTP endpoint that counts the requests it gets (and fails them),
 * to show that none was made, and clients pointed at it for the IO host.
 */
export function useCountingEndpoint(): {
  readonly endpoint: string;
  readonly requests: number;
  readonly aws: AwsClients;
} {
  const server = createServer((req, res) => {
    state.requests++;
    req.resume();
    res.writeHead(500).end();
  });
  const state = { endpoint: '', requests: 0, aws: localClients('http://127.0.0.1:9') };
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.aws = localClients(state.endpoint);
  });
  beforeEach(() => {
    state.requests = 0;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}
