metadata name = 'Storage account'
metadata description = 'General-purpose v2 account reached only with Microsoft Entra identities: shared keys and anonymous blob access off, blob versioning and soft delete on.'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the account: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Location of the account.')
param location string

@description('Optional. Tags of the account.')
param tags tagsType = {}

@description('Optional. Redundancy. ZRS keeps a copy in three zones of the region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Required. Blob containers to create (all private).')
param containerNames string[]

@description('Optional. Subnet whose traffic alone the account admits (service endpoint); empty: every network may try (identity is still required).')
param allowedSubnetId string = ''

@description('Optional. Days a deleted blob (or overwritten version) can be restored.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 14

@description('Optional. Days a deleted container can be restored.')
@minValue(1)
@maxValue(365)
param containerSoftDeleteDays int = 14

@description('Optional. Containers kept write-once for a number of days (time-based retention), new blocks of append blobs still allowed (protected append writes): e.g. an audit log.')
param appendOnlyContainers {
  @description('Name of the container; must be one of containerNames.')
  name: string

  @description('Days each blob stays undeletable and unmodifiable after it was created.')
  @minValue(1)
  @maxValue(146000)
  retentionDays: int
}[] = []

@description('Optional. Days a previous blob version is kept before the lifecycle policy deletes it.')
@minValue(1)
param previousVersionRetentionDays int = 30

@description('Optional. Block blobs the lifecycle policy deletes a number of days after they were created (or last modified), chosen by name prefix and, optionally, a blob index tag.')
param deleteRules {
  @description('Name of the lifecycle rule.')
  name: string

  @description('Prefix of the blobs, starting with the container: `landing/`.')
  prefix: string

  @description('Optional. Only blobs carrying this blob index tag with this value.')
  tag: {
    name: string
    value: string
  }?

  @description('Days after creation (or after the last modification, with sinceModification) before the blob is deleted.')
  @minValue(1)
  days: int

  @description('Optional. Count the days from the last modification instead of the creation (for blobs rewritten in place).')
  sinceModification: bool?
}[] = []

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    // Identity only: no account keys, no SAS signed with them, no anonymous reads.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    // Without a subnet (dev) the app reaches storage over the public endpoint from addresses it does not own, so the
    // account admits every network and relies on identity alone; with one (prod) it admits that subnet only.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: empty(allowedSubnetId) ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: empty(allowedSubnetId) ? [] : [
        {
          id: allowedSubnetId
          action: 'Allow'
        }
      ]
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    // Landing blobs and data-set versions are meant to be written once: versions keep what an overwrite replaced.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: containerSoftDeleteDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

// Left unlocked: a locked policy can never be shortened or removed, so locking is a deliberate step by hand once the
// retention is agreed (infra/README.md). Unlocked, it already refuses every delete and overwrite of a line.
resource appendOnly 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-06-01' = [
  for container in appendOnlyContainers: {
    name: 'default'
    parent: containers[indexOf(containerNames, container.name)]
    properties: {
      immutabilityPeriodSinceCreationInDays: container.retentionDays
      allowProtectedAppendWrites: true
    }
  }
]

// The Functions host and Durable Functions rewrite small blobs (leases, timer status) all day; without a policy
// their versions would pile up for ever. The delete rules bound what the caller keeps only for a while.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: concat([
        {
          name: 'delete-old-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionRetentionDays
                }
              }
            }
          }
        }
      ],
      map(deleteRules, rule => {
        name: rule.name
        enabled: true
        type: 'Lifecycle'
        definition: {
          filters: union(
            {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                rule.prefix
              ]
            },
            rule.?tag == null
              ? {}
              : {
                  blobIndexMatch: [
                    {
                      name: rule.tag!.name
                      op: '=='
                      value: rule.tag!.value
                    }
                  ]
                }
          )
          actions: {
            baseBlob: {
              delete: (rule.?sinceModification ?? false)
                ? { daysAfterModificationGreaterThan: rule.days }
                : { daysAfterCreationGreaterThan: rule.days }
            }
          }
        }
      }))
    }
  }
}

@description('Name of the account.')
output name string = account.name

@description('Resource id of the account.')
output resourceId string = account.id

@description('Blob service endpoint, with a trailing slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue service endpoint, with a trailing slash.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table service endpoint, with a trailing slash.')
output tableEndpoint string = account.properties.primaryEndpoints.table
