namespace Harness.Flows;

public sealed class TlsInfo
{
    public string? Sni { get; set; }
    public TlsOutcome Outcome { get; set; }
    public string? Protocol { get; set; }
    public string? Alpn { get; set; }
    /// <summary>What the TLS stack said, for humans.</summary>
    public string? Detail { get; set; }
}
