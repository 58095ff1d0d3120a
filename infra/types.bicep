// Types shared by main.bicep, its modules and the parameter files (compile-time imports, nothing is deployed).

@export()
@description('Tags put on every resource.')
type tagsType = {
  @description('Tag name and value.')
  *: string
}

@export()
@description('How the hub pulls one department\'s API (becomes the Pull__<Department>__* app settings).')
type pullSourceType = {
  @description('Base URL of the department API, https only. Its host is added to Pull__AllowedHosts.')
  baseUrl: string

  @description('Path under the base URL; the app substitutes {period}.')
  pathTemplate: string

  @description('NCRONTAB (six fields, UTC) of the pull timer.')
  cron: string

  @description('Timeout of one pull request, in seconds.')
  @minValue(1)
  @maxValue(600)
  timeoutSeconds: int
}

@export()
@description('The four pulled departments. Property names are the department segment of the app setting names.')
type pullSourcesType = {
  @description('统计局: statistics bureau.')
  Statistics: pullSourceType

  @description('电网: power grid.')
  PowerGrid: pullSourceType

  @description('交通: transport.')
  Transport: pullSourceType

  @description('生态环境: environment.')
  Environment: pullSourceType
}

@export()
@description('One subscriber of the data-set topic, as declared in the subscribers file the app reads.')
type subscriberType = {
  @description('Subscription name: lowercase letters, digits and hyphens, at most 50 characters.')
  @maxLength(50)
  name: string

  @description('SQL filter over the event\'s application properties; empty means every event (1=1).')
  sqlFilter: string
}

@export()
@description('A subscriber that takes its events by webhook (through Event Grid), with its filter.')
type webhookSubscriberType = {
  @description('Subscriber name: lowercase letters, digits and hyphens, at most 50 characters.')
  @maxLength(50)
  name: string

  @description('The https endpoint events are POSTed to (it must answer Event Grid\'s validation handshake).')
  url: string

  @description('year and/or quarter; empty: every period kind.')
  periodKinds: string[]

  @description('Area codes, any of which an event must touch; empty: every area.')
  areas: string[]

  @description('Indicator id prefixes, any of which a changed indicator must start with; empty: every indicator.')
  indicatorPrefixes: string[]

  @description('The events it asks for (the subscribers file\'s eventTypes): dataset-published and/or feed-late.')
  eventTypes: ('dataset-published' | 'feed-late')[]
}

@export()
@description('The resources a role assignment can be scoped to, each the narrowest that still works.')
type roleScopeType = 'storageAccount' | 'serviceBusTopic' | 'eventGridTopic' | 'keyVault' | 'receiptSigningKey' | 'applicationInsights'

@export()
@description('One role assignment, as data: who gets which role where, and why.')
type roleAssignmentType = {
  @description('Resource the role is scoped to.')
  scope: roleScopeType

  @description('Role definition id (a GUID): a built-in role, or the receipt signer role this template defines.')
  roleDefinitionId: string

  @description('Object id of the principal.')
  principalId: string

  @description('Kind of principal.')
  principalType: 'ServicePrincipal' | 'User' | 'Group'

  @description('Why the principal needs this role; stored on the assignment, so the portal shows it too.')
  description: string
}
