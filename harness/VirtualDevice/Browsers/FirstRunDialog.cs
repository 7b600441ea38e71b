namespace Harness.VirtualDevice.Browsers;

/// <summary>Which dialog covers a browser: the first-run ones on empty data (after install or `pm clear`), or a rating prompt.</summary>
internal enum FirstRunDialog
{
    None,
    Consent,
    DefaultBrowser,
    Rating,
}
