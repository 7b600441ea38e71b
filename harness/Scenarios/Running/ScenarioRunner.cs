using System.Text.RegularExpressions;
using Harness.Adb;
using Harness.Browsers;
using Harness.Flows;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Runs cases on a prepared <see cref="DeviceSession"/>: fresh canaries, a capture window, the steps through
/// <see cref="BrowserDriver"/>, the telemetry wait, bypass sampling on rooted phones, the scan, and a verdict that is
/// never pass when something could not be confirmed. Each result is written to the evidence bundle and history.
/// </summary>
public sealed partial class ScenarioRunner
{
    private readonly ScenarioRunOptions _options;
    private readonly CanaryScanner _scanner = new();
    private readonly CaseEvidenceWriter _evidence;

    public ScenarioRunner(ScenarioRunOptions? options = null)
    {
        _options = options ?? new ScenarioRunOptions();
        _evidence = new CaseEvidenceWriter(_options);
    }

    [GeneratedRegex(@"signatures=PackageSignatures\{[^\[]*\[([^\]]+)\]")]
    private static partial Regex PackageSignatures();

    [GeneratedRegex(@"userId=(\d+)")]
    private static partial Regex UserId();

    /// <summary>The app's Linux uid from `dumpsys package PKG` ("userId=10123"); null when not shown.</summary>
    internal static int? ParseUserId(string dumpsys) =>
        UserId().Match(dumpsys) is { Success: true } match && int.TryParse(match.Groups[1].Value, out var uid) ? uid : null;

    /// <summary>
    /// The cases for one phone: every scenario × every profile it applies to whose package is installed × every mode.
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioCase>> PlanAsync(AdbClient adb, string serial, IReadOnlyList<ScenarioScript> scenarios,
        IReadOnlyList<BrowserProfile> profiles, CancellationToken ct)
    {
        var installed = new List<BrowserProfile>();
        foreach (var profile in profiles)
            if (await adb.GetPackageVersionAsync(serial, profile.Package, ct).ConfigureAwait(false) is not null)
                installed.Add(profile);
        return scenarios
            .SelectMany(s => installed.Where(p => s.AppliesTo(p.Id)).SelectMany(p => s.Modes.Select(m => new ScenarioCase(s, p, m, serial))))
            .ToList();
    }

