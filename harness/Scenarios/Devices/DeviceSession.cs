using System.Net;
using Harness.Adb;
using Harness.Browsers;
using Harness.Core;
using Harness.Proxy;
using Harness.Proxy.Capture;

namespace Harness.Scenarios;

/// <summary>
/// One phone prepared for a run: root probed, CA installed (system store when rooted; otherwise the user store,
/// through Settings, with the coverage limit that brings), its own
/// <see cref="InterceptingProxy"/> on a loopback port, `adb reverse tcp:P tcp:P` and the global http_proxy pointing at
/// it. <see cref="RestoreAsync"/> (also run by DisposeAsync) undoes all of it with its own time budget, so a cancelled
/// or crashed run still leaves the phone without a proxy that is gone. A marker file on the host covers a killed run.
/// </summary>
public sealed class DeviceSession : IAsyncDisposable
{
    public const string SessionTag = "session";
    public const string CaseTag = "case";

    /// <summary>The limit every case of an unrooted phone carries once the CA is in its user store.</summary>
    public const string UserStoreOnlyLimit = "CA in the user store only (phone not rooted): apps that do not trust user CAs cannot be intercepted";

    private readonly DeviceSessionOptions _options;
    private readonly List<string> _coverageLimits = [];
    private readonly HashSet<string> _touchedPackages = new(StringComparer.Ordinal);
    private SessionMarker _marker;
    private PhoneReadiness? _readiness;
    private volatile string _sessionLabel = "session-1";
    private volatile string? _caseId;
    private int _restored;

    private DeviceSession(AdbClient adb, DeviceClient device, DeviceSessionOptions options, InterceptingProxy proxy, FlowStore store, SessionMarker marker)
    {
        Adb = adb;
        Device = device;
        _options = options;
        Proxy = proxy;
        Flows = store;
        _marker = marker;
        proxy.BeforeRequest += session =>
        {
            // Labels travel with the stored flow, so the HAR and a re-scan see which session sent what.
            session.Flow.Tags[SessionTag] = _sessionLabel;
            if (_caseId is { } id) session.Flow.Tags[CaseTag] = id;
            return Task.CompletedTask;
        };
    }

    public AdbClient Adb { get; }
    public DeviceClient Device { get; }
    public string Serial => Device.Serial;
    public InterceptingProxy Proxy { get; }
    public FlowStore Flows { get; }
    public int ProxyPort => Proxy.LocalEndPoint.Port;
    public RootAccess? Root { get; private set; }
    public bool IsRooted => Root is not null;
    public bool CaInSystemStore { get; private set; }

    /// <summary>The CA is in the phone's user store (installed through Settings and read back from Trusted credentials).</summary>
    public bool CaInUserStore { get; private set; }

    /// <summary>Why the user-store install did not happen (null when it did, or was not tried).</summary>
    public string? UserCaProblem { get; private set; }

    /// <summary>The Settings step that did not hold during the user-CA install (its screenshot and UI dump), for the evidence.</summary>
    public BrowserStepFailedException? UserCaFailedStep { get; private set; }

    /// <summary>getprop as read at prepare time.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; private set; } = new Dictionary<string, string>();

    /// <summary>Identifiers of the phone (android_id, serial, fingerprint, model) the no-device-metadata check looks for.</summary>
    public IReadOnlyDictionary<string, string> DeviceMetadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>The rack's run-wide settings this phone was prepared with (upstream, accounts, destinations).</summary>
    public RackSettings Settings => _options.Settings;

    /// <summary>The Mi Account this phone signs in with; null when the rack names none for it.</summary>
    public MiAccount? Account => _options.Settings.AccountFor(Serial);

    /// <summary>What this phone's setup cannot see, recorded on every case result.</summary>
    public IReadOnlyList<string> CoverageLimits => _coverageLimits;

    public string Model => Properties.GetValueOrDefault("ro.product.model") ?? Device.Device.Model ?? Serial;

