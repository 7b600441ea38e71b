namespace Harness.VirtualDevice.SystemApps;

/// <summary>The pages of the virtual Settings app reachable on the user-CA path (each a full-screen activity on a phone).</summary>
internal enum SettingsScreen
{
    Main,
    Security,
    EncryptionCredentials,
    InstallCertificate,
    CaWarning,
    TrustedCredentials,
}
