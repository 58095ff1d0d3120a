metadata name = 'Event Grid topic for webhook subscribers'
metadata description = 'A topic taking CloudEvents 1.0 with local auth off, and per webhook subscriber one event subscription per event type it asks for (data sets with its filter as advanced filters, feed-late by type; retries, dead-lettering to a storage container) plus one for redeliveries addressed to it.'

import { tagsType, webhookSubscriberType } from '../../../types.bicep'

@description('Required. Name of the topic: 3-50 characters, unique in the region.')
@minLength(3)
@maxLength(50)
param name string

@description('Required. Location of the topic.')
param location string

@description('Optional. Tags of the topic.')
param tags tagsType = {}

@description('Required. The subscribers of the subscribers file that declare a webhook.')
param webhookSubscribers webhookSubscriberType[]

@description('Required. Resource id of the storage account undeliverable events are written to.')
param deadLetterStorageAccountId string

@description('Required. Container of that account for undeliverable events.')
param deadLetterContainerName string

@description('Optional. Delivery attempts before an event is dead-lettered (Event Grid allows 1-30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Optional. Minutes an event is retried before it is dead-lettered (Event Grid allows up to 1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    // Writes dead letters with its own identity (granted Storage Blob Data Contributor by the caller).
    type: 'SystemAssigned'
  }
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    // No access keys: the app publishes with its managed identity (EventGrid Data Sender).
    disableLocalAuth: true
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// The CloudEvents type of each event name of the subscribers file (DatasetPublishedEvent, FeedLateEvent).
var cloudEventTypes = {
  'dataset-published': 'cn.xiangjiang.dualcarbon.dataset.published'
  'feed-late': 'cn.xiangjiang.dualcarbon.feed.late'
}

// The same meaning as the subscribers' SQL rules (SubscriptionFilter.RuleSql): data sets by type and filter (fields
// AND, values of one field OR), feed-late by type alone, each only for a subscriber whose eventTypes asks for it. The
// app sets the extension attributes periodkind, areas and indicators (lists as ",a,b,") on every data-set event.
var dataSets = map(filter(webhookSubscribers, s => contains(s.eventTypes, 'dataset-published')), s => {
  name: s.name
  endpointUrl: s.url
  includedEventTypes: [cloudEventTypes['dataset-published']]
  advancedFilters: concat(
    [
      {
        operatorType: 'IsNullOrUndefined'
        key: 'redeliverto'
      }
    ],
    empty(s.periodKinds)
      ? []
      : [
          {
            operatorType: 'StringIn'
            key: 'periodkind'
            values: s.periodKinds
          }
        ],
    empty(s.areas)
      ? []
      : [
          {
            operatorType: 'StringContains'
            key: 'areas'
            values: map(s.areas, a => ',${a},')
          }
        ],
    empty(s.indicatorPrefixes)
      ? []
      : [
          {
            operatorType: 'StringContains'
            key: 'indicators'
            values: map(s.indicatorPrefixes, p => ',${p}')
          }
        ]
  )
})

// A feed-late event has no routing attributes: a data-set filter would refuse it, so it has a subscription of its own.
var lateFeeds = map(filter(webhookSubscribers, s => contains(s.eventTypes, 'feed-late')), s => {
  name: '${s.name}-feed-late'
  endpointUrl: s.url
  includedEventTypes: [cloudEventTypes['feed-late']]
  advancedFilters: [
    {
      operatorType: 'IsNullOrUndefined'
      key: 'redeliverto'
    }
  ]
})

// Event Grid ANDs advanced filters, so "or a redelivery for me" is another subscription to the same endpoint.
var redeliveries = map(webhookSubscribers, s => {
  name: '${s.name}-redelivery'
  endpointUrl: s.url
  includedEventTypes: map(s.eventTypes, t => cloudEventTypes[t])
  advancedFilters: [
    {
      operatorType: 'StringIn'
      key: 'redeliverto'
      values: [
        s.name
      ]
    }
  ]
})

resource subscriptions 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = [
  for subscription in concat(dataSets, lateFeeds, redeliveries): {
    parent: topic
    name: subscription.name
    properties: {
      eventDeliverySchema: 'CloudEventSchemaV1_0'
      destination: {
        endpointType: 'WebHook'
        properties: {
          // Not a secret here: the URL is reference data (the subscribers file), with no key in it.
          #disable-next-line use-secure-value-for-secure-inputs
          endpointUrl: subscription.endpointUrl
        }
      }
      filter: {
        includedEventTypes: subscription.includedEventTypes
        advancedFilters: subscription.advancedFilters
      }
      retryPolicy: {
        maxDeliveryAttempts: maxDeliveryAttempts
        eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
      }
      deadLetterWithResourceIdentity: {
        identity: {
          type: 'SystemAssigned'
        }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: {
            resourceId: deadLetterStorageAccountId
            blobContainerName: deadLetterContainerName
          }
        }
      }
    }
  }
]

@description('Name of the topic.')
output name string = topic.name

@description('Resource id of the topic.')
output resourceId string = topic.id

@description('Where the app publishes (what EventGrid__topicEndpoint expects).')
output endpoint string = topic.properties.endpoint

@description('Principal id of the topic\'s identity, which writes dead letters.')
output principalId string = topic.identity.principalId
