import type { Template } from '../cfn/template';

/** One generated template: where it is written and the module that builds it. */
export interface StackDefinition {
  /** Repository-relative path of the generated YAML file. */
  readonly path: string;
  /** Repository-relative path of the module that builds it (named in the banner). */
  readonly source: string;
  /** Builds the template. Pure: no AWS calls, no file system. */
  readonly build: () => Template;
}

/**
 * Every template `dataless synth` writes. Modules are loaded on demand so that
 * commands that need one template do not pay for all of them.
 */
export const stacks: readonly StackDefinition[] = [
  { path: 'build.yaml', source: 'src/stacks/build.ts', build: () => (require('./build') as typeof import('./build')).buildTemplate() },
  { path: 'templates-out/app.yaml', source: 'src/stacks/app/index.ts', build: () => (require('./app') as typeof import('./app')).appTemplate() },
  {
    path: 'templates-out/advertising/lake.yaml',
    source: 'src/stacks/advertising/lake.ts',
    build: () => (require('./advertising/lake') as typeof import('./advertising/lake')).lakeTemplate(),
  },
  {
    path: 'templates-out/advertising/realtime.yaml',
    source: 'src/stacks/advertising/realtime.ts',
    build: () => (require('./advertising/realtime') as typeof import('./advertising/realtime')).realtimeTemplate(),
  },
  {
    path: 'templates-out/advertising/service.yaml',
    source: 'src/stacks/advertising/service/index.ts',
    build: () => (require('./advertising/service') as typeof import('./advertising/service')).serviceTemplate(),
  },
  {
    path: 'templates-out/advertising/pipeline.yaml',
    source: 'src/stacks/advertising/pipeline/index.ts',
    build: () => (require('./advertising/pipeline') as typeof import('./advertising/pipeline')).pipelineTemplate(),
  },
];