    /// <summary>For the device facts: whether and for which uids outgoing UDP 443 is dropped (see <see cref="QuicBlock"/>).</summary>
    public string QuicBlockFact { get; private set; } = "not set up yet";

    /// <summary>For the device facts: Private DNS as the session set it, and what it was.</summary>
    public string PrivateDnsFact => _readiness?.PrivateDnsFact ?? "not changed";

    /// <summary>True when <paramref name="uid"/>'s outgoing UDP 443 is dropped (the rules were read back after they went in).</summary>
    public bool IsQuicBlocked(int uid)
    {
        lock (_quicBlocked) return _quicBlocked.ContainsKey(uid);
    }

    private readonly Dictionary<int, string> _quicBlocked = new();

    /// <summary>Problems met while restoring (empty when the phone was fully restored).</summary>
    public IReadOnlyList<string> RestoreProblems { get; private set; } = [];

    /// <summary>What restore could not undo but leaves harmless (the CA mount until reboot); shown, not an error.</summary>
    public IReadOnlyList<string> RestoreNotes { get; private set; } = [];

    public string SessionLabel
    {
        get => _sessionLabel;
        set => _sessionLabel = value;
    }

    public string? CaseId
    {
        get => _caseId;
        set => _caseId = value;
    }

    public static async Task<DeviceSession> PrepareAsync(AdbClient adb, string serial, DeviceSessionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adb);
        var ca = options.CertificateAuthority ?? throw new ArgumentException("CertificateAuthority is required", nameof(options));
        var flowDirectory = options.FlowDirectory ?? throw new ArgumentException("FlowDirectory is required", nameof(options));

        var data = await adb.GetDeviceAsync(serial, cancellationToken).ConfigureAwait(false);
        if (data.State != DeviceState.Device)
            throw new DeviceOfflineException(serial, $"the phone is {data.State}, not ready");
        var device = new DeviceClient(adb, data);

