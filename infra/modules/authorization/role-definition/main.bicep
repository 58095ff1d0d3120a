metadata name = 'Receipt signer role'
metadata description = 'A custom role narrower than Key Vault Crypto User: read a key\'s public part and versions, and sign with it. Nothing else (no encrypt, decrypt, wrap, unwrap, create, delete or rotate).'

@description('Required. Role definition name (a GUID), stable for the deployment.')
param roleId string

@description('Required. Display name of the role, unique in the tenant.')
param roleName string

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: roleId
  properties: {
    roleName: roleName
    description: 'Read the public part and versions of a Key Vault key and sign with it (IntegrationHub receipts).'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/keys/read'
          'Microsoft.KeyVault/vaults/keys/sign/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

@description('Role definition name (the GUID that role assignments name).')
output roleId string = role.name
