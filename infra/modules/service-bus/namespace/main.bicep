metadata name = 'Service Bus namespace with the data-set topic'
metadata description = 'Standard namespace (topics need it) with SAS-key authentication off, one topic with duplicate detection, and one filtered subscription per subscriber.'

import { tagsType, subscriberType } from '../../../types.bicep'

@description('Required. Name of the namespace: 6-50 characters, globally unique.')
@minLength(6)
@maxLength(50)
param name string

@description('Required. Location of the namespace.')
param location string

@description('Optional. Tags of the namespace.')
param tags tagsType = {}

@description('Required. Name of the topic data-set updates are announced on.')
param topicName string

@description('Optional. Window (ISO 8601 duration) in which a message with an already seen MessageId is dropped. The app sets MessageId from the data-set version, so a retried publish is not announced twice.')
param duplicateDetectionHistoryTimeWindow string = 'P1D'

@description('Optional. Time to live of an announcement nobody received (ISO 8601 duration).')
param defaultMessageTimeToLive string = 'P14D'

@description('Required. One subscription per subscriber, each with its SQL filter.')
param subscribers subscriberType[]

@description('Optional. Subnet whose traffic alone the namespace admits, besides allowedIpRanges; empty: every network. Needs the Premium tier (virtual network rules are a Premium feature).')
param allowedSubnetId string = ''

@description('Optional. Public address ranges (CIDR) also admitted when allowedSubnetId is set: the subscribers\' egress addresses.')
param allowedIpRanges string[] = []

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: empty(allowedSubnetId)
    ? {
        name: 'Standard'
        tier: 'Standard'
      }
    : {
        name: 'Premium'
        tier: 'Premium'
        capacity: 1
      }
  properties: {
    // No SAS keys: senders and receivers authenticate with Microsoft Entra and Azure RBAC.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource networkRules 'Microsoft.ServiceBus/namespaces/networkRuleSets@2024-01-01' = if (!empty(allowedSubnetId)) {
  parent: namespace
  name: 'default'
  properties: {
    publicNetworkAccess: 'Enabled'
    defaultAction: 'Deny'
    trustedServiceAccessEnabled: true
    virtualNetworkRules: [
      {
        subnet: {
          id: allowedSubnetId
        }
        ignoreMissingVnetServiceEndpoint: false
      }
    ]
    ipRules: map(allowedIpRanges, range => {
      ipMask: range
      action: 'Allow'
    })
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionHistoryTimeWindow
    defaultMessageTimeToLive: defaultMessageTimeToLive
    enableBatchedOperations: true
    supportOrdering: true
    maxSizeInMegabytes: 1024
  }
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for subscriber in subscribers: {
    parent: topic
    name: subscriber.name
    properties: {
      lockDuration: 'PT1M'
      maxDeliveryCount: 10
      defaultMessageTimeToLive: defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      enableBatchedOperations: true
    }
  }
]

// Every new subscription gets an implicit rule named $Default with a TrueFilter, and Resource Manager leaves it in
// place when another rule is added: a rule named 'filter' would sit beside a catch-all and filter nothing. So the
// subscriber's filter is written into $Default itself. An empty filter in the subscribers file means "everything".
resource filters 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [
  for (subscriber, i) in subscribers: {
    parent: subscriptions[i]
    name: '$Default'
    properties: {
      filterType: 'SqlFilter'
      sqlFilter: {
        sqlExpression: empty(subscriber.sqlFilter) ? '1=1' : subscriber.sqlFilter
      }
    }
  }
]

@description('Name of the namespace.')
output name string = namespace.name

@description('Resource id of the namespace.')
output resourceId string = namespace.id

@description('Host name of the namespace (what ServiceBus__fullyQualifiedNamespace expects), taken from the endpoint so it is right in every cloud.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '://')[1], ':')[0]

@description('Name of the topic.')
output topicName string = topic.name
