metadata name = 'Key Vault'
metadata description = 'Vault in Azure RBAC mode for the department credentials the app reads through Key Vault references.'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the vault: 3-24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Location of the vault.')
param location string

@description('Optional. Tags of the vault.')
param tags tagsType = {}

@description('Optional. Days a deleted secret or vault can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Optional. Forbid purging deleted secrets before the retention ends. Cannot be turned off again once on.')
param enablePurgeProtection bool = true

@description('Optional. Subnet whose traffic alone the vault admits (service endpoint), besides allowedIpRanges; empty: every network.')
param allowedSubnetId string = ''

@description('Optional. Public address ranges (CIDR) also admitted when allowedSubnetId is set: where the people who set department keys work.')
param allowedIpRanges string[] = []

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC instead of access policies: who may read secrets is a role assignment, reviewed like any other.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service accepts only true or absent.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForTemplateDeployment: false
    enabledForDiskEncryption: false
    // Without a subnet (dev) Key Vault references are resolved over the public endpoint from the platform's addresses,
    // so every network may try (RBAC still decides); with one (prod) only the app's subnet and the officers' ranges.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: empty(allowedSubnetId) ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: empty(allowedSubnetId) ? [] : [
        {
          id: allowedSubnetId
          ignoreMissingVnetServiceEndpoint: false
        }
      ]
      ipRules: empty(allowedSubnetId) ? [] : map(allowedIpRanges, range => { value: range })
    }
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Resource id of the vault.')
output resourceId string = vault.id

@description('URI of the vault.')
output uri string = vault.properties.vaultUri
