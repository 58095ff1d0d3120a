metadata name = 'Function App on the Flex Consumption plan'
metadata description = 'Linux Flex Consumption plan and .NET isolated Function App with a system-assigned identity, deployed from a blob container it reads with that identity. App settings are applied separately (see site-app-settings), after the identity has its roles.'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the Function App (globally unique host name).')
@minLength(2)
@maxLength(60)
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Location of the plan and the app.')
param location string

@description('Optional. Tags of the plan and the app.')
param tags tagsType = {}

@description('Required. Blob service endpoint of the storage account holding the deployment package (with trailing slash).')
param deploymentStorageBlobEndpoint string

@description('Required. Container the deployment package is uploaded to.')
param deploymentStorageContainerName string

@description('Optional. Worker runtime version (.NET isolated).')
param runtimeVersion string = '10.0'

@description('Optional. Upper bound of instances the platform may scale out to (bounds the bill too).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Memory of one instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Subnet (delegated to Microsoft.App/environments) the app sends its outbound traffic through; empty: none.')
param virtualNetworkSubnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Outbound through the app's subnet, so storage, Key Vault and Service Bus can admit that subnet alone.
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    // Key Vault references too are resolved through it: the vault admits that subnet alone.
    outboundVnetRouting: empty(virtualNetworkSubnetId)
      ? null
      : {
          allTraffic: true
        }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentStorageBlobEndpoint}${deploymentStorageContainerName}'
          authentication: {
            // The package is read with the app's own identity: no storage key or SAS in the app's configuration.
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }
}

// Deployments go through Microsoft Entra (azd, az CLI); FTP and SCM user/password publishing stay off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the Function App.')
output name string = site.name

@description('Resource id of the Function App.')
output resourceId string = site.id

@description('Default host name of the Function App.')
output defaultHostName string = site.properties.defaultHostName

@description('Object id of the app\'s system-assigned identity.')
output principalId string = site.identity.principalId
