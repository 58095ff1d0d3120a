metadata name = 'IntegrationHub'
metadata description = 'Azure resources of the integration hub: a .NET isolated Function App on Flex Consumption with Durable Functions, its storage, the Service Bus topic data-set updates are announced on, monitoring and the Key Vault holding department credentials. Every connection uses the app\'s managed identity.'

targetScope = 'resourceGroup'

import { tagsType, pullSourcesType, roleAssignmentType, subscriberType, webhookSubscriberType } from 'types.bicep'

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@description('Required. Short prefix of every resource name: 2-8 lowercase letters or digits.')
@minLength(2)
@maxLength(8)
param namePrefix string

@description('Required. Stage of this deployment; part of every name and tag.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Optional. Region of every resource. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Optional. Tags added to the hub\'s own tags on every resource.')
param tags tagsType = {}

@description('Optional. People or groups allowed to write the department secrets in the vault (Key Vault Secrets Officer). Empty in production: grant the operations group there.')
param secretsOfficers {
  @description('Object id of the user, group or service principal.')
  principalId: string

  @description('Kind of principal.')
  principalType: 'User' | 'Group' | 'ServicePrincipal'
}[] = []

@description('Required. How the hub pulls each department\'s API.')
param pullSources pullSourcesType

@description('Optional. NCRONTAB schedule (with seconds, UTC) of the check that announces overdue feeds as feed-late events (SupplyLateCheckCron); hourly at minute 5 by default.')
param supplyLateCheckCron string = '0 5 * * * *'

@description('Optional. Hosts the pull client may call besides the hosts of the pull base URLs (e.g. a department\'s redirect target).')
param pullExtraAllowedHosts string[] = []

@description('Optional. Pull hosts that may be reached over plain http (Pull__AllowHttpHosts); every other pull needs https.')
param pullAllowHttpHosts string[] = []

@description('Optional. Largest feed body accepted, in bytes (Intake__MaxFeedBytes).')
@minValue(1024)
param intakeMaxFeedBytes int = 8388608

@description('Optional. Deepest JSON nesting accepted (Intake__MaxDepth).')
@minValue(8)
@maxValue(1000)
param intakeMaxDepth int = 64

@description('Optional. Stored accepted feeds per source the schema evolution gate replays after start-up; 0 turns it off (SchemaGate__StoredFeedSample).')
@minValue(0)
@maxValue(100000)
param schemaGateStoredFeedSample int = 200

@description('Optional. Attempts of one department fetch, the first included, under the Durable retry policy (Pull__RetryMaxAttempts).')
@minValue(1)
@maxValue(20)
param pullRetryMaxAttempts int = 5

@description('Optional. Seconds before the first retry of a failed fetch; each next wait doubles (Pull__RetryFirstIntervalSeconds).')
@minValue(1)
@maxValue(3600)
param pullRetryFirstIntervalSeconds int = 2

@description('Optional. Pushes one department may make per minute (Access__RateLimit__PushPermitsPerMinute); more are answered 429 with Retry-After. Counted per app instance.')
@minValue(1)
@maxValue(1000000)
param accessPushPermitsPerMinute int = 120

@description('Optional. Pushes one department may send at once before the per-minute rate applies (Access__RateLimit__PushBurst). Counted per app instance.')
@minValue(1)
@maxValue(1000000)
param accessPushBurst int = 8

@description('Optional. Pushes of one department being read and validated at the same time (Access__RateLimit__MaxConcurrentPushes); one more is answered 429. Counted per app instance.')
@minValue(1)
@maxValue(1000)
param accessMaxConcurrentPushes int = 2

@description('Optional. Bytes of pushed bodies one department may store per UTC day (Access__Quota__DailyPushBytes); once reached, pushes are answered 429 until midnight UTC. Counted in storage, for all instances together.')
@minValue(1024)
@maxValue(1099511627776)
param accessDailyPushBytes int = 268435456

