namespace Harness.VirtualDevice.Browsers;

/// <summary>Which first-run dialog covers a browser launched with empty data (after install or `pm clear`).</summary>
internal enum FirstRunDialog
{
    None,
    Consent,
    DefaultBrowser,
}
