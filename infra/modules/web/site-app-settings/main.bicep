metadata name = 'Function App settings'
metadata description = 'Writes the complete app settings of an existing site. Kept apart from the site so it can run after the role assignments of the site\'s identity: the host then starts with storage, Service Bus and Key Vault access in place.'

@description('Required. Name of the existing site.')
param siteName string

@description('Required. Every app setting of the site (the set replaces what is there). Values are addresses, names and Key Vault references, never secrets.')
param appSettings {
  @description('Setting name and value.')
  *: string
}

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: siteName
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

@description('Names of the settings written.')
output names string[] = objectKeys(appSettings)
