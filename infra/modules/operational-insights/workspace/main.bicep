metadata name = 'Log Analytics workspace'
metadata description = 'The workspace Application Insights writes to (workspace-based Application Insights).'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the workspace.')
@minLength(4)
@maxLength(63)
param name string

@description('Required. Location of the workspace.')
param location string

@description('Optional. Tags of the workspace.')
param tags tagsType = {}

@description('Optional. Days data is kept (30 is included in the ingestion price).')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Daily ingestion cap in GB; -1 for none. A cap bounds the bill of a chatty dev environment.')
param dailyQuotaGb int = -1

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      // Access to rows follows Azure RBAC on the resources that sent them, not only on the workspace.
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Name of the workspace.')
output name string = workspace.name

@description('Resource id of the workspace.')
output resourceId string = workspace.id
