// Test fixture, never deployed: the module with three webhook subscribers asking for data sets, feed-late or both,
// which the subscribers file does not have yet. infra/check.sh snapshots it; Infra.Tests (EventGridTests) reads it.
using 'main.bicep'

param name = 'evgt-fixture'
param location = 'eastasia'
param deadLetterStorageAccountId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixture/providers/Microsoft.Storage/storageAccounts/stfixture'
param deadLetterContainerName = 'webhook-deadletters'
param webhookSubscribers = [
  {
    name: 'quarter-carbon-desk'
    url: 'https://desk.example.org/events'
    periodKinds: ['quarter']
    areas: ['430104']
    indicatorPrefixes: ['carbon.']
    eventTypes: ['dataset-published']
  }
  {
    name: 'supply-office'
    url: 'https://supply.example.org/late'
    periodKinds: []
    areas: []
    indicatorPrefixes: []
    eventTypes: ['feed-late']
  }
  {
    name: 'annual-and-late'
    url: 'https://annual.example.org/hub'
    periodKinds: ['year']
    areas: []
    indicatorPrefixes: []
    eventTypes: ['dataset-published', 'feed-late']
  }
]
