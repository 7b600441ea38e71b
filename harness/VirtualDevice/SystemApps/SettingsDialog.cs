namespace Harness.VirtualDevice.SystemApps;

/// <summary>A dialog over a Settings page; uiautomator dumps only the dialog's window while it shows.</summary>
internal enum SettingsDialog
{
    None,
    /// <summary>certinstaller on Android 10 and older: name the certificate, then OK installs it.</summary>
    NameCertificate,
    NotACertificate,
    CertificateDetails,
    RemoveConfirm,
}
