// Production environment. Deployed by hand or from a pipeline (azd always reads main.bicepparam):
//   az deployment group what-if -g <resource group> -f infra/main.bicep -p infra/main.prod.bicepparam
//   az deployment group create  -g <resource group> -f infra/main.bicep -p infra/main.prod.bicepparam
// The region is the resource group's. Stage-dependent defaults of main.bicep apply: zone-redundant storage,
// longer soft delete and log retention, Key Vault purge protection, no log ingestion cap.
using 'main.bicep'

param namePrefix = 'ihub'
param environmentName = 'prod'

param tags = {
  owner: 'integration-hub-team'
}

// Who may write department keys in production: grant the operations group here, e.g.
//   { principalId: '<object id of the ops group>', principalType: 'Group' }
// No person gets it from deploying.
param secretsOfficers = []

// Network: the app runs in its own virtual network (restrictNetworkAccess is on for prod by default) and storage,
// Key Vault and Service Bus admit only its subnet. Add the public ranges (CIDR) the secrets officers work from, or
// they cannot set keys; and the subscribers' egress ranges, or they cannot receive their events.
param keyVaultAllowedIpRanges = []
param serviceBusAllowedIpRanges = []

// Ops sign in with Entra ID: the client id of the hub's app registration with its roles Ops.Reader and Ops.Operator,
// made once by hand (infra/README.md, "Ops sign-in"). Until it is set nobody can use the ops surface in Azure.
param opsSignInAudience = readEnvironmentVariable('HUB_OPS_SIGN_IN_AUDIENCE', '')

// The networks the ops surface (ops API, pulls, the console) answers: the New Area's office egress ranges, which the
// deployer must put here. The values below are placeholders from the documentation ranges (RFC 5737, RFC 3849), which
// no real caller has: until they are replaced nobody reaches the ops surface, while department pushes and published
// data are unaffected. Never a loopback range (the app refuses to start with one).
param opsAllowedNetworks = [
  '203.0.113.0/24'
  '2001:db8:3e8::/48'
]

// Department production endpoints. Placeholders on the reserved .example domain: replace each with the
// department's production API before the first deployment. Cron is NCRONTAB with seconds, in UTC.
param pullSources = {
  Statistics: {
    baseUrl: 'https://statistics.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 0 2 * * *'
    timeoutSeconds: 60
  }
  PowerGrid: {
    baseUrl: 'https://power-grid.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 10 2 * * *'
    timeoutSeconds: 60
  }
  Transport: {
    baseUrl: 'https://transport.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 20 2 * * *'
    timeoutSeconds: 60
  }
  Environment: {
    baseUrl: 'https://environment.integration-hub.example'
    pathTemplate: '/feeds/{period}'
    cron: '0 30 2 * * *'
    timeoutSeconds: 60
  }
}
