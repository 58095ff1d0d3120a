using IntegrationHub.Core.Receipts;

namespace IntegrationHub.Functions.Receipts;

/// <summary>The key receipts are signed with (ES256): a local file, or a Key Vault key that never leaves the vault.</summary>
public interface IReceiptKey
{
    /// <summary>The <c>kid</c> of the key version that signs now, as the key set names it.</summary>
    Task<string> CurrentKidAsync(CancellationToken cancellationToken);

    /// <summary>The ES256 signature (r||s, 64 bytes) of <paramref name="signingInput"/> by the version <paramref name="kid"/>.</summary>
    Task<byte[]> SignAsync(string kid, byte[] signingInput, CancellationToken cancellationToken);

    /// <summary>Every public key a receipt of this hub may have been signed with.</summary>
    Task<IReadOnlyList<EcPublicJwk>> PublicKeysAsync(CancellationToken cancellationToken);
}
