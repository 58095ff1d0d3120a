// Development environment. `azd up` uses this file (azd reads main.bicepparam beside main.bicep); deploy it by hand
// with: az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.bicepparam
// The region is the resource group's.
using 'main.bicep'

// Set by azd in its environment; empty when deploying by hand without them.
var deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
var deployerPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')

param namePrefix = 'ihub'
param environmentName = 'dev'

param tags = {
  'azd-env-name': readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
  owner: 'integration-hub-team'
}

// Network: dev has no virtual network (restrictNetworkAccess is off outside prod), so storage, Key Vault and Service
// Bus accept every network. Access there rests on identity alone: no account keys or SAS (shared keys and Service Bus
// local auth are off), RBAC roles for the app and the officers. It saves the Premium Service Bus namespace (virtual
// network rules need Premium) and lets a developer's own machine reach the dev vault and storage.

// Whoever deploys dev may set the department keys in its vault.
param secretsOfficers = empty(deployerPrincipalId)
  ? []
  : [
      {
        principalId: deployerPrincipalId
        principalType: deployerPrincipalType == 'ServicePrincipal' ? 'ServicePrincipal' : 'User'
      }
    ]

// Ops sign in with Entra ID: the client id of the hub's app registration with its roles Ops.Reader and Ops.Operator,
// made once by hand (infra/README.md, "Ops sign-in"). Until it is set nobody can use the ops surface in Azure.
param opsSignInAudience = readEnvironmentVariable('HUB_OPS_SIGN_IN_AUDIENCE', '')

// Dev's ops surface answers every network: developers sign in from wherever they work, Entra ID sign-in with a role
// is still needed, and dev holds test data only. Set ranges here to try the restriction before prod.
param opsAllowedNetworks = []

// Department test endpoints. Placeholders on the reserved .example domain: replace each with the department's
// test API before pulling. Cron is NCRONTAB with seconds, in UTC (02:00 UTC is 10:00 in Changsha).
param pullSources = {
  Statistics: {
    baseUrl: 'https://statistics.test.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 0 2 * * *'
    timeoutSeconds: 60
  }
  PowerGrid: {
    baseUrl: 'https://power-grid.test.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 10 2 * * *'
    timeoutSeconds: 60
  }
  Transport: {
    baseUrl: 'https://transport.test.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 20 2 * * *'
    timeoutSeconds: 60
  }
  Environment: {
    baseUrl: 'https://environment.test.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 30 2 * * *'
    timeoutSeconds: 60
  }
}
