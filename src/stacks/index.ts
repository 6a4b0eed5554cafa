// Every template `dataless synth` writes, each declared once: its path, the
// module that builds it, and for a nested one the types of its parameters and
// outputs. Modules load on demand, so a command that needs one template does
// not pay for all of them.
import { Stack } from '../cfn/stack';
import type { Template } from '../cfn/template';
import type { LakeOutput, LakeParameter, LakeTableOutput } from './advertising/lake';
import type { PipelineOutput, PipelineParameter } from './advertising/pipeline';
import type { RealTimeOutput, RealTimeParameter } from './advertising/realtime';
import type { ServiceOutput, ServiceParameter } from './advertising/service';

/** One generated template: where it is written and the module that builds it. */
export interface StackDefinition {
  /** Repository-relative path of the generated YAML file. */
  readonly path: string;
  /** Repository-relative path of the module that builds it (named in the banner). */
  readonly source: string;
  /** Builds the template. Pure: no AWS calls, no file system. */
  build(): Template;
}

/** The CI/CD bootstrap stack `dataless bootstrap` deploys. */
export const BUILD_STACK = new Stack({
  path: 'build.yaml',
  source: 'src/stacks/build.ts',
  build: () => (require('./build') as typeof import('./build')).buildTemplate(),
});

/** The application's root: the template a branch deploys, which nests the others. */
export const APP_STACK = new Stack({
  path: 'templates-out/app.yaml',
  source: 'src/stacks/app/index.ts',
  build: () => (require('./app') as typeof import('./app')).appTemplate(),
});

export const LAKE_STACK = new Stack<LakeParameter, LakeOutput | LakeTableOutput>({
  path: 'templates-out/advertising/lake.yaml',
  source: 'src/stacks/advertising/lake.ts',
  build: () => (require('./advertising/lake') as typeof import('./advertising/lake')).lakeTemplate(),
});

export const REAL_TIME_STACK = new Stack<RealTimeParameter, RealTimeOutput>({
  path: 'templates-out/advertising/realtime.yaml',
  source: 'src/stacks/advertising/realtime.ts',
  build: () => (require('./advertising/realtime') as typeof import('./advertising/realtime')).realtimeTemplate(),
});

export const SERVICE_STACK = new Stack<ServiceParameter, ServiceOutput>({
  path: 'templates-out/advertising/service.yaml',
  source: 'src/stacks/advertising/service/index.ts',
  build: () => (require('./advertising/service') as typeof import('./advertising/service')).serviceTemplate(),
});

export const PIPELINE_STACK = new Stack<PipelineParameter, PipelineOutput>({
  path: 'templates-out/advertising/pipeline.yaml',
  source: 'src/stacks/advertising/pipeline/index.ts',
  build: () => (require('./advertising/pipeline') as typeof import('./advertising/pipeline')).pipelineTemplate(),
});

/** The root template of the application, which packaging, deploy and the config schema start from. */
export const ROOT_STACK = APP_STACK;

/** Every template `dataless synth` writes, in the order it writes them. */
export const stacks: readonly StackDefinition[] = [
  BUILD_STACK,
  APP_STACK,
  LAKE_STACK,
  REAL_TIME_STACK,
  SERVICE_STACK,
  PIPELINE_STACK,
];
