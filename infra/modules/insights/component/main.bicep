metadata name = 'Application Insights component'
metadata description = 'Workspace-based Application Insights; local (instrumentation-key) authentication off by default.'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the component.')
param name string

@description('Required. Location of the component.')
param location string

@description('Optional. Tags of the component.')
param tags tagsType = {}

@description('Required. Resource id of the Log Analytics workspace that stores the telemetry.')
param workspaceResourceId string

@description('Optional. Accept only Microsoft Entra authenticated telemetry. The connection string then carries no usable credential; senders need Monitoring Metrics Publisher.')
param disableLocalAuth bool = true

resource component 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceResourceId
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Name of the component.')
output name string = component.name

@description('Resource id of the component.')
output resourceId string = component.id

@description('Connection string (ingestion endpoint and instrumentation key: an address, not a credential when local auth is off).')
output connectionString string = component.properties.ConnectionString
