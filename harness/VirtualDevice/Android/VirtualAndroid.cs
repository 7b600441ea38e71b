using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Harness.VirtualDevice.Apps;
using Harness.VirtualDevice.Shell;

namespace Harness.VirtualDevice.Android;

/// <summary>
/// The small Android inside a virtual phone: properties, settings, files, packages, processes, log, sockets and the shell.
/// Independent of the adb transport, so it can be unit-tested directly.
/// </summary>
public sealed class VirtualAndroid
{
    public const string SystemCaDirectory = "/system/etc/security/cacerts";
    public const string ApexCaDirectory = "/apex/com.android.conscrypt/cacerts";
    public const string UserCaDirectory = "/data/misc/user/0/cacerts-added";

    private readonly object _propertiesLock = new();
    private readonly SortedDictionary<string, string> _properties = new(StringComparer.Ordinal);

    public VirtualAndroid(PhoneProfile profile, VirtualAppCatalog? catalog = null, TimeProvider? clock = null)
    {
        Profile = profile;
        Clock = clock ?? TimeProvider.System;
        BootTime = Clock.GetUtcNow();
        FileSystem = new VirtualFileSystem(Clock);
        TcpConnections = new TcpConnectionRegistry(Clock);
        UdpSockets = new TcpConnectionRegistry(Clock);
        Log = new LogBuffer(Clock);
        Packages = new PackageManagerService(this, catalog ?? VirtualAppCatalog.CreateDefault(), Clock);
        Activities = new ActivityManagerService(this);
        Shell = new ShellInterpreter(this, ShellCommands.CreateDefault());
        Imei = ImeiFor(profile.SerialNumber);
        AndroidId = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("android_id:" + profile.SerialNumber + profile.Device)))[..16].ToLowerInvariant();
        SeedProperties();
        SeedSettings();
        SeedFiles();
        SeedPackages();
        Settings.Changed += (ns, key, _) =>
        {
            if (ns == "global" && key is PrivateDnsModeKey or "private_dns_specifier") UpdatePrivateDns();
        };
        Log.Write(0, 'I', "init", "starting service 'zygote'...");
        Log.Write(1000, 'I', "SystemServer", "Entered the Android system server!");
        Log.Write(1000, 'I', "ActivityManager", "System now ready");
    }

    public PhoneProfile Profile { get; }
    public TimeProvider Clock { get; }
    public DateTimeOffset BootTime { get; }
    public VirtualFileSystem FileSystem { get; }
    public SettingsStore Settings { get; } = new();
    public LogBuffer Log { get; }
    public PackageManagerService Packages { get; }
    public ActivityManagerService Activities { get; }
    public TcpConnectionRegistry TcpConnections { get; }

    /// <summary>UDP sockets (QUIC sessions), listed in /proc/net/udp and udp6.</summary>
    public TcpConnectionRegistry UdpSockets { get; }

    /// <summary>The kernel's IPv4 filter table (`iptables`, root only); the network stack asks it before a datagram leaves.</summary>
    public PacketFilter Firewall { get; } = new();

    /// <summary>The IPv6 filter table (`ip6tables`).</summary>
    public PacketFilter Firewall6 { get; } = new();

    /// <summary>The filter table a packet to <paramref name="address"/> meets (an IPv4-mapped peer is IPv4 on the wire).</summary>
    public PacketFilter FirewallFor(System.Net.IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? Firewall6 : Firewall;
    public ReverseForwardTable ReverseForwards { get; } = new();
    public ShellInterpreter Shell { get; }
    /// <summary>Settings.Secure.ANDROID_ID: stable for this phone.</summary>
    public string AndroidId { get; }

    /// <summary>The modem's IMEI: 15 digits, Luhn check digit last, stable for this phone.</summary>
    public string Imei { get; }

    /// <summary>
    /// The per-app ANDROID_ID (SSAID) apps get since Android 8, as settings_ssaid.xml stores it: keyed by package (and
    /// signing key, which every virtual APK shares), stable across pm clear, derived from the phone's own id.
    /// </summary>
    public string SsaidOf(string package) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("ssaid:" + AndroidId + ":" + package)))[..16].ToLowerInvariant();

    public const string SsaidFile = "/data/system/users/0/settings_ssaid.xml";

    /// <summary>The phone's network stack (one per phone: it numbers local ports and sockets); null until the phone wires it.</summary>
    public Network.PhoneHttpClient? Http { get; set; }

    /// <summary>The environment <see cref="Http"/> runs in (its internet's root is what pinning apps pin).</summary>
    public Network.IPhoneNetworkEnvironment? NetworkEnvironment { get; set; }

    /// <summary>Faults tests switch on for this phone.</summary>
    public PhoneFaults Faults { get; } = new();

    /// <summary>Awake, locked, animating: what the display lets a driver do.</summary>
    public ScreenState Screen { get; } = new();

    /// <summary>Animations are on unless every scale of Developer options is 0 (what `settings put global *_animation_scale 0` does).</summary>
    public bool AnimationsOn =>
        new[] { "window_animation_scale", "transition_animation_scale", "animator_duration_scale" }
            .Any(key => Settings.Get("global", key) is not { } v || !double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var scale) || scale > 0);

    /// <summary>Scales app timers (the Sensors SDK's 15 s flush): 1 is real time, tests use e.g. 0.05.</summary>
    public double TimeFactor { get; set; } = 1.0;

    /// <summary>How in-phone code reaches 127.0.0.1:port; the phone wires this to adb reverse forwarding.</summary>
    public Func<int, CancellationToken, Task<Stream>>? LocalTcpConnector { get; set; }

    public Task<Stream> ConnectLocalTcpAsync(int port, CancellationToken ct) =>
        LocalTcpConnector?.Invoke(port, ct) ?? Task.FromException<Stream>(new PhoneConnectionRefusedException(port, "no network on this phone"));

    public string? GetProperty(string key)
    {
        lock (_propertiesLock) return _properties.TryGetValue(key, out var v) ? v : null;
    }

    public void SetProperty(string key, string value)
    {
        lock (_propertiesLock) _properties[key] = value;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Properties
    {
        get { lock (_propertiesLock) return _properties.ToList(); }
    }

    /// <summary>The directory the platform reads system CAs from (the conscrypt APEX from Android 14 on).</summary>
    public string EffectiveSystemCaDirectory => Profile.Sdk >= 34 ? ApexCaDirectory : SystemCaDirectory;

    /// <summary>The trusted system CA files (name, content) as apps on this phone see them now.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> SystemCaCertificates() => ReadCaDirectory(EffectiveSystemCaDirectory);

    /// <summary>User-installed CAs (trusted only by apps whose network security config allows user CAs).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> UserCaCertificates() => ReadCaDirectory(UserCaDirectory);

    private IReadOnlyList<KeyValuePair<string, byte[]>> ReadCaDirectory(string dir) =>
        FileSystem.IsDirectory(dir)
            ? FileSystem.List(dir).Where(e => !e.IsDirectory).Select(e => new KeyValuePair<string, byte[]>(e.Name, FileSystem.ReadFile(e.Path, true))).ToList()
            : [];

    private void SeedProperties()
    {
        var p = Profile;
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["ro.product.model"] = p.Model,
            ["ro.product.manufacturer"] = p.Manufacturer,
            ["ro.product.brand"] = p.Brand,
            ["ro.product.name"] = p.ProductName,
            ["ro.product.device"] = p.Device,
            ["ro.product.board"] = p.Device,
            ["ro.build.product"] = p.Device,
            ["ro.build.version.release"] = p.Release,
            ["ro.build.version.sdk"] = p.Sdk.ToString(),
            ["ro.build.version.incremental"] = p.Incremental,
            ["ro.build.id"] = p.BuildId,
            ["ro.build.type"] = "user",
            ["ro.build.tags"] = "release-keys",
            ["ro.build.fingerprint"] = p.Fingerprint,
            ["ro.miui.ui.version.name"] = p.Model == "Mi A1" ? "" : "V12",
            ["ro.miui.region"] = p.Model == "Mi A1" ? "" : MiuiRegion(p.Incremental),
            ["ro.serialno"] = p.SerialNumber,
            ["ro.boot.serialno"] = p.SerialNumber,
            ["ro.debuggable"] = "0",
            ["ro.secure"] = "1",
            ["ro.product.cpu.abi"] = "arm64-v8a",
            ["ro.product.locale"] = "en-US",
            ["persist.sys.locale"] = p.Locale,
            ["persist.sys.timezone"] = "UTC",
            ["sys.boot_completed"] = "1",
            ["dev.bootcomplete"] = "1",
            ["init.svc.adbd"] = "running",
            ["service.adb.tcp.port"] = "5555",
            ["net.dns1"] = "127.0.0.1",
            ["ro.sf.lcd_density"] = p.Density.ToString(),
        })
        {
            if (v.Length > 0) _properties[k] = v;
        }
    }

    private void SeedSettings()
    {
        Settings.Put("secure", "android_id", AndroidId);
        Settings.Put("global", "adb_enabled", "1");
        Settings.Put("global", "development_settings_enabled", "1");
        Settings.Put("global", "airplane_mode_on", "0");
        Settings.Put("global", "device_name", Profile.Model);
        Settings.Put("system", "screen_brightness", "102");
        Settings.Put("system", "screen_off_timeout", "600000");
        Settings.Put("secure", "default_input_method", "com.android.inputmethod.latin/.LatinIME");
        Settings.Put("secure", "enabled_input_methods", "com.android.inputmethod.latin/.LatinIME");
    }

    private void SeedFiles()
    {
        var fs = FileSystem;
        fs.AddDirectory("/sdcard", 0x1F9, 1015);
        foreach (var d in new[] { "Download", "DCIM", "Pictures", "Android/data" }) fs.AddDirectory("/sdcard/" + d, 0x1F9, 1015);
        fs.AddDirectory("/storage/emulated/0", 0x1F9, 1015);
        fs.AddDirectory("/data/local/tmp", 0x1F9, 2000);
        fs.AddDirectory("/data/data", 0x1F9, 1000);
        fs.AddDirectory("/data/app", 0x1F9, 1000);
        fs.AddDirectory(UserCaDirectory, 0x1ED, 1000);
        fs.AddDirectory("/system/bin", 0x1ED);
        fs.AddDirectory("/vendor", 0x1ED);
        fs.AddDirectory("/proc/net", 0x16D);
        fs.AddFile("/system/build.prop", Encoding.UTF8.GetBytes(string.Join('\n', Properties.Where(kv => kv.Key.StartsWith("ro.")).Select(kv => $"{kv.Key}={kv.Value}")) + "\n"));
        foreach (var (name, pem) in FakeSystemCertificates())
        {
            fs.AddFile($"{SystemCaDirectory}/{name}", Encoding.ASCII.GetBytes(pem));
            if (Profile.Sdk >= 34) fs.AddFile($"{ApexCaDirectory}/{name}", Encoding.ASCII.GetBytes(pem));
        }
        fs.AddGeneratedFile("/proc/net/tcp", asRoot => ProcNetTcp(AddressFamily.InterNetwork, asRoot));
        fs.AddGeneratedFile("/proc/net/tcp6", asRoot => ProcNetTcp(AddressFamily.InterNetworkV6, asRoot));
        fs.AddGeneratedFile("/proc/net/udp", asRoot => ProcNetUdp(AddressFamily.InterNetwork, asRoot));
        fs.AddGeneratedFile("/proc/net/udp6", asRoot => ProcNetUdp(AddressFamily.InterNetworkV6, asRoot));
        fs.AddGeneratedFile(SsaidFile, SettingsSsaid);
        fs.AddGeneratedFile("/proc/mounts", _ => Encoding.ASCII.GetBytes("/dev/root / ext4 ro,seclabel,relatime 0 0\n" + string.Concat(FileSystem.MountDescriptions().Select(m => m + "\n"))));
        fs.AddGeneratedFile("/proc/version", _ => Encoding.ASCII.GetBytes($"Linux version 4.14.117-perf (builder@{Profile.Device}) #1 SMP PREEMPT\n"));
    }

    public const string PrivateDnsModeKey = "private_dns_mode";
    private readonly object _privateDnsLock = new();
    private IDisposable? _privateDnsConnection;

    /// <summary>
    /// Private DNS (Android 9+): in strict mode ("hostname") the system resolver, netd (uid 0), keeps a DNS-over-TLS
    /// connection to the named server's port 853, where every lookup of every app goes past any HTTP proxy. In
    /// opportunistic mode (the default) it upgrades only when the network's resolver speaks DoT, which the virtual
    /// Wi-Fi's does not; "off" uses plain DNS.
    /// </summary>
    private void UpdatePrivateDns()
    {
        lock (_privateDnsLock)
        {
            _privateDnsConnection?.Dispose();
            _privateDnsConnection = null;
            if (Profile.Sdk < 28 || Settings.Get("global", PrivateDnsModeKey) != "hostname" || Settings.Get("global", "private_dns_specifier") is not { Length: > 0 } server) return;
            var address = NetworkEnvironment?.Internet.ResolveHost(server) ?? System.Net.IPAddress.Parse("198.18.0.53");
            _privateDnsConnection = TcpConnections.Register(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.168.1.23"), TcpConnections.AllocateEphemeralPort()),
                new System.Net.IPEndPoint(address, 853), uid: 0);
        }
    }

    private static string ImeiFor(string serial)
    {
        // 86 = a TAC from China's range, as Xiaomi phones carry; then 12 digits from the serial and the Luhn digit.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("imei:" + serial));
        var body = "86" + string.Concat(hash.Take(12).Select(b => (char)('0' + b % 10)));
        var sum = 0;
        for (var i = 0; i < 14; i++)
        {
            var d = body[13 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return body + (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>
    /// settings_ssaid.xml as system_server writes it: text XML up to Android 11, Android's binary XML (ABX, magic
    /// "ABX\0") from Android 12 on, which `cat` shows as bytes. Readable by root only (system:system 0600).
    /// </summary>
    private byte[] SettingsSsaid(bool asRoot)
    {
        if (!asRoot) throw VirtualFileSystemException.PermissionDenied();
        var xml = new StringBuilder("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<settings version=\"-1\">\n");
        xml.Append($"  <setting id=\"0\" name=\"userkey\" value=\"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("userkey:" + AndroidId)))}\" package=\"android\" defaultValue=\"\" defaultSysSet=\"true\" tag=\"null\" />\n");
        var id = 1;
        foreach (var package in Packages.All.Where(p => !p.IsSystem))
        {
            var ssaid = SsaidOf(package.PackageName);
            xml.Append($"  <setting id=\"{id++}\" name=\"{package.Uid}\" value=\"{ssaid}\" package=\"{package.PackageName}\" defaultValue=\"{ssaid}\" defaultSysSet=\"false\" tag=\"null\" />\n");
        }
        xml.Append("</settings>\n");
        var text = Encoding.UTF8.GetBytes(xml.ToString());
        // ABX: the magic, then tokens with interned strings; only the magic matters to a reader that cannot decode it.
        return Profile.Sdk >= 31 ? [.. "ABX\0"u8.ToArray(), 0x10, .. SHA256.HashData(text)] : text;
    }

    /// <summary>MIUI's region from the build's incremental suffix (…QCOEUXM is an EEA build, …RFJCNXM a China build).</summary>
    private static string MiuiRegion(string incremental)
    {
        var suffix = incremental.Length >= 4 ? incremental[^4..^2] : "";
        return suffix switch { "CN" => "CN", "EU" => "ES", "RU" => "RU", "IN" => "IN", "ID" => "ID", _ => "GLOBAL" };
    }

    /// <summary>Since Android 10, SELinux keeps the shell user out of /proc/net; root (su) reads it.</summary>
    private byte[] ProcNetTcp(AddressFamily family, bool asRoot)
    {
        if (!asRoot && Profile.Sdk >= 29) throw VirtualFileSystemException.PermissionDenied();
        return Encoding.ASCII.GetBytes(ProcNetTcpFormatter.Format(TcpConnections.Snapshot(family), family));
    }

    private byte[] ProcNetUdp(AddressFamily family, bool asRoot)
    {
        if (!asRoot && Profile.Sdk >= 29) throw VirtualFileSystemException.PermissionDenied();
        return Encoding.ASCII.GetBytes(ProcNetTcpFormatter.FormatUdp(UdpSockets.Snapshot(family), family));
    }

    /// <summary>Stand-ins for the OS trust store: subject-hash file names with PEM-shaped (not real) certificates.</summary>
    private static IEnumerable<(string Name, string Pem)> FakeSystemCertificates()
    {
        foreach (var subject in new[] { "Virtual Root CA 1", "Virtual Global Root G2", "Virtual Trust Services Root R3" })
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..8].ToLowerInvariant();
            var body = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(subject + "/der")));
            yield return ($"{hash}.0", $"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n# subject: CN={subject}\n");
        }
    }

    private void SeedPackages()
    {
        Packages.AddSystemPackage("android", Profile.Release, Profile.Sdk);
        Packages.AddSystemPackage(SystemApps.SettingsApp.PackageId, Profile.Release, Profile.Sdk, SystemApps.SettingsApp.Kind.Kind, SystemApps.SettingsApp.Kind.LauncherActivity);
        Packages.AddSystemPackage(SystemApps.DocumentsUiApp.PackageId, Profile.Release, Profile.Sdk, SystemApps.DocumentsUiApp.Kind.Kind, SystemApps.DocumentsUiApp.Kind.LauncherActivity);
        Packages.AddSystemPackage(SystemApps.PermissionControllerApp.PackageId, Profile.Release, Profile.Sdk, SystemApps.PermissionControllerApp.Kind.Kind, SystemApps.PermissionControllerApp.Kind.LauncherActivity);
        Packages.AddSystemPackage("com.android.systemui", Profile.Release, Profile.Sdk);
        Packages.AddSystemPackage("com.android.shell", Profile.Release, Profile.Sdk);
        Packages.AddSystemPackage(Activities.LauncherPackage, "4.39.14", 43914);
    }
}
