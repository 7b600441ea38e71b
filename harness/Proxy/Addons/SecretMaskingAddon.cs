namespace Harness.Proxy.Addons;

/// <summary>Masks the run's secrets in every final flow (<see cref="FlowSecretMasker"/>) before any later addon sees or stores it.</summary>
internal sealed class SecretMaskingAddon : ProxyAddon
{
    private IReadOnlyList<MaskedSecret> _secrets = [];

    public void SetSecrets(IEnumerable<MaskedSecret> secrets) => Volatile.Write(ref _secrets, secrets.ToList());

    public override ValueTask FlowCompleteAsync(ProxySession session)
    {
        FlowSecretMasker.Mask(session.Flow, Volatile.Read(ref _secrets));
        return ValueTask.CompletedTask;
    }
}
