namespace Harness.Proxy;

/// <summary>A value the proxy must never store in clear (a test account's password), and the name its mask shows.</summary>
public sealed record MaskedSecret(string Name, string Value)
{
    public override string ToString() => Name;
}
