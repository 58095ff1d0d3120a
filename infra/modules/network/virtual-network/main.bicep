metadata name = 'Virtual network of the app'
metadata description = 'One virtual network with the subnet the Function App integrates with (delegated to Microsoft.App/environments, as Flex Consumption requires), with service endpoints so storage, Key Vault and Service Bus can admit this subnet alone.'

import { tagsType } from '../../../types.bicep'

@description('Required. Name of the virtual network.')
param name string

@description('Required. Location of the network.')
param location string

@description('Optional. Tags of the network.')
param tags tagsType = {}

@description('Optional. Address space of the network.')
param addressPrefix string = '10.40.0.0/16'

@description('Optional. Address range of the app\'s subnet: one address per instance, so /24 serves the 100-instance ceiling with room.')
param appSubnetPrefix string = '10.40.0.0/24'

resource network 'Microsoft.Network/virtualNetworks@2024-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          serviceEndpoints: [
            { service: 'Microsoft.Storage' }
            { service: 'Microsoft.KeyVault' }
            { service: 'Microsoft.ServiceBus' }
          ]
        }
      }
    ]
  }
}

@description('Resource id of the app\'s subnet.')
output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', network.name, 'app')