@description('Optional. Calls the ops key may make per minute on the ops routes and POST /api/pulls (Access__RateLimit__OpsPermitsPerMinute). Counted per app instance.')
@minValue(1)
@maxValue(1000000)
param accessOpsPermitsPerMinute int = 1200

@description('Optional. The Entra ID tenant whose people sign in to the ops surface (Access__Entra__TenantId); by default the tenant deployed to.')
param opsSignInTenantId string = tenant().tenantId

@description('Optional. The audience of ops tokens (Access__Entra__Audience): the client id of the hub\'s app registration, made once by hand (infra/README.md, "Ops sign-in"). Empty: nobody can sign in, and the ops surface stays closed in Azure.')
param opsSignInAudience string = ''

@description('Optional. The client id of the app registration the ops console signs in with (Access__Entra__ConsoleClientId): by default the hub\'s own registration, with the platform "Single-page application" and the redirect URI https://<app host>/api/console (infra/README.md, "Ops sign-in"). Empty: the console offers no sign-in.')
param opsConsoleClientId string = opsSignInAudience

@description('Optional. The scope the ops console asks a token for (Access__Entra__Scope). Empty: api://<audience>/Ops.Use, the delegated scope of the registration steps.')
param opsSignInScope string = ''

@description('Optional. Accept the ops key in Azure too (Access__AllowOpsKeyInAzure), e.g. as a break-glass key while the sign-in is being set up. Off: ops sign in as themselves, and the audit log names them.')
param accessAllowOpsKeyInAzure bool = false

@description('Optional. Networks (CIDR ranges or addresses, IPv4 or IPv6) the ops surface answers: /api/ops/*, /api/pulls, the ops console and its sign-in settings (Access__Ops__AllowedNetworks); any other caller gets 403. Department pushes and published data stay open. Empty: every network. Never a loopback range (the app refuses to start with one in Azure).')
param opsAllowedNetworks string[] = []

@description('Optional. Attempts to announce one data-set version, the first included, under the consolidation\'s Durable retry policy (Publishing__RetryMaxAttempts).')
@minValue(1)
@maxValue(20)
param publishRetryMaxAttempts int = 8

@description('Optional. Seconds before the first retry of a failed announcement; each next wait doubles, capped at five minutes (Publishing__RetryFirstIntervalSeconds).')
@minValue(1)
@maxValue(3600)
param publishRetryFirstIntervalSeconds int = 5