        var store = new FlowStore(flowDirectory);
        var proxyOptions = new InterceptingProxyOptions
        {
            CertificateAuthority = ca,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, options.ProxyPort),
            Store = store,
        };
        // The rack decides where requests go (forward by default); the canary origin is answered locally either way.
        options.Settings.ApplyTo(proxyOptions);
        var proxy = new InterceptingProxy(proxyOptions);
        await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        var previousProxy = await adb.GetSettingAsync(serial, SettingsNamespace.Global, "http_proxy", cancellationToken).ConfigureAwait(false);
        var marker = SessionMarker.ForThisProcess(serial, adb.Endpoint, proxy.LocalEndPoint.Port, previousProxy, options.TimeProvider.GetUtcNow());
        var session = new DeviceSession(adb, device, options, proxy, store, marker);
        if (options.Settings.Upstream == UpstreamMode.Sinkhole) session._coverageLimits.Add(RackSettings.SinkholeLimit);
        // The sign-in request carries the password: it is masked before any flow is stored.
        if (session.Account is { } account) proxy.SetMaskedSecrets([new MaskedSecret(MiAccount.PasswordMaskName, account.Password)]);
        try
        {
            // The marker goes first: from here on, a killed run leaves something that says what to undo.
            await marker.WriteAsync(options.SessionsDirectory, cancellationToken).ConfigureAwait(false);
            await session.ReadFactsAsync(cancellationToken).ConfigureAwait(false);
            // Awake, unlocked (a locked phone runs no case), kept awake, animations off; undone by RestoreAsync.
            session._readiness = await PhoneReadiness.PrepareAsync(adb, serial, cancellationToken).ConfigureAwait(false);
            session._marker = session._marker with { ScreenSettings = session._readiness.Originals };
            await session._marker.WriteAsync(options.SessionsDirectory, cancellationToken).ConfigureAwait(false);
            session.Root = await RootAccess.ProbeAsync(adb, serial, options.RootProbeTimeout, cancellationToken).ConfigureAwait(false);
            await session.ProbeSocketTablesAsync(cancellationToken).ConfigureAwait(false);
            await session.ReadAppIdentifiersAsync(cancellationToken).ConfigureAwait(false);
            await session.InstallCaAsync(ca, cancellationToken).ConfigureAwait(false);
            await session.EnsureRoutedAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.RestoreAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether the kernel's socket tables can be read (as root, or, up to Android 9, by the shell user): bypass, QUIC
    /// and DNS-over-TLS detection need them. From Android 10 on SELinux keeps the shell user out of /proc/net.
    /// </summary>
    private async Task ProbeSocketTablesAsync(CancellationToken ct)
    {
        const string command = "cat /proc/net/udp";
        var result = await Adb.ShellAsync(Serial, Root is { } root ? root.Wrap(command) : command, ct).ConfigureAwait(false);
        SocketTablesReadable = result.Stdout.TrimStart().StartsWith("sl", StringComparison.Ordinal);
        SocketTablesFact = SocketTablesReadable
            ? $"/proc/net/tcp, tcp6, udp, udp6 sampled during each case{(Root is null ? " (readable without root)" : " as root")}"
            : $"/proc/net not readable{(Root is null ? " without root" : "")} ({ShellText.FirstLine(result.Stderr.Length > 0 ? result.Stderr : result.Stdout)}): connections past the proxy (TCP, QUIC, DNS-over-TLS) are not seen";
    }

    private IReadOnlyDictionary<string, string> _ssaids = new Dictionary<string, string>();

    /// <summary>For the device facts: which identifiers apps see were read (IMEI, SSAIDs, OAID), or why not.</summary>
    public string IdentifiersFact { get; private set; } = "not read";

    /// <summary>
    /// The IMEI joins the identifiers the device-metadata check looks for; the SSAIDs are per app (see <see cref="MetadataFor"/>).
    /// Root only: getDeviceId refuses the shell user from Android 10 on, and settings_ssaid.xml is system's.
    /// </summary>
    private async Task ReadAppIdentifiersAsync(CancellationToken ct)
    {
        if (Root is not { } root)
        {
            IdentifiersFact = $"IMEI and per-app ANDROID_IDs not read: phone not rooted; {AppIdentifiers.OaidNote}";
            return;
        }
        var (imei, imeiProblem) = await AppIdentifiers.ReadImeiAsync(Adb, Serial, root, ct).ConfigureAwait(false);
        if (imei is not null) DeviceMetadata = new Dictionary<string, string>(DeviceMetadata) { ["imei"] = imei };
        var ssaidProblem = await RefreshSsaidsAsync(ct).ConfigureAwait(false);
        IdentifiersFact = string.Join("; ",
            imei is null ? $"IMEI not read ({imeiProblem})" : "IMEI read (service call iphonesubinfo 1)",
            ssaidProblem ?? $"per-app ANDROID_ID (SSAID) read from {AppIdentifiers.SsaidFile} ({_ssaids.Count} apps)",
            AppIdentifiers.OaidNote);
    }

    /// <summary>Re-reads the per-app ANDROID_IDs (an app gets its entry when it first asks); null when read, else why not.</summary>
    public async Task<string?> RefreshSsaidsAsync(CancellationToken ct)
    {
        if (Root is not { } root) return "phone not rooted";
        var (ssaids, problem) = await AppIdentifiers.ReadSsaidsAsync(Adb, Serial, root, ct).ConfigureAwait(false);
        if (problem is null) _ssaids = ssaids;
        return problem;
    }

    /// <summary>The identifiers <paramref name="package"/> sees: the phone's, plus its own SSAID ("ssaid") where read.</summary>
    public IReadOnlyDictionary<string, string> MetadataFor(string package) =>
        _ssaids.TryGetValue(package, out var ssaid) ? new Dictionary<string, string>(DeviceMetadata) { ["ssaid"] = ssaid } : DeviceMetadata;


    /// <summary>/proc/net/{tcp,udp}{,6} can be read: the cases sample them (see <see cref="ConnectionSampler"/>).</summary>
    public bool SocketTablesReadable { get; private set; }

    /// <summary>For the device facts: whether connections past the proxy can be seen, and how.</summary>
    public string SocketTablesFact { get; private set; } = "not probed";

    private async Task ReadFactsAsync(CancellationToken ct)
    {
        Properties = await Adb.GetPropertiesAsync(Serial, ct).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var androidId = await Adb.GetSettingAsync(Serial, SettingsNamespace.Secure, "android_id", ct).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(androidId)) metadata["android_id"] = androidId.Trim();
        foreach (var (name, property) in new[] { ("serial", "ro.serialno"), ("fingerprint", "ro.build.fingerprint"), ("model", "ro.product.model") })
            if (Properties.TryGetValue(property, out var value) && !string.IsNullOrWhiteSpace(value)) metadata[name] = value.Trim();
        DeviceMetadata = metadata;
    }

    private async Task InstallCaAsync(Proxy.Certificates.CertificateAuthority ca, CancellationToken ct)
    {
        if (!_options.InstallCa)
        {
            _coverageLimits.Add("CA installation was switched off: only apps that already trust the proxy CA are intercepted");
            return;
        }
        string why = "phone not rooted";
        if (Root is not null)
        {
            var problem = await SystemCaInstaller.InstallAsync(Adb, Serial, Root, ca.ExportPem(), ca.AndroidSystemStoreFileName, ct).ConfigureAwait(false);
            if (problem is null)
            {
                CaInSystemStore = true;
                _marker = _marker with { CaInjected = true };
                await _marker.WriteAsync(_options.SessionsDirectory, ct).ConfigureAwait(false);
                return;
            }
            why = $"system-store injection failed: {problem}";
        }
        UserCaProblem = await InstallUserCaAsync(ca, ct).ConfigureAwait(false);
        CaInUserStore = UserCaProblem is null;
        _coverageLimits.Add(CaInUserStore
            ? Root is null ? UserStoreOnlyLimit : $"CA in the user store only ({why}): apps that do not trust user CAs cannot be intercepted"
            : $"CA in no trust store ({why}; user-store install through Settings failed: {UserCaProblem}): HTTPS of apps that do not already trust the proxy CA cannot be intercepted");
    }

    /// <summary>Null when the CA is in the user store afterwards, else why not. Never throws for a UI or profile problem: the session runs on with the limit.</summary>
    private async Task<string?> InstallUserCaAsync(Proxy.Certificates.CertificateAuthority ca, CancellationToken ct)
    {
        BrowserProfile profile;
        try
        {
            profile = UserCaInstaller.LoadProfile(_options.SettingsProfile, _options.SettingsProfilePath);
        }
        catch (BadInputException e)
        {
            return $"{e.File}: {e.Message}";
        }
        using var certificate = ca.PublicCertificate;
        var remote = UserCaInstaller.PushedPath(ca.SubjectHashOld);
        var name = UserCaInstaller.DisplayName(certificate);
        // The marker goes first: a run killed while Settings installs the CA must still know to take it out again.
        _marker = _marker with { UserCaFile = remote, UserCaName = name };
        await _marker.WriteAsync(_options.SessionsDirectory, ct).ConfigureAwait(false);
        try
        {
            await UserCaInstaller.PushAsync(Adb, Serial, ca.ExportPem(), remote, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AdbException or IOException)
        {
            return $"push of {remote} failed: {e.Message}";
        }
        return await UserCaInstaller.InstallAsync(Device, profile, _options.SettingsDriverOptions, UserCaArguments(remote, name), failed => UserCaFailedStep = failed, ct).ConfigureAwait(false);
    }

    private static ActionArguments UserCaArguments(string remote, string name) => new(File: Path.GetFileName(remote), Certificate: name);

    /// <summary>
    /// Checks (before each case) that `adb reverse` and http_proxy still point at this session's proxy and re-asserts
    /// them when they dropped (an adb server restart or a USB reconnect removes reverse forwards). Returns what was repaired.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureRoutedAsync(CancellationToken ct)
    {
        var repaired = new List<string>();
        var port = $"tcp:{ProxyPort}";
        var reverses = await Adb.ListReversesAsync(Serial, ct).ConfigureAwait(false);
        if (!reverses.Any(r => r.Remote == port && r.Local == port))
        {
            await Adb.CreateReverseAsync(Serial, port, port, cancellationToken: ct).ConfigureAwait(false);
            repaired.Add($"adb reverse {port} {port}");
        }
        var wanted = $"127.0.0.1:{ProxyPort}";
        var current = await Adb.GetSettingAsync(Serial, SettingsNamespace.Global, "http_proxy", ct).ConfigureAwait(false);
        if (current != wanted)
        {
            await Adb.PutSettingAsync(Serial, SettingsNamespace.Global, "http_proxy", wanted, ct).ConfigureAwait(false);
            repaired.Add($"http_proxy {wanted}");
        }
        return repaired;
    }

    /// <summary>
    /// After a case: null when the phone is still online and routed to this proxy, else what broke (traffic in the
    /// meantime may have gone uncaptured). A phone that is gone throws the adb exception.
    /// </summary>
    public async Task<string?> CheckRoutedAsync(CancellationToken ct)
    {
        var port = $"tcp:{ProxyPort}";
        var problems = new List<string>();
        var reverses = await Adb.ListReversesAsync(Serial, ct).ConfigureAwait(false);
        if (!reverses.Any(r => r.Remote == port && r.Local == port)) problems.Add($"adb reverse {port} dropped during the case");
        var current = await Adb.GetSettingAsync(Serial, SettingsNamespace.Global, "http_proxy", ct).ConfigureAwait(false);
        if (current != $"127.0.0.1:{ProxyPort}") problems.Add($"http_proxy changed to {current ?? "null"} during the case");
        return problems.Count == 0 ? null : string.Join("; ", problems) + ": traffic in between may not have been captured";
    }

    /// <summary>
    /// Drops outgoing UDP 443 for these browsers' uids until restore (rooted phones; <see cref="QuicBlock"/>), so that a
    /// browser speaking QUIC falls back to TCP through the proxy. The marker names the chain before a rule goes in.
    /// Returns null when every uid is blocked (also when it already was), else why not; never throws for a refused rule.
    /// </summary>
    public async Task<string?> BlockQuicAsync(IReadOnlyDictionary<string, int> packageUids, CancellationToken ct)
    {
        if (Root is not { } root)
        {
            QuicBlockFact = "not possible: phone not rooted (iptables needs root); a QUIC connection seen in a case makes it inconclusive";
            return QuicBlockFact;
        }
        Dictionary<int, string> wanted;
        SessionMarker marker;
        lock (_quicBlocked)
        {
            wanted = packageUids.Where(p => !_quicBlocked.ContainsKey(p.Value)).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p.Key)));
            if (wanted.Count == 0) return null;
            _marker = marker = _marker with { QuicBlockChain = QuicBlock.Chain, QuicBlockedUids = [.. _marker.QuicBlockedUids.Union(wanted.Keys)] };
        }
        await marker.WriteAsync(_options.SessionsDirectory, ct).ConfigureAwait(false);
        string? problem;
        try
        {
            problem = await QuicBlock.AddAsync(Adb, Serial, root, wanted.Keys, ct).ConfigureAwait(false);
        }
        catch (AdbCommandFailedException e)
        {
            problem = e.Message;
        }
        lock (_quicBlocked)
        {
            if (problem is null) foreach (var (uid, packages) in wanted) _quicBlocked[uid] = packages;
            var blocked = string.Join(", ", _quicBlocked.OrderBy(b => b.Key).Select(b => $"uid {b.Key} ({b.Value})"));
            QuicBlockFact = (blocked.Length > 0 ? $"outgoing UDP {QuicBlock.Port} dropped for {blocked} (iptables and ip6tables chain {QuicBlock.Chain}, removed on restore)" : "")
                + (problem is null ? "" : $"{(blocked.Length > 0 ? "; " : "")}block failed for uid {string.Join(", ", wanted.Keys)}: {problem}; a QUIC connection seen in a case makes it inconclusive");
        }
        return problem;
    }

    /// <summary>Remembers a browser whose state the run changes, so restore (or recovery after a kill) can stop it.</summary>
    public async Task TouchPackageAsync(string package, CancellationToken ct)
    {
        SessionMarker marker;
        lock (_touchedPackages)
        {
            if (!_touchedPackages.Add(package)) return;
            _marker = marker = _marker with { Packages = _touchedPackages.ToList() };
        }
        await marker.WriteAsync(_options.SessionsDirectory, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Undoes the session: http_proxy put back to what the phone had before (first: it matters most; cleared when it had none), touched browsers stopped, reverse removed, CA
    /// mounts undone or the user CA removed through Settings and its pushed file deleted, proxy stopped, marker deleted
    /// (kept when the phone still routes to the proxy or still trusts the user CA, so recovery tries again).
    /// Never throws; runs once; ignores the run's cancellation.
    /// </summary>
    public async Task RestoreAsync()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1) return;
        using var budget = new CancellationTokenSource(_options.RestoreTimeout);
        var ct = budget.Token;
        var problems = new List<string>();
        async Task Try(string what, Func<Task> action)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }

        var proxyCleared = false;
        var reverseRemoved = false;
        await Try($"put http_proxy back to {_marker.HttpProxyToRestore}", async () =>
        {
            await Adb.PutSettingAsync(Serial, SettingsNamespace.Global, "http_proxy", _marker.HttpProxyToRestore, ct).ConfigureAwait(false);
            proxyCleared = true;
        }).ConfigureAwait(false);
        // The browsers stop before the tunnel goes: adb 29's server aborts (LOG(FATAL) "handle_packet disallowed
        // connect") when a phone opens a reverse connection the server has just forgotten, taking every phone on the
        // rack with it. It forgets on sending killforward, before the phone stops listening, so the tunnel must be idle.
        string[] packages;
        lock (_touchedPackages) packages = _touchedPackages.ToArray();
        foreach (var package in packages)
            await Try($"force-stop {package}", () => Device.ForceStopAsync(package, ct)).ConfigureAwait(false);
        if (_readiness is { } readiness)
            await Try("restore stay-awake and animation settings", () => readiness.RestoreAsync(Adb, Serial, ct)).ConfigureAwait(false);
        await Try($"remove adb reverse tcp:{_marker.ProxyPort}", async () =>
        {
            var port = $"tcp:{_marker.ProxyPort}";
            var reverses = await Adb.ListReversesAsync(Serial, ct).ConfigureAwait(false);
            if (reverses.Any(r => r.Remote == port)) await Adb.RemoveReverseAsync(Serial, port, ct).ConfigureAwait(false);
            reverseRemoved = true;
        }).ConfigureAwait(false);
        var notes = new List<string>();
        if (CaInSystemStore && Root is not null)
            await Try("remove the CA from the system store", async () =>
            {
                // The injection mounts are not persistent; a phone without umount keeps trusting the CA until it reboots.
                if (await SystemCaInstaller.UninstallAsync(Adb, Serial, Root, ct).ConfigureAwait(false) is { } problem)
                    notes.Add($"the proxy CA stays in the system store until the phone reboots ({problem})");
            }).ConfigureAwait(false);
        var quicUnblocked = true;
        if (_marker.QuicBlockChain is not null && Root is { } rootForQuic)
        {
            quicUnblocked = false;
            await Try($"remove the UDP {QuicBlock.Port} block (chain {QuicBlock.Chain})", async () =>
            {
                if (await QuicBlock.RemoveAsync(Adb, Serial, rootForQuic, ct).ConfigureAwait(false) is { } problem) throw new InvalidOperationException(problem);
                quicUnblocked = true;
            }).ConfigureAwait(false);
        }
        var userCaRemoved = true;
        if (_marker.UserCaName is { } caName)
        {
            userCaRemoved = false;
            await Try($"remove \"{caName}\" from the user store", async () =>
            {
                var profile = UserCaInstaller.LoadProfile(_options.SettingsProfile, _options.SettingsProfilePath);
                if (await UserCaInstaller.RemoveAsync(Device, profile, _options.SettingsDriverOptions, UserCaArguments(_marker.UserCaFile ?? "", caName), CaInUserStore, ct).ConfigureAwait(false) is { } problem)
                    throw new InvalidOperationException(problem + "; remove it under Settings > Security > Encryption & credentials > Trusted credentials > User");
                userCaRemoved = true;
            }).ConfigureAwait(false);
        }
        if (_marker.UserCaFile is { } pushed)
            await Try("delete " + pushed, () => UserCaInstaller.DeletePushedAsync(Adb, Serial, pushed, ct)).ConfigureAwait(false);
        await Try("stop the proxy", () => Proxy.DisposeAsync().AsTask()).ConfigureAwait(false);
        await Try("close the flow store", () => Flows.DisposeAsync().AsTask()).ConfigureAwait(false);
        if (proxyCleared && reverseRemoved && userCaRemoved && quicUnblocked)
            await Try("delete the session marker", () =>
            {
                File.Delete(SessionMarker.PathFor(_options.SessionsDirectory, Serial));
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        RestoreProblems = problems;
        RestoreNotes = notes;
    }

    public async ValueTask DisposeAsync() => await RestoreAsync().ConfigureAwait(false);

    /// <summary>
    /// Undoes what killed runs left behind: for every marker in <paramref name="sessionsDirectory"/> whose process is
    /// gone, puts http_proxy back to what the phone had before the run, removes the reverse forward, takes a user CA it installed out again through Settings
    /// (or says where to remove it by hand), deletes the pushed CA file and the marker. Phones that cannot be reached
    /// keep their marker (and are reported) so a later start tries again.
    /// </summary>
    /// <param name="settingsProfilePath">The Settings profile for the user-CA removal; null = <see cref="DeviceSessionOptions.DefaultSettingsProfilePath"/>.</param>
    /// <param name="includeThisProcess">
    /// Also undo markers written by this process, for a long-lived host (a test suite) whose earlier session lost
    /// its phone; only when no session of this process is still using those phones.
    /// </param>
    public static async Task<IReadOnlyList<RecoveryOutcome>> RecoverAsync(AdbClient adb, string sessionsDirectory, CancellationToken cancellationToken = default,
        bool includeThisProcess = false, string? settingsProfilePath = null)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var outcomes = new List<RecoveryOutcome>();
        foreach (var (path, marker) in SessionMarker.ReadAll(sessionsDirectory))
        {
            if (marker is null)
            {
                outcomes.Add(new RecoveryOutcome(Path.GetFileNameWithoutExtension(path), false, "unreadable marker left in place: " + path));
                continue;
            }
            if (marker.OwnerIsAlive() && !(includeThisProcess && marker.ProcessId == self.Id))
            {
                outcomes.Add(new RecoveryOutcome(marker.Serial, false, $"a running harness (pid {marker.ProcessId}) owns this phone; left alone"));
                continue;
            }
            try
            {
                // Same order as RestoreAsync: nothing may be using the tunnel when it goes.
                await adb.PutSettingAsync(marker.Serial, SettingsNamespace.Global, "http_proxy", marker.HttpProxyToRestore, cancellationToken).ConfigureAwait(false);
                foreach (var package in marker.Packages)
                    await adb.ShellAsync(marker.Serial, ShellQuote.Join("am", "force-stop", package), cancellationToken).ConfigureAwait(false);
                if (marker.ScreenSettings is { } screenSettings)
                    await PhoneReadiness.RestoreAsync(adb, marker.Serial, screenSettings, cancellationToken).ConfigureAwait(false);
                var port = $"tcp:{marker.ProxyPort}";
                var reverses = await adb.ListReversesAsync(marker.Serial, cancellationToken).ConfigureAwait(false);
                if (reverses.Any(r => r.Remote == port)) await adb.RemoveReverseAsync(marker.Serial, port, cancellationToken).ConfigureAwait(false);
                var (quicRemoved, quic) = marker.QuicBlockChain is null ? (true, "") : await RecoverQuicBlockAsync(adb, marker, cancellationToken).ConfigureAwait(false);
                if (!quicRemoved)
                {
                    outcomes.Add(new RecoveryOutcome(marker.Serial, false, $"could not remove the UDP {QuicBlock.Port} block ({quic}); marker kept for the next start"));
                    continue;
                }
                var userCa = marker.UserCaName is { } caName
                    ? await RecoverUserCaAsync(adb, marker, caName, settingsProfilePath ?? DeviceSessionOptions.DefaultSettingsProfilePath, cancellationToken).ConfigureAwait(false)
                    : "";
                if (marker.UserCaFile is { } pushed)
                {
                    await UserCaInstaller.DeletePushedAsync(adb, marker.Serial, pushed, cancellationToken).ConfigureAwait(false);
                    userCa += $"; {pushed} deleted";
                }
                File.Delete(path);
                outcomes.Add(new RecoveryOutcome(marker.Serial, true,
                    $"run of {marker.StartedUtc:u} (pid {marker.ProcessId}) left http_proxy 127.0.0.1:{marker.ProxyPort}: {marker.HttpProxyRestoreText}, reverse {port} removed"
                    + (marker.CaInjected ? "; the proxy CA stays in the system store until the phone reboots" : "") + quic + userCa));
            }
            catch (AdbException e)
            {
                outcomes.Add(new RecoveryOutcome(marker.Serial, false, $"could not restore ({e.Message}); marker kept for the next start"));
            }
        }
        return outcomes;
    }

    /// <summary>Removes a killed run's UDP 443 block: whether it is gone, and a detail suffix (or the problem).</summary>
    private static async Task<(bool Removed, string Detail)> RecoverQuicBlockAsync(AdbClient adb, SessionMarker marker, CancellationToken ct)
    {
        var root = await RootAccess.ProbeAsync(adb, marker.Serial, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        if (root is null) return (false, $"root (needed for iptables) no longer answers on {marker.Serial}");
        return await QuicBlock.RemoveAsync(adb, marker.Serial, root, ct).ConfigureAwait(false) is { } problem
            ? (false, problem)
            : (true, $"; UDP {QuicBlock.Port} block for uid {string.Join(", ", marker.QuicBlockedUids)} removed (chain {marker.QuicBlockChain})");
    }

    /// <summary>What recovery did about a user CA a killed run may have installed, as a detail suffix.</summary>
    private static async Task<string> RecoverUserCaAsync(AdbClient adb, SessionMarker marker, string caName, string settingsProfilePath, CancellationToken ct)
    {
        const string byHand = "remove it under Settings > Security > Encryption & credentials > Trusted credentials > User";
        BrowserProfile profile;
        try
        {
            profile = UserCaInstaller.LoadProfile(null, settingsProfilePath);
        }
        catch (BadInputException e)
        {
            return $"; the user CA \"{caName}\" may still be installed ({e.Message}): {byHand}";
        }
        var device = new DeviceClient(adb, await adb.GetDeviceAsync(marker.Serial, ct).ConfigureAwait(false));
        var problem = await UserCaInstaller.RemoveAsync(device, profile, new BrowserDriverOptions(), UserCaArguments(marker.UserCaFile ?? "", caName), knownInstalled: false, ct).ConfigureAwait(false);
        return problem is null
            ? $"; the user CA \"{caName}\" is not in the user store (removed through Settings if it was)"
            : $"; the user CA \"{caName}\" is still installed ({problem}): {byHand}";
    }
}
