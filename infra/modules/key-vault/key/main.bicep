metadata name = 'Key Vault key'
metadata description = 'The EC P-256 key the app signs receipts with (ES256). Created in the vault and never exportable: the app asks the vault to sign, and reads only the public part.'

@description('Required. Name of the vault the key lives in.')
param vaultName string

@description('Required. Name of the key: 1-127 letters, digits and hyphens.')
@minLength(1)
@maxLength(127)
param name string

@description('Optional. How long after its creation a key version is replaced by a new one (ISO 8601 duration).')
param rotateAfter string = 'P1Y'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: vaultName
}

resource key 'Microsoft.KeyVault/vaults/keys@2025-05-01' = {
  parent: vault
  name: name
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    // Sign only (verify for completeness); no encrypt, wrap or export.
    keyOps: [
      'sign'
      'verify'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
    // A new version signs from then on; older versions stay enabled so the receipts they signed keep verifying
    // (the app publishes every enabled version at GET /api/receipts/keys).
    rotationPolicy: {
      lifetimeActions: [
        {
          action: {
            type: 'rotate'
          }
          trigger: {
            timeAfterCreate: rotateAfter
          }
        }
      ]
    }
  }
}

@description('Name of the key.')
output name string = key.name

@description('Resource id of the key.')
output resourceId string = key.id

@description('URI of the key without a version: its current version signs.')
output keyUri string = key.properties.keyUri
