using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.SystemApps;

/// <summary>
/// com.android.settings, as far as the user-CA path of an unrooted phone needs it: Security → Encryption &amp;
/// credentials → Install a certificate → CA certificate → "Install anyway" → the DocumentsUI picker → the file
/// (Android 10 and older then ask to name it; OK installs) writes the CA into the user store; Trusted credentials →
/// User lists it, and its dialog's Remove → OK deletes it. Labels in English or Spanish by the phone's locale.
/// </summary>
public sealed partial class SettingsApp(VirtualAppContext context) : VirtualApp(context)
{
    public const string PackageId = "com.android.settings";
    public const string ActionSettings = "android.settings.SETTINGS";
    public const string ActionSecuritySettings = "android.settings.SECURITY_SETTINGS";
    public const string ActionSecurityAdvanced = "com.android.settings.security.SECURITY_ADVANCED_SETTINGS";
    private const int PickCertificateRequest = 1;
    /// <summary>The naming dialog belongs to certinstaller on a phone; its field keeps certinstaller's id here too.</summary>
    private const string CredentialNameId = "com.android.certinstaller:id/credential_name";

    public static VirtualAppKind Kind { get; } = new("settings", ".Settings", c => new SettingsApp(c), [ActionSettings, ActionSecuritySettings, ActionSecurityAdvanced]);

    private readonly List<SettingsScreen> _pages = [SettingsScreen.Main];
    private SettingsDialog _dialog;
    private bool _userTab;
    private string? _selectedCertificate;
    private byte[]? _pickedContent;
    private string _certificateName = "";

    private SettingsStrings Text => SettingsStrings.For(Context.Language);
    private SettingsScreen Page => _pages[^1];

    /// <summary>Android 11 (API 30) dropped the naming dialog for CA certificates: the picked file is installed at once.</summary>
    private bool AsksForName => Context.Android.Profile.Sdk < 30;

    public override string CurrentActivity => Page switch
    {
        SettingsScreen.Main => ".Settings",
        SettingsScreen.Security => ".Settings$SecurityDashboardActivity",
        SettingsScreen.EncryptionCredentials => ".Settings$EncryptionAndCredentialsSettingsActivity",
        SettingsScreen.InstallCertificate => ".Settings$InstallCertificateFromStorageActivity",
        SettingsScreen.CaWarning => ".security.InstallCaCertificateWarning",
        _ => ".Settings$TrustedCredentialsSettingsActivity",
    };

    public override Task OnLaunchAsync(AppIntent intent, CancellationToken ct)
    {
        Context.Log('I', "Settings", $"start action={intent.Action}");
        _pages.Clear();
        _pages.Add(intent.Action switch
        {
            ActionSecuritySettings => SettingsScreen.Security,
            ActionSecurityAdvanced => SettingsScreen.EncryptionCredentials,
            _ => SettingsScreen.Main,
        });
        _dialog = SettingsDialog.None;
        return Task.CompletedTask;
    }

    public override Task OnStopAsync(CancellationToken ct)
    {
        _pickedContent = null;
        return Task.CompletedTask;
    }

    protected override async Task OnClickAsync(UiNode node, CancellationToken ct)
    {
        switch (node.Key)
        {
            case "up":
                Pop();
                break;
            case "row:security":
                Push(SettingsScreen.Security);
                break;
            case "row:encryption":
                Push(SettingsScreen.EncryptionCredentials);
                break;
            case "row:install-certificate":
                Push(SettingsScreen.InstallCertificate);
                break;
            case "row:ca-certificate":
                Push(SettingsScreen.CaWarning);
                break;
            case "row:trusted-credentials":
                Push(SettingsScreen.TrustedCredentials);
                break;
            case "dont-install":
                Pop();
                break;
            case "install-anyway":
                // The warning activity finishes and the picker opens for its result, as Settings does.
                Pop();
                await Context.StartActivityForResultAsync(DocumentsUiApp.PackageId,
                    new AppIntent(DocumentsUiApp.ActionOpenDocument, Extras: new Dictionary<string, string> { ["mime"] = "application/x-x509-ca-cert" }),
                    PickCertificateRequest, ct).ConfigureAwait(false);
                break;
            case "tab:system":
                _userTab = false;
                break;
            case "tab:user":
                _userTab = true;
                break;
            case { } key when key.StartsWith("ca:", StringComparison.Ordinal):
                _selectedCertificate = key[3..];
                _dialog = SettingsDialog.CertificateDetails;
                break;
            case "name:ok":
                Install();
                break;
            case "name:cancel" or "details:ok" or "remove:cancel" or "error:ok":
                _dialog = SettingsDialog.None;
                _pickedContent = null;
                break;
            case "details:remove":
                _dialog = SettingsDialog.RemoveConfirm;
                break;
            case "remove:ok":
                if (_selectedCertificate is { } file) UserCaStore.Remove(Context.Android, file);
                _selectedCertificate = null;
                _dialog = SettingsDialog.None;
                break;
        }
    }

    public override Task OnActivityResultAsync(int requestCode, ActivityResult result, CancellationToken ct)
    {
        if (requestCode != PickCertificateRequest || !result.Ok) return Task.CompletedTask;
        var path = result.Extras?.GetValueOrDefault(DocumentsUiApp.ExtraPath);
        _pickedContent = path is not null && Context.Android.FileSystem.IsFile(path) ? Context.Android.FileSystem.ReadFile(path, asRoot: true) : null;
        if (_pickedContent is null || !LooksLikeCertificate(_pickedContent))
        {
            _dialog = SettingsDialog.NotACertificate;
            return Task.CompletedTask;
        }
        _certificateName = Path.GetFileNameWithoutExtension(path!);
        if (AsksForName) _dialog = SettingsDialog.NameCertificate;
        else Install();
        return Task.CompletedTask;
    }

    private static bool LooksLikeCertificate(byte[] content) =>
        System.Text.Encoding.ASCII.GetString(content).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || content.Length > 0 && content[0] == 0x30;

    private void Install()
    {
        _dialog = _pickedContent is { } content && UserCaStore.Install(Context.Android, content) is not null ? SettingsDialog.None : SettingsDialog.NotACertificate;
        _pickedContent = null;
    }

    protected override void OnTextEntered(string resourceId, string text)
    {
        if (resourceId == CredentialNameId) _certificateName += text;
    }

    public override Task<bool> OnKeyEventAsync(string keyCode, CancellationToken ct)
    {
        if (keyCode != "KEYCODE_BACK") return Task.FromResult(false);
        if (_dialog != SettingsDialog.None)
        {
            _dialog = SettingsDialog.None;
            _pickedContent = null;
            return Task.FromResult(true);
        }
        if (_pages.Count <= 1) return Task.FromResult(false);
        Pop();
        return Task.FromResult(true);
    }

    private void Push(SettingsScreen page)
    {
        _pages.Add(page);
        if (page == SettingsScreen.TrustedCredentials) _userTab = false;
    }

    private void Pop()
    {
        if (_pages.Count > 1) _pages.RemoveAt(_pages.Count - 1);
    }

    private string Id(string name) => $"{PackageName}:id/{name}";
}
