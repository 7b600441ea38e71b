namespace Harness.VirtualDevice.SystemApps;

/// <summary>The labels of the virtual Settings app in one language (AOSP Settings' wording, English and Spanish).</summary>
internal sealed record SettingsStrings(
    string Settings,
    string NetworkInternet,
    string Security,
    string ScreenLock,
    string EncryptionCredentials,
    string EncryptPhone,
    string Encrypted,
    string TrustedCredentials,
    string TrustedCredentialsSummary,
    string UserCredentials,
    string InstallCertificate,
    string InstallCertificateSummary,
    string ClearCredentials,
    string CaCertificate,
    string VpnUserCertificate,
    string WifiCertificate,
    string CaWarningTitle,
    string CaWarningBody,
    string InstallAnyway,
    string DontInstall,
    string NameCertificateTitle,
    string CredentialUse,
    string VpnAndApps,
    string NotACertificate,
    string SystemTab,
    string UserTab,
    string IssuedTo,
    string Remove,
    string RemoveQuestion,
    string Ok,
    string Cancel,
    string NavigateUp)
{
    public static readonly SettingsStrings English = new(
        "Settings", "Network & internet", "Security", "Screen lock", "Encryption & credentials", "Encrypt phone", "Encrypted",
        "Trusted credentials", "Display trusted CA certificates", "User credentials", "Install a certificate", "Install certificates from storage",
        "Clear credentials", "CA certificate", "VPN & app user certificate", "Wi\u2011Fi certificate",
        "Your data won't be private",
        "CA certificates are used by websites, apps and VPNs for encryption. Only install CA certificates from organisations that you trust.",
        "Install anyway", "Don't install", "Name the certificate", "Credential use:", "VPN and apps",
        "Can't install CA certificate: the file isn't a certificate", "System", "User", "Issued to:", "Remove",
        "Permanently remove the user CA certificate?", "OK", "Cancel", "Navigate up");

    public static readonly SettingsStrings Spanish = new(
        "Ajustes", "Redes e Internet", "Seguridad", "Bloqueo de pantalla", "Encriptación y credenciales", "Encriptar teléfono", "Encriptado",
        "Credenciales de confianza", "Mostrar certificados de CA de confianza", "Credenciales de usuario", "Instalar un certificado",
        "Instalar certificados desde el almacenamiento", "Borrar credenciales", "Certificado de CA", "Certificado de usuario de VPN y aplicaciones",
        "Certificado Wi\u2011Fi", "Tus datos no serán privados",
        "Los sitios web, las aplicaciones y las VPN usan certificados de CA para encriptar. Instala solo certificados de CA de organizaciones en las que confíes.",
        "Instalar de todos modos", "No instalar", "Asignar un nombre al certificado", "Uso de credenciales:", "VPN y aplicaciones",
        "No se puede instalar el certificado de CA: el archivo no es un certificado", "Sistema", "Usuario", "Emitido para:", "Quitar",
        "¿Quitar el certificado de CA de usuario de forma permanente?", "Aceptar", "Cancelar", "Navegar hacia arriba");

    public static SettingsStrings For(string language) => language == "es" ? Spanish : English;
}