    /// <summary>Records the phone's facts in the evidence bundle (no-op without one).</summary>
    /// <param name="tunnel">How fast the adb transport of a phone reached over `adb connect` is (null for USB).</param>
    public async Task RecordDeviceAsync(DeviceSession session, IReadOnlyList<BrowserProfile> profiles, CancellationToken ct, TunnelMeasurement? tunnel = null)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        var uids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            if (await session.Adb.GetPackageVersionAsync(session.Serial, profile.Package, ct).ConfigureAwait(false) is not { } version) continue;
            versions[profile.Package] = $"{version.VersionName} ({version.VersionCode})";
            // dumpsys shows the signing certificates' digests as "signatures=PackageSignatures{… [53c7b0e]}" where readable.
            var dump = await session.Adb.ShellAsync(session.Serial, ShellQuote.Join("dumpsys", "package", profile.Package), ct).ConfigureAwait(false);
            if (PackageSignatures().Match(dump.Stdout) is { Success: true } match) signatures[profile.Package] = match.Groups[1].Value;
            if (ParseUserId(dump.Stdout) is { } uid) uids[profile.Package] = uid;
        }
        // Before the facts are written, so that they say what the block covers (or why there is none).
        await session.BlockQuicAsync(uids, ct).ConfigureAwait(false);
        await _evidence.WriteDeviceFactsAsync(session, versions, signatures, ct, tunnel?.Describe()).ConfigureAwait(false);
    }

    public async Task<CaseResult> RunCaseAsync(DeviceSession session, ScenarioCase scenarioCase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(scenarioCase);
        var result = scenarioCase.Scenario.Differential is { } runs
            ? await RunDifferentialAsync(session, scenarioCase, runs, ct).ConfigureAwait(false)
            : await new CaseRun(this, session, scenarioCase).ExecuteAsync(ct).ConfigureAwait(false);
        return await _evidence.WriteAsync(result, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A differential case: the steps run N times with URL canaries growing by <see cref="DifferentialAnalyzer.InputLengthStep"/>
    /// characters, then once as the baseline (run 1's length, other values); while the runs disagree in a way the input
    /// does not explain, the run the analysis points at is repeated, at most <see cref="DifferentialAnalyzer.MaxExtraRuns"/>
    /// times. A run that breaks off (a step, the device) ends the case with its result: there is nothing to compare.
    /// </summary>
    private async Task<CaseResult> RunDifferentialAsync(DeviceSession session, ScenarioCase scenarioCase, int canaryRuns, CancellationToken ct)
    {
        var runs = new List<(DifferentialRunResult Run, CaseJudgeInput Input)>();
        var repeats = new Dictionary<int, int>();
        async Task<CaseResult?> RunSlotAsync(int slot)
        {
            var repeat = repeats[slot] = repeats.GetValueOrDefault(slot, -1) + 1;
            var label = DifferentialRun.LabelFor(slot, repeat);
            var caseRun = new CaseRun(this, session, scenarioCase, slot == 0 ? 0 : (slot - 1) * DifferentialAnalyzer.InputLengthStep, label);
            var result = await caseRun.ExecuteAsync(ct).ConfigureAwait(false);
            if (!result.Judged || caseRun.JudgedInput is not { } input)
                return runs.Count == 0 ? result : result with { Reason = $"{label}: {result.Reason}", Flows = [.. runs.SelectMany(r => r.Run.Result.Flows), .. result.Flows] };
            var length = result.Canaries!.Get(CanaryKind.Url)!.Value.Length;
            runs.Add((new DifferentialRunResult(new DifferentialRun(label, slot, length, runs.Count), result), input));
            return null;
        }

        foreach (var slot in Enumerable.Range(1, canaryRuns).Append(0))
            if (await RunSlotAsync(slot).ConfigureAwait(false) is { } broke) return broke;
        var judged = CaseJudge.JudgeDifferential(_scanner, runs.Select(r => new DifferentialRunInput(r.Run.Run, r.Input)).ToList());
        for (var extra = 0; extra < DifferentialAnalyzer.MaxExtraRuns && judged.Differential is { Agree: false, RepeatSlot: { } again }; extra++)
        {
            if (await RunSlotAsync(again).ConfigureAwait(false) is { } broke) return broke;
            judged = CaseJudge.JudgeDifferential(_scanner, runs.Select(r => new DifferentialRunInput(r.Run.Run, r.Input)).ToList());
        }

        var first = runs[0].Run.Result;
        var reason = judged.Verdict == CaseVerdict.Inconclusive && session.CoverageLimits.Count > 0
            ? judged.Reason + "; phone limit: " + string.Join("; ", session.CoverageLimits)
            : judged.Reason;
        static IReadOnlyList<CaseAttachment> Labelled(IEnumerable<(DifferentialRunResult Run, CaseJudgeInput)> all, Func<CaseResult, IReadOnlyList<CaseAttachment>> pick) =>
            all.SelectMany(r => pick(r.Run.Result).Select(a => a with { FileName = $"{r.Run.Run.Label}-{a.FileName}" })).ToList();
        return first with
        {
            Verdict = judged.Verdict,
            Reason = reason,
            Judged = true,
            BlindSpot = null,
            Findings = judged.Scan.Findings,
            DeviceMetadataFindings = judged.Scan.DeviceMetadataFindings,
            LinkableIdentifiers = judged.Scan.Linkables,
            CoverageGaps = judged.CoverageGaps,
            ExpectationOutcomes = judged.ExpectationOutcomes,
            Steps = runs.SelectMany(r => r.Run.Result.Steps.Select(s => s with { Name = $"{r.Run.Run.Label}: {s.Name}" })).ToList(),
            Screenshots = Labelled(runs, r => r.Screenshots),
            UiDumps = Labelled(runs, r => r.UiDumps),
            Logcat = string.Concat(runs.Select(r => $"--- {r.Run.Run.Label}\n{r.Run.Result.Logcat}\n")),
            Flows = runs.SelectMany(r => r.Run.Result.Flows).ToList(),
            UnaccountedConnections = runs.SelectMany(r => r.Run.Result.UnaccountedConnections).ToList(),
            DifferentialRuns = runs.Select(r => r.Run).ToList(),
            DifferentialTable = judged.Differential?.Table ?? [],
            StoppedUtc = runs[^1].Run.Result.StoppedUtc,
        };
    }

    /// <summary>The state of one case (or one run of a differential case) while it runs.</summary>
    /// <param name="extraPathLength">Characters added to the URL canary's path (a differential run's input length).</param>
    /// <param name="runLabel">The differential run's label, tagged on its flows; null for a case run once.</param>
    private sealed class CaseRun(ScenarioRunner runner, DeviceSession session, ScenarioCase scenarioCase, int extraPathLength = 0, string? runLabel = null)
    {
        private readonly ScenarioRunOptions _options = runner._options;
        private readonly TimeProvider _time = runner._options.TimeProvider;
        private readonly List<CaseStepTiming> _steps = [];
        private readonly List<CaseAttachment> _screenshots = [];
        private readonly List<CaseAttachment> _dumps = [];
        private readonly List<(string Label, Proxy.Capture.FlowStoreMark Mark)> _sessions = [];
        private BrowserDriver? _driver;
        private string? _version;
        private CanarySet? _canaries;
        private int _sessionCount = 1;
        private DateTimeOffset? _lastBrowsingStep;

        /// <summary>What the case was judged from, once it reached its scan.</summary>
        public CaseJudgeInput? JudgedInput { get; private set; }

        private ScenarioScript Scenario => scenarioCase.Scenario;
        private BrowserProfile Profile => scenarioCase.Browser;
        private BrowserDriver Driver => _driver ?? throw new InvalidOperationException("the browser is not attached");

        public async Task<CaseResult> ExecuteAsync(CancellationToken ct)
        {
            var started = _time.GetUtcNow();
            CaseResult Result(CaseVerdict verdict, string reason, string? infrastructure = null) => new()
            {
                Case = scenarioCase,
                Verdict = verdict,
                Reason = reason,
                InfrastructureError = infrastructure,
                BrowserVersion = _version,
                DeviceModel = session.Model,
                CoverageLimits = session.CoverageLimits,
                Upstream = session.Settings.UpstreamName,
                VendorSuffixes = VendorSuffixes,
                Steps = _steps.ToList(),
                Screenshots = _screenshots.ToList(),
                UiDumps = _dumps.ToList(),
                Canaries = _canaries,
                // What was captured before the case broke off is still evidence (e.g. the last request before a drop).
                Flows = _sessions.Count == 0 ? [] : ReadWindow(_sessions[0].Mark, session.Flows.Mark()),
                StartedUtc = started,
                StoppedUtc = _time.GetUtcNow(),
            };

            session.CaseId = scenarioCase.Id;
            session.SessionLabel = "session-1";
            ConnectionSampler? sampler = null;
            try
            {
                var repaired = await Step("check routing", () => session.EnsureRoutedAsync(ct)).ConfigureAwait(false);
                if (repaired.Count > 0) _steps[^1] = _steps[^1] with { Message = "re-asserted: " + string.Join(", ", repaired) };
                _driver = await Step("attach " + Profile.Id, () => BrowserDriver.AttachAsync(new DeviceClientUi(session.Device), Profile, _options.DriverOptions, ct)).ConfigureAwait(false);
                _version = _driver.InstalledVersion;
                // A dismissed interrupting dialog (first-run consent after clear-data, a system prompt) is a step of the case.
                _driver.DialogDismissed += d => _steps.Add(new CaseStepTiming("dismiss-dialog " + d.Name, d.AtUtc, d.AtUtc, "passed", d.Dismissal));
                CheckApplicable();

                _canaries = CanarySet.Generate(_options.Random, searchEngineHosts: IntendedHosts(), queryScript: Scenario.SearchScript, extraPathLength: extraPathLength);
                session.Proxy.SetCanaryHosts([_canaries.Get(CanaryKind.Host)!.Value]);
                await session.TouchPackageAsync(Profile.Package, ct).ConfigureAwait(false);
                await TryShellAsync("logcat -c", ct).ConfigureAwait(false);
                int? uid = null;
                if (session.SocketTablesReadable)
                {
                    uid = await ReadUidAsync(ct).ConfigureAwait(false);
                    // Idempotent: the block is normally in place since the phone's facts were recorded.
                    if (uid is { } known && session.IsRooted) await session.BlockQuicAsync(new Dictionary<string, int> { [Profile.Package] = known }, ct).ConfigureAwait(false);
                    sampler = new ConnectionSampler(session.Adb, session.Serial, session.Root, session.ProxyPort, uid, session.IsQuicBlocked, _options.ConnectionSampleInterval, _time, ct);
                }

                var start = session.Flows.Mark();
                _sessions.Add(("session-1", start));
                foreach (var step in Scenario.Steps)
                    await RunStepAsync(step, ct).ConfigureAwait(false);
                await AwaitTelemetryHeartbeatAsync(start, ct).ConfigureAwait(false);
                var end = session.Flows.Mark();
                // A phone that dropped or lost its route mid-case saw traffic the capture did not.
                var routing = await Step("confirm routing", () => session.CheckRoutedAsync(ct)).ConfigureAwait(false);
                var died = await Step("confirm browser alive", () => CheckBrowserAliveAsync(ct)).ConfigureAwait(false);

                var (unaccounted, droppedQuic) = sampler is null ? ([], []) : await sampler.StopAsync().ConfigureAwait(false);
                var quicBlock = await ConfirmQuicBlockAsync(uid, droppedQuic, ct).ConfigureAwait(false);
                // Dropped datagrams never left the phone, unless the block was gone by the end of the case.
                if (quicBlock is not null) unaccounted = [.. unaccounted, .. droppedQuic];
                var flows = ReadWindow(start, end);
                var logcat = await TryLogcatAsync(ct).ConfigureAwait(false);
                // The browser has its SSAID entry once it asked for ANDROID_ID, i.e. by now.
                if (session.IsRooted && Scenario.Expectations.Any(e => e.Kind == ScenarioExpectationKind.NoDeviceMetadata))
                    await session.RefreshSsaidsAsync(ct).ConfigureAwait(false);
                var judged = Judge(flows, unaccounted, string.Join("; ", new[] { sampler?.Problem, routing, died, quicBlock }.Where(p => p is not null)) is { Length: > 0 } blind ? blind : null);
                if (judged.Verdict == CaseVerdict.Inconclusive && session.CoverageLimits.Count > 0)
                    judged = judged with { Reason = judged.Reason + "; phone limit: " + string.Join("; ", session.CoverageLimits) };
                return judged with
                {
                    BrowserVersion = _version,
                    DeviceModel = session.Model,
                    CoverageLimits = session.CoverageLimits,
                    Upstream = session.Settings.UpstreamName,
                VendorSuffixes = VendorSuffixes,
                    Steps = _steps.ToList(),
                    Screenshots = _screenshots.ToList(),
                    UiDumps = _dumps.ToList(),
                    Logcat = logcat,
                    Flows = flows,
                    Canaries = _canaries,
                    UnaccountedConnections = unaccounted,
                    TelemetryEndpoints = Profile.Telemetry?.Endpoints ?? [],
                    LastBrowsingStepUtc = _lastBrowsingStep,
                    StartedUtc = started,
                    StoppedUtc = _time.GetUtcNow(),
                };
            }
            catch (CaseNotApplicableException e)
            {
                return Result(CaseVerdict.NotApplicable, e.Message);
            }
            catch (BrowserActionNotAvailableException e)
            {
                return Result(CaseVerdict.NotApplicable, e.Message);
            }
            catch (BrowserStepFailedException e)
            {
                if (e.ScreenshotPng is { } png) _screenshots.Add(new CaseAttachment($"failed-step-{_steps.Count}.png", "image/png", png));
                if (e.UiDumpXml is { } xml) _dumps.Add(new CaseAttachment($"failed-step-{_steps.Count}.xml", "application/xml", System.Text.Encoding.UTF8.GetBytes(xml)));
                return WithLogcat(Result(CaseVerdict.Inconclusive, "step not confirmed: " + e.Message), await TryLogcatAsync(ct).ConfigureAwait(false));
            }
            catch (CaseInconclusiveException e)
            {
                return WithLogcat(Result(CaseVerdict.Inconclusive, e.Message), await TryLogcatAsync(ct).ConfigureAwait(false));
            }
            catch (BrowserVersionNotSupportedException e)
            {
                return Result(CaseVerdict.Inconclusive, "no profile range for the installed version: " + e.Message);
            }
            catch (BrowserNotInstalledException e)
            {
                return Result(CaseVerdict.NotApplicable, e.Message);
            }
            catch (AdbException e) when (!ct.IsCancellationRequested)
            {
                var lost = e is DeviceNotFoundException or DeviceOfflineException or AdbServerUnavailableException;
                return Result(CaseVerdict.Inconclusive, (lost ? "device lost: " : "adb command failed: ") + e.Message, e.GetType().Name + ": " + e.Message);
            }
            catch (IOException e) when (!ct.IsCancellationRequested)
            {
                return Result(CaseVerdict.Inconclusive, "device connection broke: " + e.Message, e.GetType().Name + ": " + e.Message);
            }
            catch (TimeoutException e) when (!ct.IsCancellationRequested)
            {
                return Result(CaseVerdict.Inconclusive, "device did not answer: " + e.Message, e.GetType().Name + ": " + e.Message);
            }
            finally
            {
                if (sampler is not null) await sampler.DisposeAsync().ConfigureAwait(false);
                session.CaseId = null;
            }
        }

        private static CaseResult WithLogcat(CaseResult result, string? logcat) => result with { Logcat = logcat };

        /// <summary>A mode that needs an action the installed version lacks cannot be judged on it: skipped, never passed.</summary>
        private void CheckApplicable()
        {
            var mode = scenarioCase.Mode;
            void Need(bool needed, BrowserAction action, string why)
            {
                if (needed && !Driver.Supports(action))
                    throw new CaseNotApplicableException($"{Profile.Name} {Driver.InstalledVersion} has no {action.ToName()} ({why}); profile {Profile.SourceFile}");
            }
            Need(mode.EnhancedIncognito == true, BrowserAction.EnhancedIncognitoOn, "mode " + mode.Name);
            Need(mode.Incognito == true, BrowserAction.IncognitoOn, "mode " + mode.Name);
            Need(mode.NeedsSignIn, BrowserAction.SignIn, "mode " + mode.Name);
            if (mode.NeedsSignIn && session.Account is null)
                throw new CaseNotApplicableException($"mode {mode.Name} needs a Mi Account and the rack names none for {session.Serial}: add \"account\": {{\"id-env\": …, \"password-env\": …}} to the rack file (or pass --account-env)");
            Need(mode.Sync is not null, mode.Sync == true ? BrowserAction.SyncOn : BrowserAction.SyncOff, "mode " + mode.Name);
            foreach (var step in Scenario.Steps)
            {
                Need(step.Kind == ScenarioStepKind.OpenUrl, BrowserAction.OpenUrl, "step " + step);
                Need(step.Kind == ScenarioStepKind.Search, BrowserAction.Search, "step " + step);
                Need(step.Kind == ScenarioStepKind.OpenNewsItem, BrowserAction.OpenNewsItem, "step " + step);
                Need(step.Kind == ScenarioStepKind.SignIn, BrowserAction.SignIn, "step " + step);
                Need(step.Kind == ScenarioStepKind.SignOut, BrowserAction.SignOut, "step " + step);
            }
        }

        private async Task RunStepAsync(ScenarioStep step, CancellationToken ct)
        {
            switch (step.Kind)
            {
                case ScenarioStepKind.ClearData:
                    await Step("clear-data", () => session.Device.ClearAppDataAsync(Profile.Package, ct)).ConfigureAwait(false);
                    break;
                case ScenarioStepKind.Launch:
                    await Step("launch", () => Driver.LaunchAsync(ct)).ConfigureAwait(false);
                    break;
                case ScenarioStepKind.ApplyMode:
                    await Step("apply-mode " + scenarioCase.Mode.Name, () => ApplyModeAsync(ct)).ConfigureAwait(false);
                    break;
                case ScenarioStepKind.OpenUrl:
                {
                    var url = CanaryTemplate.Expand(step.Argument!, _canaries!);
                    await Step("open-url " + url, () => Driver.OpenUrlAsync(url, ct)).ConfigureAwait(false);
                    _lastBrowsingStep = _time.GetUtcNow();
                    break;
                }
                case ScenarioStepKind.Search:
                {
                    var term = CanaryTemplate.Expand(step.Argument!, _canaries!);
                    await Step("search " + term, () => Driver.SearchAsync(term, ct)).ConfigureAwait(false);
                    _lastBrowsingStep = _time.GetUtcNow();
                    break;
                }
                case ScenarioStepKind.OpenNewsItem:
                    await Step("open-news-item", async () =>
                    {
                        if (Driver.Supports(BrowserAction.GoHome)) await Driver.RunAsync(BrowserAction.GoHome, null, ct).ConfigureAwait(false);
                        await Driver.RunAsync(BrowserAction.OpenNewsItem, null, ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                    _lastBrowsingStep = _time.GetUtcNow();
                    break;
                case ScenarioStepKind.WaitTelemetry:
                {
                    var wait = _options.SettleTime ?? step.Duration ?? Profile.TelemetrySettle;
                    await Step($"wait-telemetry {wait.TotalSeconds:0.#}s", () => Task.Delay(wait, _time, ct)).ConfigureAwait(false);
                    break;
                }
                case ScenarioStepKind.RestartBrowser:
                    await Step("restart-browser", async () =>
                    {
                        await Driver.ForceStopAsync(ct).ConfigureAwait(false);
                        await Driver.LaunchAsync(ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                    break;
                case ScenarioStepKind.NewSession:
                {
                    _sessionCount++;
                    var label = step.Label ?? $"session-{_sessionCount}";
                    await Step("new-session " + label, async () =>
                    {
                        await Driver.ForceStopAsync(ct).ConfigureAwait(false);
                        session.SessionLabel = label;
                        _sessions.Add((label, session.Flows.Mark()));
                        await Driver.LaunchAsync(ct).ConfigureAwait(false);
                        await ApplyModeAsync(ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                    break;
                }
                case ScenarioStepKind.SignIn:
                    await Step("sign-in", () => SignInAsync(ct)).ConfigureAwait(false);
                    break;
                case ScenarioStepKind.SignOut:
                    await Step("sign-out", async () =>
                    {
                        await Driver.RunAsync(BrowserAction.SignOut, null, ct).ConfigureAwait(false);
                        if (Driver.Supports(BrowserAction.SignInState) && await Driver.IsSignedInAsync(ct).ConfigureAwait(false))
                            throw new CaseInconclusiveException("sign-out did not take: the browser still shows a signed-in Mi Account");
                    }).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(step), step.Kind, null);
            }
        }

        /// <summary>
        /// Where the case's traffic may go: the canary site (added by the canary set), the search engines the profile
        /// names for the phone's locale (Baidu for a MIUI China build on zh-CN), and the hosts the scenario and the rack add.
        /// </summary>
        private IReadOnlyList<string> IntendedHosts()
        {
            var locale = session.Properties.GetValueOrDefault("persist.sys.locale") is { Length: > 0 } set ? set : session.Properties.GetValueOrDefault("ro.product.locale");
            return [.. Profile.SearchEnginesFor(locale), .. Scenario.IntendedHosts, .. session.Settings.IntendedHosts];
        }

        /// <summary>The built-in vendor domains (or the run's own list) plus the ones the scenario and the rack add.</summary>
        private IReadOnlyList<string> VendorSuffixes => [.. _options.VendorSuffixes ?? DestinationClassifier.DefaultVendorSuffixes, .. Scenario.VendorDomains, .. session.Settings.VendorDomains];

        /// <summary>
        /// The settle time the user chose may end before the SDK flushed what was browsed. When no upload to the
        /// profile's telemetry endpoints started after the last browsing step, wait once more, until one does or until
        /// the flush interval plus a margin has passed since that step; the judge decides from what the window holds.
        /// </summary>
        private async Task AwaitTelemetryHeartbeatAsync(Proxy.Capture.FlowStoreMark start, CancellationToken ct)
        {
            if (Profile.Telemetry is not { } telemetry || _lastBrowsingStep is not { } last) return;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            bool Ends(Flow flow) => TelemetryHeartbeatCheck.IsHeartbeat(flow, telemetry.Endpoints, last)
                || TelemetryHeartbeatCheck.IsUnreadableAttempt(flow, telemetry.Endpoints, last);
            void OnAppended(Flow flow)
            {
                if (Ends(flow)) seen.TrySetResult();
            }
            session.Flows.Appended += OnAppended;
            try
            {
                // Subscribed first, then read: an upload stored in between is seen by one or the other.
                if (session.Flows.ReadSince(start).Any(Ends)) return;
                var remaining = last + telemetry.Deadline - _time.GetUtcNow();
                var name = $"wait-telemetry-heartbeat up to {Math.Max(0, remaining.TotalSeconds):0.#}s";
                await Step(name, async () =>
                {
                    if (remaining > TimeSpan.Zero)
                    {
                        // Either way the judge decides from the window: waiting out the deadline is not a failed step.
                        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        await Task.WhenAny(seen.Task, Task.Delay(remaining, _time, stop.Token)).ConfigureAwait(false);
                        await stop.CancelAsync().ConfigureAwait(false);
                        ct.ThrowIfCancellationRequested();
                    }
                }).ConfigureAwait(false);
                _steps[^1] = _steps[^1] with
                {
                    Message = seen.Task.IsCompleted
                        ? "no telemetry upload after the last browsing step within the settle time; one came (or was refused) during the extension"
                        : $"no upload to {string.Join(", ", telemetry.Endpoints)} within {telemetry.Deadline.TotalSeconds:0.#}s of the last browsing step",
                };
            }
            finally
            {
                session.Flows.Appended -= OnAppended;
            }
        }

        /// <summary>Account and sync first (they live in normal-mode settings), then incognito, then enhanced incognito (enabled only inside incognito).</summary>
        private async Task ApplyModeAsync(CancellationToken ct)
        {
            var mode = scenarioCase.Mode;
            if (mode.NeedsSignIn) await SignInAsync(ct).ConfigureAwait(false);
            else if (mode.SignedIn == false && Driver.Supports(BrowserAction.SignInState) && await Driver.IsSignedInAsync(ct).ConfigureAwait(false))
                await Driver.RunAsync(BrowserAction.SignOut, null, ct).ConfigureAwait(false);
            if (mode.Sync == true) await Driver.SetSyncAsync(true, ct).ConfigureAwait(false);
            else if (mode.Sync == false && await IsSignedInAsync(ct).ConfigureAwait(false))
                await Driver.SetSyncAsync(false, ct).ConfigureAwait(false);
            // Signed out, sync is off by nature: its switch is disabled until a Mi Account signs in.
            if (mode.Incognito is { } incognito)
            {
                await Driver.SetIncognitoAsync(incognito, ct).ConfigureAwait(false);
                if (Driver.Supports(BrowserAction.ConfirmIncognitoState) && await Driver.IsIncognitoAsync(ct).ConfigureAwait(false) != incognito)
                    throw new CaseInconclusiveException($"incognito {(incognito ? "on" : "off")} did not take: the browser reads back the opposite");
            }
            if (mode.EnhancedIncognito is { } enhanced)
            {
                var action = enhanced ? BrowserAction.EnhancedIncognitoOn : BrowserAction.EnhancedIncognitoOff;
                // A version without the option is "off" by nature; "on" was ruled out by CheckApplicable.
                if (Driver.Supports(action)) await Driver.SetEnhancedIncognitoAsync(enhanced, ct).ConfigureAwait(false);
            }
        }

        /// <summary>True when signed in; a version that cannot show its account state counts as signed in, so sync is still set explicitly.</summary>
        private async Task<bool> IsSignedInAsync(CancellationToken ct) =>
            !Driver.Supports(BrowserAction.SignInState) || await Driver.IsSignedInAsync(ct).ConfigureAwait(false);

        private async Task SignInAsync(CancellationToken ct)
        {
            if (Driver.Supports(BrowserAction.SignInState) && await Driver.IsSignedInAsync(ct).ConfigureAwait(false)) return;
            var account = session.Account ?? throw new CaseNotApplicableException($"no Mi Account for {session.Serial}");
            await Driver.SignInAsync(account.Id, account.Password, ct).ConfigureAwait(false);
            if (Driver.Supports(BrowserAction.SignInState) && !await Driver.IsSignedInAsync(ct).ConfigureAwait(false))
                throw new CaseInconclusiveException("sign-in did not take: the browser does not show the Mi Account as signed in");
        }

        private async Task Step(string name, Func<Task> action) => await Step(name, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        private async Task<T> Step<T>(string name, Func<Task<T>> action)
        {
            var started = _time.GetUtcNow();
            try
            {
                var value = await action().ConfigureAwait(false);
                _steps.Add(new CaseStepTiming(name, started, _time.GetUtcNow(), "passed"));
                return value;
            }
            catch (Exception e)
            {
                var status = e is CaseNotApplicableException or BrowserActionNotAvailableException ? "skipped"
                    : e is AdbException or IOException or TimeoutException or OperationCanceledException ? "broken" : "failed";
                _steps.Add(new CaseStepTiming(name, started, _time.GetUtcNow(), status, e.Message));
                throw;
            }
        }

        private List<Flow> ReadWindow(Proxy.Capture.FlowStoreMark start, Proxy.Capture.FlowStoreMark end)
        {
            var flows = session.Flows.ReadBetween(start, end);
            // Flows that ended before a request (TLS refused) never met the tagging hook: label them by window.
            foreach (var flow in flows)
            {
                if (runLabel is not null) flow.Tags[DifferentialAnalyzer.RunTag] = runLabel;
                if (flow.Tags.ContainsKey(DeviceSession.SessionTag)) continue;
                var started = flow.Timings.Start;
                var label = _sessions.LastOrDefault(s => s.Mark.Time <= started).Label ?? "session-1";
                flow.Tags[DeviceSession.SessionTag] = label;
            }
            return flows;
        }

        private CaseResult Judge(IReadOnlyList<Flow> flows, IReadOnlyList<UnaccountedConnection> unaccounted, string? blindSpot)
        {
            var input = JudgedInput = new CaseJudgeInput
            {
                Flows = flows,
                Canaries = _canaries!,
                Expectations = Scenario.Expectations,
                VendorSuffixes = VendorSuffixes,
                DeviceMetadata = session.MetadataFor(Profile.Package),
                UnaccountedConnections = unaccounted,
                BlindSpot = blindSpot,
                TelemetryEndpoints = Profile.Telemetry?.Endpoints ?? [],
                LastBrowsingStepUtc = _lastBrowsingStep,
            };
            var judged = CaseJudge.Judge(runner._scanner, input);
            return new CaseResult
            {
                Case = scenarioCase,
                Verdict = judged.Verdict,
                Reason = judged.Reason,
                Judged = true,
                BlindSpot = blindSpot,
                DeviceMetadata = session.MetadataFor(Profile.Package),
                Findings = judged.Scan.Findings,
                DeviceMetadataFindings = judged.Scan.DeviceMetadataFindings,
                LinkableIdentifiers = judged.Scan.Linkables,
                CoverageGaps = judged.CoverageGaps,
                ExpectationOutcomes = judged.ExpectationOutcomes,
            };
        }

        /// <summary>A browser that died during the case (crash, OOM kill) took the telemetry it had buffered with it: part of the case was never seen.</summary>
        private async Task<string?> CheckBrowserAliveAsync(CancellationToken ct)
        {
            var result = await session.Adb.ShellAsync(session.Serial, ShellQuote.Join("pidof", Profile.Package), ct).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(result.Stdout)
                ? $"{Profile.Package} was not running at the end of the case (crashed or killed): what it had buffered was never sent"
                : null;
        }

        private async Task<int?> ReadUidAsync(CancellationToken ct)
        {
            var result = await session.Adb.ShellAsync(session.Serial, ShellQuote.Join("dumpsys", "package", Profile.Package), ct).ConfigureAwait(false);
            return ParseUserId(result.Stdout);
        }

        /// <summary>
        /// After a case whose browser's QUIC the session drops: null when the rules are still in both tables, else why
        /// the case cannot rule QUIC out (a rule removed mid-case, by netd or a user, let datagrams out).
        /// </summary>
        private async Task<string?> ConfirmQuicBlockAsync(int? uid, IReadOnlyList<UnaccountedConnection> droppedQuic, CancellationToken ct)
        {
            if (uid is not { } known || !session.IsQuicBlocked(known) || session.Root is not { } root) return null;
            var problem = await Step("confirm QUIC block", () => QuicBlock.CheckAsync(session.Adb, session.Serial, root, [known], ct)).ConfigureAwait(false);
            if (problem is null && droppedQuic.Count > 0)
                _steps[^1] = _steps[^1] with { Message = $"{droppedQuic.Count} QUIC attempt(s) dropped: {string.Join(", ", droppedQuic.Select(d => d.Remote))}" };
            return problem is null ? null : $"UDP {QuicBlock.Port} block for uid {known} gone by the end of the case ({problem}): QUIC may have left the phone";
        }

        private async Task TryShellAsync(string command, CancellationToken ct)
        {
            try
            {
                await session.Adb.ShellAsync(session.Serial, command, ct).ConfigureAwait(false);
            }
            catch (AdbException)
            {
                // Logcat housekeeping is a nicety; the steps will meet a real device problem themselves.
            }
        }

        private async Task<string?> TryLogcatAsync(CancellationToken ct)
        {
            try
            {
                return await session.Device.LogcatDumpAsync($"-t {_options.LogcatLines}", ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AdbException or IOException or TimeoutException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
