// A small typed builder for Step Functions state machines in JSONata: states
// that refer to each other by handle, a renderer that names and checks them,
// and placeholders for DefinitionSubstitutions.
export * from './jsonata';
export * from './machine';
export * from './states';
export * from './substitutions';
