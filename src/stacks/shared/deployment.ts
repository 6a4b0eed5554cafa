// Values the root and the service templates both declare for the same
// parameter: stated once so the two cannot drift apart.

/** The gradual traffic-shifting strategies CodeDeploy offers for Lambda aliases (DeploymentPreference). */
export const DEPLOYMENT_PREFERENCES = [
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce',
] as const;
