metadata name = 'Role assignments'
metadata description = 'Creates role assignments given as data, each scoped to one of the hub\'s resources. A separate module so the identities (created with the app) and the resources they need can be deployed before it.'

import { roleAssignmentType } from '../../../types.bicep'

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Required. Name of the data-set topic.')
param serviceBusTopicName string

@description('Required. Name of the Event Grid topic of webhook subscribers.')
param eventGridTopicName string

@description('Required. Name of the Key Vault.')
param keyVaultName string

@description('Required. Name of the key receipts are signed with, in that vault.')
param receiptSigningKeyName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. The role assignments.')
param roleAssignments roleAssignmentType[]

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource serviceBusNamespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource topic 'topics' existing = {
    name: serviceBusTopicName
  }
}

resource eventGridTopic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: eventGridTopicName
}

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName

  resource receiptSigningKey 'keys' existing = {
    name: receiptSigningKeyName
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var storageAccountAssignments = filter(roleAssignments, ra => ra.scope == 'storageAccount')
var serviceBusTopicAssignments = filter(roleAssignments, ra => ra.scope == 'serviceBusTopic')
var eventGridTopicAssignments = filter(roleAssignments, ra => ra.scope == 'eventGridTopic')
var keyVaultAssignments = filter(roleAssignments, ra => ra.scope == 'keyVault')
var receiptSigningKeyAssignments = filter(roleAssignments, ra => ra.scope == 'receiptSigningKey')
var applicationInsightsAssignments = filter(roleAssignments, ra => ra.scope == 'applicationInsights')

resource storageAccountRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in storageAccountAssignments: {
    name: guid(storageAccount.id, ra.principalId, ra.roleDefinitionId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

resource serviceBusTopicRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in serviceBusTopicAssignments: {
    name: guid(serviceBusNamespace::topic.id, ra.principalId, ra.roleDefinitionId)
    scope: serviceBusNamespace::topic
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

resource eventGridTopicRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in eventGridTopicAssignments: {
    name: guid(eventGridTopic.id, ra.principalId, ra.roleDefinitionId)
    scope: eventGridTopic
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in keyVaultAssignments: {
    name: guid(keyVault.id, ra.principalId, ra.roleDefinitionId)
    scope: keyVault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

resource receiptSigningKeyRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in receiptSigningKeyAssignments: {
    name: guid(keyVault::receiptSigningKey.id, ra.principalId, ra.roleDefinitionId)
    scope: keyVault::receiptSigningKey
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

resource applicationInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for ra in applicationInsightsAssignments: {
    name: guid(applicationInsights.id, ra.principalId, ra.roleDefinitionId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ra.roleDefinitionId)
      principalId: ra.principalId
      principalType: ra.principalType
      description: ra.description
    }
  }
]

@description('Number of role assignments created.')
output count int = length(storageAccountRoles) + length(serviceBusTopicRoles) + length(eventGridTopicRoles) + length(keyVaultRoles) + length(receiptSigningKeyRoles) + length(applicationInsightsRoles)