@description('Optional. Durable Functions task hub name: letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'IntegrationHub'

@description('Optional. Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = environmentName == 'prod' ? 'Standard_ZRS' : 'Standard_LRS'

@description('Optional. Days deleted blobs and containers can be restored.')
@minValue(1)
@maxValue(365)
param storageSoftDeleteDays int = environmentName == 'prod' ? 30 : 7

@description('Optional. Days each audit log blob stays undeletable and unmodifiable (time-based retention of the audit container; appends stay allowed).')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int = environmentName == 'prod' ? 2557 : 7

@description('Optional. Days a quarantined body stays in landing before the lifecycle policy deletes it (its report stays, see quarantineReportRetentionDays).')
@minValue(1)
@maxValue(36500)
param quarantinedBodyRetentionDays int = environmentName == 'prod' ? 90 : 30

@description('Optional. Days a quarantine report is kept; at least as long as the body, so ops can still see why a feed was refused after the body is gone.')
@minValue(1)
@maxValue(36500)
param quarantineReportRetentionDays int = environmentName == 'prod' ? 730 : 90

@description('Optional. Days previous blob versions are kept.')
@minValue(1)
param storagePreviousVersionRetentionDays int = environmentName == 'prod' ? 90 : 14

@description('Optional. Upper bound of Function App instances.')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = environmentName == 'prod' ? 100 : 40

@description('Optional. Memory of one Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Optional. Accept only Microsoft Entra authenticated telemetry in Application Insights. The app then authenticates with its identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING and the Monitoring Metrics Publisher role).')
param applicationInsightsDisableLocalAuth bool = true

@description('Optional. Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = environmentName == 'prod' ? 90 : 30

@description('Optional. Daily Log Analytics ingestion cap in GB, -1 for none.')
param logDailyQuotaGb int = environmentName == 'prod' ? -1 : 1

@description('Optional. Days a deleted secret or vault can be recovered.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = environmentName == 'prod' ? 90 : 7

@description('Optional. Forbid purging deleted secrets early; cannot be turned off once on.')
param keyVaultEnablePurgeProtection bool = environmentName == 'prod'

@description('Optional. Put the app in a virtual network and admit only its subnet to storage, Key Vault and Service Bus (Service Bus then runs on the Premium tier, which virtual network rules need). Off in dev: see infra/README.md.')
param restrictNetworkAccess bool = environmentName == 'prod'

@description('Optional. With restrictNetworkAccess: public ranges (CIDR) admitted to Key Vault besides the app, e.g. where the secrets officers work.')
param keyVaultAllowedIpRanges string[] = []

@description('Optional. With restrictNetworkAccess: public ranges (CIDR) admitted to Service Bus besides the app: the subscribers\' egress addresses.')
param serviceBusAllowedIpRanges string[] = []

@description('Optional. Window in which Service Bus drops a repeated MessageId (ISO 8601 duration).')
param serviceBusDuplicateDetectionWindow string = 'P1D'

// ---------------------------------------------------------------------------------------------------------------
// Names, tags and the data both the app and the infrastructure read
// ---------------------------------------------------------------------------------------------------------------

// Subscribers are declared once, in the file the app's local publisher reads too: one Service Bus subscription each,
// or, for a subscriber with a webhook, Event Grid event subscriptions instead.
var subscribersFile = loadJsonContent('../functions/IntegrationHub.Core/ReferenceData/subscribers.json')
// any(): the file's inferred type has a webhook property only once some subscriber declares one.
var subscribers subscriberType[] = map(filter(subscribersFile.subscribers, s => any(s).?webhook == null), s => {
  name: s.name
  sqlFilter: s.?sqlFilter ?? ''
})
var webhookSubscribers webhookSubscriberType[] = map(filter(subscribersFile.subscribers, s => any(s).?webhook != null), s => {
  name: s.name
  url: any(s).webhook.url
  periodKinds: any(s.filter).?periodKinds ?? []
  areas: any(s.filter).?areas ?? []
  indicatorPrefixes: any(s.filter).?indicatorPrefixes ?? []
  // Absent: data sets only, as SubscriptionFilter.Wants reads it.
  eventTypes: any(s).?eventTypes ?? ['dataset-published']
})
var topicName = subscribersFile.topic

// Globally unique names need a suffix; this one is stable for a resource group, prefix and stage.
var suffix = take(uniqueString(resourceGroup().id, namePrefix, environmentName), 5)
var names = {
  logAnalytics: 'log-${namePrefix}-${environmentName}-${suffix}'
  applicationInsights: 'appi-${namePrefix}-${environmentName}-${suffix}'
  storageAccount: toLower('st${namePrefix}${environmentName}${suffix}')
  serviceBus: 'sbns-${namePrefix}-${environmentName}-${suffix}'
  eventGrid: 'evgt-${namePrefix}-${environmentName}-${suffix}'
  keyVault: 'kv-${namePrefix}-${environmentName}-${suffix}'
  plan: 'plan-${namePrefix}-${environmentName}-${suffix}'
  functionApp: 'func-${namePrefix}-${environmentName}-${suffix}'
  virtualNetwork: 'vnet-${namePrefix}-${environmentName}-${suffix}'
}

// The key receipts are signed with, and the custom role that may only read and sign with it.
var receiptSigningKeyName = 'receipt-signing'
var receiptSignerRoleId = guid(resourceGroup().id, namePrefix, environmentName, 'receipt-signer')

var allTags = union(tags, {
  application: 'IntegrationHub'
  environment: environmentName
})

// The hub's containers (design: landing -> normalized | quarantine -> ledger -> datasets; audit: the ops audit
// log; usage: each department's pushed bytes per day; deliveries: what each subscriber was sent; webhook-deadletters:
// webhook events Event Grid gave up on) and the one Flex Consumption deploys the app package to.
var hubContainerNames = [
  'landing'
  'normalized'
  'quarantine'
  'ledger'
  'datasets'
  'audit'
  'usage'
  'deliveries'
  'webhook-deadletters'
]
var deploymentContainerName = 'app-package'

// Clients with their own credentials: the four departments (which the hub can also pull) and ops staff.
// `setting` is the segment in app setting names, `id` the one in URLs and Key Vault secret names.
var clients = [
  { setting: 'Statistics', id: 'statistics', pulled: true }
  { setting: 'PowerGrid', id: 'power-grid', pulled: true }
  { setting: 'Transport', id: 'transport', pulled: true }
  { setting: 'Environment', id: 'environment', pulled: true }
  { setting: 'Ops', id: 'ops', pulled: false }
]
var pulledClients = filter(clients, c => c.pulled)

// Secret names: access-<id>-primary / access-<id>-secondary (keys the hub accepts from a client; two so a key can be
// rotated without downtime) and pull-<id>-api-key (the key the hub presents to a department's API).
var secretNames = flatten(map(
  clients,
  c =>
    concat(
      [
        'access-${c.id}-primary'
        'access-${c.id}-secondary'
      ],
      c.pulled ? ['pull-${c.id}-api-key'] : []
    )
))

@description('App setting value that App Service resolves from Key Vault with the app\'s identity.')
func keyVaultReference(vaultName string, secretName string) string =>
  '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

module logAnalytics 'modules/operational-insights/workspace/main.bicep' = {
  params: {
    name: names.logAnalytics
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

module applicationInsights 'modules/insights/component/main.bicep' = {
  params: {
    name: names.applicationInsights
    location: location
    tags: allTags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: applicationInsightsDisableLocalAuth
  }
}

module network 'modules/network/virtual-network/main.bicep' = if (restrictNetworkAccess) {
  params: {
    name: names.virtualNetwork
    location: location
    tags: allTags
  }
}

// The app's subnet when the network is restricted, else empty (every module then admits every network). Computed
// from names, not taken from the module's output, so what-if and the snapshot can predict every rule.
var appSubnetId = restrictNetworkAccess ? resourceId('Microsoft.Network/virtualNetworks/subnets', names.virtualNetwork, 'app') : ''

module storage 'modules/storage/storage-account/main.bicep' = {
  params: {
    name: names.storageAccount
    location: location
    tags: allTags
    skuName: storageSkuName
    containerNames: concat(hubContainerNames, [deploymentContainerName])
    // The app only appends to the audit log: nobody, the app included, can rewrite or delete a line within the retention.
    appendOnlyContainers: [
      { name: 'audit', retentionDays: auditRetentionDays }
    ]
    // What the hub writes: a quarantined body is landing/{source}/{sha256}.json tagged state=Quarantined (FeedStore),
    // its report quarantine/{source}/{feedId}.json, each department's daily byte count usage/{day}/{source}.json.
    deleteRules: [
      {
        name: 'delete-quarantined-bodies'
        prefix: 'landing/'
        tag: { name: 'state', value: 'Quarantined' }
        days: quarantinedBodyRetentionDays
      }
      {
        name: 'delete-old-quarantine-reports'
        prefix: 'quarantine/'
        days: max(quarantineReportRetentionDays, quarantinedBodyRetentionDays)
      }
      {
        // Rewritten by every push of its day, so counted from the last write; the quota needs only today's.
        name: 'delete-old-daily-usage'
        prefix: 'usage/'
        days: 7
        sinceModification: true
      }
      {
        // One small blob per event sent to a subscriber: kept a year and more for ops to look back, then deleted.
        // Redelivery does not read them (it rebuilds from the stored versions).
        name: 'delete-old-deliveries'
        prefix: 'deliveries/'
        days: 400
      }
    ]
    blobSoftDeleteDays: storageSoftDeleteDays
    containerSoftDeleteDays: storageSoftDeleteDays
    previousVersionRetentionDays: storagePreviousVersionRetentionDays
    allowedSubnetId: appSubnetId
  }
  dependsOn: [
    network
  ]
}

module serviceBus 'modules/service-bus/namespace/main.bicep' = {
  params: {
    name: names.serviceBus
    location: location
    tags: allTags
    topicName: topicName
    duplicateDetectionHistoryTimeWindow: serviceBusDuplicateDetectionWindow
    subscribers: subscribers
    allowedSubnetId: appSubnetId
    allowedIpRanges: serviceBusAllowedIpRanges
  }
  dependsOn: [
    network
  ]
}

module eventGrid 'modules/event-grid/topic/main.bicep' = {
  params: {
    name: names.eventGrid
    location: location
    tags: allTags
    webhookSubscribers: webhookSubscribers
    deadLetterStorageAccountId: storage.outputs.resourceId
    deadLetterContainerName: 'webhook-deadletters'
  }
}

module keyVault 'modules/key-vault/vault/main.bicep' = {
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    enablePurgeProtection: keyVaultEnablePurgeProtection
    allowedSubnetId: appSubnetId
    allowedIpRanges: keyVaultAllowedIpRanges
  }
  dependsOn: [
    network
  ]
}

module receiptSigningKey 'modules/key-vault/key/main.bicep' = {
  params: {
    vaultName: names.keyVault
    name: receiptSigningKeyName
  }
  dependsOn: [
    keyVault
  ]
}

module receiptSignerRole 'modules/authorization/role-definition/main.bicep' = {
  params: {
    roleId: receiptSignerRoleId
    roleName: 'IntegrationHub receipt signer (${namePrefix}-${environmentName}, ${resourceGroup().name})'
  }
}

module functionApp 'modules/web/flex-function-app/main.bicep' = {
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    // azd finds the app to deploy the `hub` service of azure.yaml to by this tag.
    tags: union(allTags, { 'azd-service-name': 'hub' })
    deploymentStorageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentStorageContainerName: deploymentContainerName
    runtimeVersion: '10.0'
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    virtualNetworkSubnetId: appSubnetId
  }
  dependsOn: [
    network
  ]
}

// Blob index tags are outside Storage Blob Data Contributor (only Data Owner has them among the built-in roles): the
// app tags each landed body with its verdict (the retention rule above selects quarantined bodies by it), so it gets
// a role with the tag read and write data actions and nothing else, assignable in this resource group only.
resource blobTagsRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'integration-hub-blob-index-tags')
  properties: {
    roleName: 'IntegrationHub blob index tags (${names.storageAccount})'
    description: 'Read and write blob index tags: the hub tags each landed body with its verdict for the lifecycle rules.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

// Least privilege: each role is the smallest built-in role that does the job, on the narrowest scope that works.
var appPrincipalId = functionApp.outputs.principalId
var appRoleAssignments roleAssignmentType[] = concat(
  [
    {
      // Storage Blob Data Contributor on the account: the Functions host's keys, leases and timer state, Durable
      // Functions' large messages and partition leases, the deployment package Flex Consumption reads, and the hub's
      // containers (create, read, write, delete blobs and containers, leases). Data Owner would add POSIX ACL
      // management, which this account (no hierarchical namespace) has no use for, and blob index tags, which the
      // hub's own role below grants alone.
      scope: 'storageAccount'
      roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Functions host storage, deployment package, hub containers'
    }
    {
      // The hub's own role above: blob index tags only (the verdict tag of each landed body).
      scope: 'storageAccount'
      roleDefinitionId: blobTagsRole.name
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Tag landed bodies with their verdict for the quarantine retention'
    }
    {
      // Storage Queue Data Contributor on the account: Durable Functions' control and work-item queues
      // (the Azure Storage backend creates, reads and deletes queue messages).
      scope: 'storageAccount'
      roleDefinitionId: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Durable Functions queues'
    }
    {
      // Storage Table Data Contributor on the account: Durable Functions' history and instance tables.
      scope: 'storageAccount'
      roleDefinitionId: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Durable Functions tables and hub ledger tables'
    }
    {
      // Azure Service Bus Data Sender on the data-set topic only: the app announces new data-set versions; it
      // neither receives nor manages entities (subscriptions are defined here, from the subscribers file).
      scope: 'serviceBusTopic'
      roleDefinitionId: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Publish data-set update events'
    }
    {
      // EventGrid Data Sender on the webhook topic only: the app announces to webhook subscribers through it.
      scope: 'eventGridTopic'
      roleDefinitionId: 'd5a91429-5739-47e2-a06b-3470a27159e7'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Publish data-set update events to webhook subscribers'
    }
    {
      // Storage Blob Data Contributor on the account for the topic's identity: Event Grid writes undeliverable
      // events to the webhook-deadletters container with it.
      scope: 'storageAccount'
      roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
      principalId: eventGrid.outputs.principalId
      principalType: 'ServicePrincipal'
      description: 'Event Grid dead letters'
    }
    {
      // Key Vault Secrets User on the vault: App Service resolves the Access__* and Pull__*__ApiKey Key Vault
      // references with the app's identity (read secret values only; no listing of keys or certificates, no writes).
      scope: 'keyVault'
      roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6'
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Resolve Key Vault references of department credentials'
    }
    {
      // The receipt signer role (custom, defined above) on the receipt key only: read its public part and versions
      // and sign with it. Key Vault Crypto User would also allow encrypt, decrypt, wrap and unwrap, on every key.
      scope: 'receiptSigningKey'
      roleDefinitionId: receiptSignerRoleId
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Sign feed receipts with the receipt key (never leaves the vault)'
    }
  ],
  applicationInsightsDisableLocalAuth
    ? [
        {
          // Monitoring Metrics Publisher on the component: with local auth off, telemetry is accepted only from
          // identities holding this role (it allows sending telemetry, not reading it).
          scope: 'applicationInsights'
          roleDefinitionId: '3913510d-42f4-4e42-8a64-420c390055eb'
          principalId: appPrincipalId
          principalType: 'ServicePrincipal'
          description: 'Send telemetry with Microsoft Entra authentication'
        }
      ]
    : []
)

// Key Vault Secrets Officer on the vault for the people who set and rotate department keys (write secrets, no
// access to keys or certificates, no role management).
var officerRoleAssignments roleAssignmentType[] = map(secretsOfficers, officer => {
  scope: 'keyVault'
  roleDefinitionId: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  principalId: officer.principalId
  principalType: officer.principalType
  description: 'Set and rotate department credentials'
})

// Names are passed as values known before deployment (what-if can then predict these resources); dependsOn
// orders the module after the resources it assigns roles on (the storage account comes first anyway: the app,
// whose identity gets the roles, is deployed from it).
module roleAssignments 'modules/authorization/role-assignments/main.bicep' = {
  params: {
    storageAccountName: names.storageAccount
    serviceBusNamespaceName: names.serviceBus
    serviceBusTopicName: topicName
    eventGridTopicName: names.eventGrid
    keyVaultName: names.keyVault
    receiptSigningKeyName: receiptSigningKeyName
    applicationInsightsName: names.applicationInsights
    roleAssignments: concat(appRoleAssignments, officerRoleAssignments)
  }
  dependsOn: [
    serviceBus
    keyVault
    receiptSigningKey
    receiptSignerRole
    applicationInsights
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// App settings: names as the app's options classes bind them ("__" separates sections). No value is a secret:
// storage and Service Bus are reached with the identity, credentials are Key Vault references. Values use the
// names computed above where they can, so what-if and the compiled snapshot show them resolved.
// ---------------------------------------------------------------------------------------------------------------

var pullHosts = map(pulledClients, c => parseUri(pullSources[c.setting].baseUrl).host)

var coreSettings = {
  // Host storage and Durable Functions (task hub in the same account), identity-based.
  AzureWebJobsStorage__accountName: names.storageAccount
  DurableTaskHubName: durableTaskHubName
  // The hub's containers and tables, identity-based.
  HubStorage__serviceUri: storage.outputs.blobEndpoint
  HubStorage__queueServiceUri: storage.outputs.queueEndpoint
  // Data-set update announcements.
  Publishing__Mode: 'ServiceBus'
  Publishing__TopicName: topicName
  ServiceBus__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  // Webhook subscribers: the Event Grid topic (CloudEvents 1.0), identity-based.
  EventGrid__topicEndpoint: eventGrid.outputs.endpoint
  // Durable retry policy of an announcement: attempts (first included) and the first wait, doubling after.
  Publishing__RetryMaxAttempts: string(publishRetryMaxAttempts)
  Publishing__RetryFirstIntervalSeconds: string(publishRetryFirstIntervalSeconds)
  // The timer of the local webhook outbox: it has nothing to do in Azure, where Event Grid pushes to webhooks, but
  // the Functions host needs its schedule setting to index the function.
  WebhookDeliveryCron: '0 0 * * * *'
  // Intake limits.
  Intake__MaxFeedBytes: string(intakeMaxFeedBytes)
  Intake__MaxDepth: string(intakeMaxDepth)
  // Schema evolution gate: stored feeds replayed after start-up.
  SchemaGate__StoredFeedSample: string(schemaGateStoredFeedSample)
  // Per-principal rate limits of pushes and of the ops key.
  Access__RateLimit__PushPermitsPerMinute: string(accessPushPermitsPerMinute)
  Access__RateLimit__OpsPermitsPerMinute: string(accessOpsPermitsPerMinute)
  // Ops sign in with Entra ID (tokens checked in the app against the tenant's metadata); the ops key is refused here
  // unless allowed. An empty metadata address means the tenant's own v2.0 document under the cloud's login endpoint.
  Access__Entra__TenantId: opsSignInTenantId
  Access__Entra__Audience: opsSignInAudience
  Access__Entra__Instance: environment().authentication.loginEndpoint
  Access__Entra__MetadataAddress: ''
  // The ops console signs people in with MSAL.js against the same tenant (GET /api/console/sign-in tells it how).
  Access__Entra__ConsoleClientId: opsConsoleClientId
  Access__Entra__Scope: opsSignInScope
  Access__AllowOpsKeyInAzure: string(accessAllowOpsKeyInAzure)
  // The ops surface answers only these networks (the app judges the caller's address as the platform passes it).
  Access__Ops__AllowedNetworks: join(opsAllowedNetworks, ',')
  // Fair use: a department's burst and its pushes in progress (whole-app figures: docs/reliability.md).
  Access__RateLimit__PushBurst: string(accessPushBurst)
  Access__RateLimit__MaxConcurrentPushes: string(accessMaxConcurrentPushes)
  // Bounded storage: a department's pushed bytes per UTC day.
  Access__Quota__DailyPushBytes: string(accessDailyPushBytes)
  // Hosts the pull client may call (comma-separated): the pull base URLs' hosts plus any extra ones.
  Pull__AllowedHosts: join(union(pullHosts, pullExtraAllowedHosts), ',')
  // Department APIs are public: a pull never connects to a loopback or private-network address in Azure.
  Pull__AllowPrivateNetworks: 'false'
  // Pulls use https; only these hosts may be pulled over plain http (none unless a parameter file names one).
  Pull__AllowHttpHosts: join(pullAllowHttpHosts, ',')
  // Durable retry policy of a pull: attempts (first included) and the first wait, doubling after.
  Pull__RetryMaxAttempts: string(pullRetryMaxAttempts)
  Pull__RetryFirstIntervalSeconds: string(pullRetryFirstIntervalSeconds)
  // Flat name, like PullCron<Department>: the late-feed check's timer resolves %SupplyLateCheckCron%.
  SupplyLateCheckCron: supplyLateCheckCron
  // Receipts: signed in Key Vault with the receipt key's current version; the hub names itself by its URL.
  Receipts__KeyId: 'https://${names.keyVault}${environment().suffixes.keyvaultDns}/keys/${receiptSigningKeyName}'
  Receipts__Issuer: 'https://${functionApp.outputs.defaultHostName}'
  // Telemetry. The connection string is an address; with local auth off it is not a credential.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.outputs.connectionString
}

var telemetryAuthSettings = applicationInsightsDisableLocalAuth
  ? { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' }
  : {}

// Access__<Client>__Primary / __Secondary for every client.
var accessSettings = reduce(
  clients,
  {},
  (settings, c) =>
    union(settings, {
      'Access__${c.setting}__Primary': keyVaultReference(names.keyVault, 'access-${c.id}-primary')
      'Access__${c.setting}__Secondary': keyVaultReference(names.keyVault, 'access-${c.id}-secondary')
    })
)

// Pull__<Department>__BaseUrl / PathTemplate / TimeoutSeconds / ApiKey and PullCron<Department> for every pulled department.
var pullSettings = reduce(
  pulledClients,
  {},
  (settings, c) =>
    union(settings, {
      'Pull__${c.setting}__BaseUrl': pullSources[c.setting].baseUrl
      'Pull__${c.setting}__PathTemplate': pullSources[c.setting].pathTemplate
      // Flat name: the Functions host resolves %PullCron<Department>% in the timer trigger; nested names are unreliable there.
      'PullCron${c.setting}': pullSources[c.setting].cron
      'Pull__${c.setting}__TimeoutSeconds': string(pullSources[c.setting].timeoutSeconds)
      'Pull__${c.setting}__ApiKey': keyVaultReference(names.keyVault, 'pull-${c.id}-api-key')
    })
)

module appSettings 'modules/web/site-app-settings/main.bicep' = {
  params: {
    siteName: names.functionApp
    appSettings: union(coreSettings, telemetryAuthSettings, accessSettings, pullSettings)
  }
  // Written after the identity holds its roles, so the restart this causes finds storage, Service Bus and the
  // vault readable (Key Vault references are resolved at that point).
  // The app itself comes first through the issuer setting, which reads its host name.
  dependsOn: [
    roleAssignments
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (UPPER_CASE: azd stores them as environment variables of the azd environment)
// ---------------------------------------------------------------------------------------------------------------

@description('Base URL of the hub\'s HTTP API (routes are under /api).')
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Name of the Function App.')
output FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Resource id of the Function App.')
output FUNCTION_APP_RESOURCE_ID string = functionApp.outputs.resourceId

@description('Name of the storage account (host storage, task hub, hub containers).')
output STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Name of the Service Bus namespace.')
output SERVICE_BUS_NAMESPACE_NAME string = serviceBus.outputs.name

@description('Name of the data-set topic.')
output SERVICE_BUS_TOPIC_NAME string = serviceBus.outputs.topicName

@description('Names of the topic\'s subscriptions, one per subscriber.')
output SERVICE_BUS_SUBSCRIPTION_NAMES string[] = map(subscribers, s => s.name)

@description('Name of the Key Vault holding department credentials.')
output KEY_VAULT_NAME string = keyVault.outputs.name

@description('Key Vault key (without a version) receipts are signed with; its public keys are served at /api/receipts/keys.')
output RECEIPT_SIGNING_KEY_ID string = receiptSigningKey.outputs.keyUri

@description('Names of the secrets the app settings reference, space-separated (the secret values are set outside the template).')
output KEY_VAULT_SECRET_NAMES string = join(secretNames, ' ')

@description('Name of the Application Insights component.')
output APPLICATION_INSIGHTS_NAME string = applicationInsights.outputs.name

@description('Name of the Log Analytics workspace.')
output LOG_ANALYTICS_WORKSPACE_NAME string = logAnalytics.outputs.name

@description('Names of the app settings the template writes.')
output APP_SETTING_NAMES string[] = appSettings.outputs.names
