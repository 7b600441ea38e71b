namespace Harness.Leaks;

/// <summary>Where a flow went, as far as leaks are concerned.</summary>
public enum DestinationClass
{
    /// <summary>The canary host (and its subdomains) or the run's search engine: canaries are meant to go there.</summary>
    Intended,
    /// <summary>The browser vendor's own analytics and services.</summary>
    Vendor,
    /// <summary>Everything else.</summary>
    ThirdParty,
}
