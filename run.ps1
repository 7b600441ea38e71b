<#
.SYNOPSIS
    The main job: runs the NUnit leak suite on the phones of devices.json, renders the Allure report and prints a summary table.

.DESCRIPTION
    Every scenario (scenarios/*.yaml) on every phone of the rack, with every installed browser and every mode of the
    scenario, through the real adb server and one intercepting proxy per phone. Each case is an NUnit test
    (tests/LeakSuite): a leak fails it, an unconfirmed case is inconclusive, never passed.

    On a fresh Debian machine run.ps1 installs (as root) or names what is missing: `adb` (apt-get), the Allure CLI
    (`npm ci`, npm `allure` 3.18.0). When devices.json describes virtual phones, it starts them
    (`harness virtual-rack --devices devices.json`) and stops them afterwards, also on Ctrl+C or an error.

    Output folder (-Out, default results/<UTC time>):
      nunit/leak-suite.trx       NUnit results (one test per case)
      allure-results/            Allure 2 results (one per case, with findings, HAR, screenshots, UI dumps, logcat)
      allure-report/index.html   the report, rendered by the Allure CLI
      bundle/                    the signed evidence bundle (`harness verify OUT/bundle`)
      suite-results.jsonl        one line per case: what the summary table is built from
      summary.txt                the summary table
      regression.md / .json      with -Nightly: new leaks, fixed leaks, newly inconclusive, unchanged

    Exit codes (from `harness summary OUT`): 0 every case passed; 1 a leak was found (with -Nightly: a NEW leak compared with
    the previous version); 2 a case was inconclusive (nothing leaked); 3 usage or configuration error;
    4 infrastructure failure (a phone could not be prepared, the build or the report failed).
    On the shipped virtual rack the run ends with 1: the control scenario and the 2020 browser versions leak.

.PARAMETER Devices
    The rack file. Default devices.json (as shipped: two virtual phones with the 2020 and the fixed browser versions).

.PARAMETER Scenario
    Only scenarios whose name matches this glob, e.g. "incognito-*".

.PARAMETER Browser
    Only this browser profile id: mint, mibrowser or miuibrowser.

.PARAMETER Shard
    K/N: this host's shard of the rack (e.g. one CI job per rack host): the K-th slice of the phones, or with fewer
    phones than shards the K-th slice of each phone's cases. `harness merge OUT1 OUT2 … -o MERGED` combines the shards.

.PARAMETER ProxyPort
    Loopback port of the first phone's proxy; the next phone's is one higher, and so on (each phone reaches its own
    proxy through `adb reverse`). 0 (the default) gives every phone a free port.

.PARAMETER Out
    Output folder. Default results/<UTC time, yyyyMMdd-HHmmss>.

.PARAMETER Settle
    Seconds to wait for telemetry after each case's steps, overriding the profiles (the Sensors SDK flushes every 15 s
    on a real phone). Shorter is faster and risks missing late telemetry.

.PARAMETER Open
    Open the generated report (xdg-open / the default browser) at the end.

.PARAMETER Nightly
    Nightly regression: install every APK of -Apks on every phone first (`adb install -r`), run the suite, and compare
    each case with the last run of the previous version of the same browser, scenario and mode (results/history.db).

.PARAMETER Apks
    Folder of APKs to install with -Nightly (as shipped for the virtual rack: tests/apks).

.PARAMETER History
    History database (default results/history.db).

.PARAMETER Upstream
    forward (the default: every request goes to its real origin, the canary site is answered locally) or sinkhole
    (the proxy answers vendor servers itself; every result then names that limit). Overrides the rack file's
    "upstream": {"mode": ...}. A virtual rack's local internet is added as the rack's connect-to and extra CA.

.PARAMETER Account
    ID_VAR:PASSWORD_VAR: the Mi Account every phone signs in with, read from these environment variables, e.g.
    MI_ACCOUNT_ID:MI_ACCOUNT_PASSWORD (overrides the rack file's "account"). The password is masked in the capture.

.PARAMETER NoBuild
    Do not build; use the binaries of the last build.

.EXAMPLE
    dotnet tool restore; dotnet pwsh run.ps1
    The whole suite on the shipped virtual rack; ends with exit 1 (the 2020 versions leak, the control finds its leak).

.EXAMPLE
    dotnet pwsh run.ps1 -Scenario 'incognito-*' -Browser mint -Settle 5 -Open

.EXAMPLE
    dotnet pwsh run.ps1 -Nightly -Apks tests/apks
    Installs the APKs, runs the suite and writes OUT/regression.md; exit 1 only when a version leaks something its predecessor did not.

.LINK
    README.md, section "The main job"
#>
#Requires -Version 7.0
[CmdletBinding()]
param(
    [string]$Devices = 'devices.json',
    [string]$Scenario,
    [string]$Browser,
    [string]$Shard,
    [int]$ProxyPort = 0,
    [string]$Out,
    [double]$Settle = -1,
    [switch]$Open,
    [switch]$Nightly,
    [string]$Apks,
    [string]$History = 'results/history.db',
    [string]$Upstream,
    [string]$Account,
    [switch]$NoBuild
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
Set-Location $root

# exit codes (README, "Exit codes"); the run's own code comes from `harness summary`
$ExitLeak = 1; $ExitBadInput = 3; $ExitInfrastructure = 4

function Write-Step([string]$text) { Write-Host "==> $text" -ForegroundColor Cyan }
function Stop-Run([int]$code, [string]$message) {
    Write-Host "run.ps1: $message" -ForegroundColor Red
    exit $code
}
function Test-IsRoot { if ($IsWindows) { return $false }; return ((& id -u) -eq '0') }

# ---------------------------------------------------------------- arguments
if (-not (Test-Path -LiteralPath $Devices -PathType Leaf)) { Stop-Run $ExitBadInput "-Devices: no such file: $Devices" }
$Devices = (Resolve-Path -LiteralPath $Devices).Path
try { $rack = Get-Content -LiteralPath $Devices -Raw | ConvertFrom-Json -AsHashtable }
catch { Stop-Run $ExitBadInput "${Devices}: not valid JSON: $($_.Exception.Message)" }
if (-not ($rack -is [hashtable]) -or -not $rack.ContainsKey('devices') -or @($rack['devices']).Count -eq 0) {
    Stop-Run $ExitBadInput "${Devices}: devices: expected a list of phones, e.g. ""devices"": [{""serial"": ""R58M123ABC""}]"
}
if ($Shard -and ($Shard -notmatch '^(\d+)/(\d+)$' -or [int]$Matches[1] -lt 1 -or [int]$Matches[1] -gt [int]$Matches[2])) { Stop-Run $ExitBadInput "-Shard: '$Shard' is not a shard: expected K/N with 1 <= K <= N, e.g. 1/2" }
if ($ProxyPort -lt 0 -or $ProxyPort -gt 65535) { Stop-Run $ExitBadInput "-ProxyPort: a port from 1 to 65535, or 0 for free ports" }
if ($Upstream -and $Upstream -notin 'forward', 'sinkhole') { Stop-Run $ExitBadInput "-Upstream: '$Upstream' is not an upstream mode: use forward or sinkhole" }
if ($Account) {
    if ($Account -notmatch '^([A-Za-z_][A-Za-z0-9_]*):([A-Za-z_][A-Za-z0-9_]*)$') { Stop-Run $ExitBadInput "-Account: '$Account' is not ID_VAR:PASSWORD_VAR, e.g. MI_ACCOUNT_ID:MI_ACCOUNT_PASSWORD" }
    foreach ($name in $Matches[1], $Matches[2]) {
        if (-not [Environment]::GetEnvironmentVariable($name)) { Stop-Run $ExitBadInput "-Account: environment variable $name is not set" }
    }
}
if ($Settle -ne -1 -and $Settle -lt 0) { Stop-Run $ExitBadInput "-Settle: must be zero or more seconds" }
if ($Browser -and $Browser -notmatch '^[A-Za-z0-9._-]+$') { Stop-Run $ExitBadInput "-Browser: a profile id such as mint, mibrowser or miuibrowser" }
if ($Scenario -and $Scenario -notmatch '^[A-Za-z0-9._*?-]+$') { Stop-Run $ExitBadInput "-Scenario: a scenario name or glob such as incognito-*" }
if ($Browser -and -not (Test-Path (Join-Path $root "scenarios/browsers/$Browser.yaml"))) {
    $known = (Get-ChildItem (Join-Path $root 'scenarios/browsers') -Filter *.yaml | ForEach-Object BaseName) -join ', '
    Stop-Run $ExitBadInput "-Browser: no profile '$Browser' (known: $known)"
}
$scenarioNames = @(Get-ChildItem (Join-Path $root 'scenarios') -Filter *.yaml | ForEach-Object BaseName)
if ($Scenario) {
    $scenarioNames = @($scenarioNames | Where-Object { $_ -like $Scenario })
    if ($scenarioNames.Count -eq 0) { Stop-Run $ExitBadInput "-Scenario: no scenario matches '$Scenario'" }
}
if ($Nightly) {
    if (-not $Apks) { Stop-Run $ExitBadInput "-Nightly needs -Apks DIR (the APKs to install, e.g. tests/apks)" }
    if (-not (Test-Path -LiteralPath $Apks -PathType Container)) { Stop-Run $ExitBadInput "-Apks: no such folder: $Apks" }
    $Apks = (Resolve-Path -LiteralPath $Apks).Path
}
elseif ($Apks) { Stop-Run $ExitBadInput "-Apks is only used with -Nightly" }

if (-not $Out) { $Out = Join-Path 'results' ([DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')) }
$Out = [IO.Path]::GetFullPath($Out, $root)
if ((Test-Path -LiteralPath $Out) -and (Get-ChildItem -LiteralPath $Out -Force | Select-Object -First 1)) {
    Stop-Run $ExitBadInput "-Out: $Out exists and is not empty; choose a new folder per run"
}
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$History = [IO.Path]::GetFullPath($History, $root)
$adbEndpoint = if ($rack.ContainsKey('adb') -and $rack['adb']) { [string]$rack['adb'] } else { '127.0.0.1:5037' }
if ($adbEndpoint -notmatch '^(.+):(\d+)$') { Stop-Run $ExitBadInput "${Devices}: adb: expected HOST:PORT, got '$adbEndpoint'" }
$adbHost = $Matches[1]; $adbPort = $Matches[2]
$virtualPhones = @($rack['devices'] | Where-Object { $_ -is [hashtable] -and $_.ContainsKey('virtual') })
$phoneCount = @($rack['devices']).Count

# ---------------------------------------------------------------- prerequisites
Write-Step 'prerequisites'
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Stop-Run $ExitInfrastructure 'the .NET 10 SDK is missing: https://learn.microsoft.com/dotnet/core/install/linux-debian' }
if (-not (Get-Command adb -ErrorAction SilentlyContinue)) {
    if (Test-IsRoot) {
        Write-Host 'installing adb (apt-get install adb)'
        & apt-get update -qq; & apt-get install -y -qq --no-install-recommends adb
        if ($LASTEXITCODE -ne 0) { Stop-Run $ExitInfrastructure 'apt-get install adb failed' }
    }
    else { Stop-Run $ExitInfrastructure '`adb` is missing: install it with `sudo apt-get install adb`' }
}
$allure = Join-Path $root 'node_modules/.bin/allure'
if (-not (Test-Path $allure)) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        if (Test-IsRoot) {
            Write-Host 'installing npm (apt-get install npm)'
            & apt-get update -qq; & apt-get install -y -qq --no-install-recommends npm
            if ($LASTEXITCODE -ne 0) { Stop-Run $ExitInfrastructure 'apt-get install npm failed' }
        }
        else { Stop-Run $ExitInfrastructure '`npm` is missing (needed for the Allure CLI): install it with `sudo apt-get install npm`, then run `npm ci`' }
    }
    Write-Host 'installing the Allure CLI (npm ci)'
    & npm ci --no-audit --no-fund --loglevel=error
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $allure)) { Stop-Run $ExitInfrastructure '`npm ci` did not install the Allure CLI (node_modules/.bin/allure)' }
}

# ---------------------------------------------------------------- build
$harness = Join-Path $root 'harness/Cli/bin/Release/net10.0/harness'
if ($IsWindows) { $harness += '.exe' }
if (-not $NoBuild) {
    Write-Step 'build'
    foreach ($project in 'harness/Cli/Harness.Cli.csproj', 'tests/LeakSuite/Harness.LeakSuite.csproj') {
        & dotnet build $project -c Release -nologo -v q -clp:ErrorsOnly
        if ($LASTEXITCODE -ne 0) { Stop-Run $ExitInfrastructure "build of $project failed" }
    }
}
if (-not (Test-Path $harness)) { Stop-Run $ExitInfrastructure "no harness binary at $harness (run without -NoBuild)" }

# ---------------------------------------------------------------- run
$rackProcess = $null
$upstreamFile = $null
$exit = $ExitInfrastructure
try {
    # adb starts a server only for a local address (with -H it says "cannot start server on remote host").
    if ($adbHost -in '127.0.0.1', 'localhost', '::1') {
        & adb -P $adbPort start-server 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { Stop-Run $ExitInfrastructure "could not start the adb server on port $adbPort (adb -P $adbPort start-server)" }
    }
    if ($virtualPhones.Count -gt 0) {
        Write-Step "virtual rack: $($virtualPhones.Count) phone(s) from $Devices"
        $ready = Join-Path $Out 'virtual-rack.ready'
        $rackProcess = Start-Process -FilePath $harness -PassThru -NoNewWindow `
            -ArgumentList @('virtual-rack', '--devices', $Devices, '--adb', $adbEndpoint, '--ready-file', $ready) `
            -RedirectStandardOutput (Join-Path $Out 'virtual-rack.log') -RedirectStandardError (Join-Path $Out 'virtual-rack.err')
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path $ready)) {
            if ($rackProcess.HasExited) {
                $err = Get-Content (Join-Path $Out 'virtual-rack.err') -Raw -ErrorAction SilentlyContinue
                Stop-Run ($rackProcess.ExitCode -eq $ExitBadInput ? $ExitBadInput : $ExitInfrastructure) "the virtual rack stopped (exit $($rackProcess.ExitCode)): $err"
            }
            if ([DateTime]::UtcNow -gt $deadline) { Stop-Run $ExitInfrastructure 'the virtual rack was not ready within 90 s (see virtual-rack.log)' }
            Start-Sleep -Milliseconds 200
        }
        Get-Content (Join-Path $Out 'virtual-rack.log') | Where-Object { $_ -ne 'ready' } | ForEach-Object { Write-Host "  $_" }
        # The rack publishes where its local internet listens and its root CA beside the ready file: the run forwards
        # there, as to any lab with split DNS and its own CA.
        $upstreamFile = "$ready.upstream.json"
    }

    if ($Nightly) {
        Write-Step "nightly: installing the APKs of $Apks"
        & $harness nightly --devices $Devices --apks $Apks --adb $adbEndpoint --install-only
        if ($LASTEXITCODE -ne 0) { Stop-Run ($LASTEXITCODE -eq $ExitBadInput ? $ExitBadInput : $ExitInfrastructure) "installing the APKs failed (exit $LASTEXITCODE)" }
    }

    # The suite plans the selection itself (HARNESS_SCENARIO, HARNESS_BROWSER), as `harness run` does, so its bundle
    # and results hold exactly what ran.
    $filter = 'TestCategory=LeakSuite'
    $env:HARNESS_SCENARIO = $Scenario
    $env:HARNESS_BROWSER = $Browser
    $env:HARNESS_SHARD = $Shard
    $env:HARNESS_DEVICES = $Devices
    $env:HARNESS_OUT = $Out
    $env:HARNESS_HISTORY = $History
    $env:HARNESS_ADB = $adbEndpoint
    $env:HARNESS_RUN_KIND = $Nightly ? 'nightly' : 'run'
    $env:HARNESS_PROXY_PORT = $ProxyPort -gt 0 ? "$ProxyPort" : ''
    $env:HARNESS_SETTLE = $Settle -ge 0 ? $Settle.ToString([Globalization.CultureInfo]::InvariantCulture) : ''
    $env:HARNESS_UPSTREAM = $Upstream
    $env:HARNESS_UPSTREAM_FILE = $upstreamFile
    $env:HARNESS_ACCOUNT_ENV = $Account
    $workers = [Math]::Max(2, $phoneCount)
    Write-Step "leak suite: $phoneCount phone(s), filter $filter"
    & dotnet test (Join-Path $root 'tests/LeakSuite/Harness.LeakSuite.csproj') -c Release --no-build -nologo `
        --filter $filter --results-directory (Join-Path $Out 'nunit') `
        --logger 'trx;LogFileName=leak-suite.trx' --logger 'console;verbosity=normal' `
        -- "NUnit.NumberOfTestWorkers=$workers" |
        ForEach-Object {
            # Progress: the suite's per-case lines, NUnit's verdicts, and the closing counts.
            if ($_ -match '^\S+ (start|pass|LEAK|inconclusive|n/a|prepared|restored|failed)' -or $_ -match '^\s+(Passed|Failed|Skipped) ' -or $_ -match '^(Total tests|\s+(Passed|Failed|Skipped):|evidence:|leak suite:|recovered |Results File)') {
                $color = switch -Regex ($_) { 'LEAK|Failed| failed:|with problems' { 'Red' } 'inconclusive|Skipped' { 'Yellow' } 'pass|Passed' { 'Green' } default { 'Gray' } }
                Write-Host $_ -ForegroundColor $color
            }
        }

    # ------------------------------------------------------------ report
    $results = Join-Path $Out 'allure-results'
    $report = Join-Path $Out 'allure-report'
    $reportOk = $false
    if (Test-Path $results) {
        Write-Step 'Allure report'
        # Allure 3 keeps its trend history in one JSONL file, carried from run to run next to the history database.
        $historyJsonl = Join-Path (Split-Path $History) 'allure-history.jsonl'
        # One self-contained index.html (singleFile): it opens from file:// without a web server.
        $config = Join-Path $Out 'allurerc.mjs'
        $options = [ordered]@{
            name        = $Nightly ? 'Nightly browser regression' : 'Browser leak suite'
            output      = $report
            historyPath = $historyJsonl
            plugins     = @{ awesome = @{ options = @{ singleFile = $true; reportLanguage = 'en' } } }
        }
        "export default $($options | ConvertTo-Json -Depth 6 -Compress);" | Set-Content -LiteralPath $config
        & $allure generate $results -o $report -c $config 2>&1 | ForEach-Object { Write-Host "  $_" }
        $index = Join-Path $report 'index.html'
        if (-not (Test-Path $index)) { $index = Join-Path $report 'awesome/index.html' }
        $reportOk = $LASTEXITCODE -eq 0 -and (Test-Path $index)
        if ($reportOk) { Write-Host "  report: $index" } else { Write-Host '  the Allure CLI did not produce a report' -ForegroundColor Red }
    }

    if ($Nightly) {
        Write-Step 'nightly regression'
        $runIdFile = Join-Path $Out 'history-run-id.txt'
        # Without it the summary finds no regression.json and says so (exit 4).
        if (Test-Path $runIdFile) { & $harness nightly --report-run (Get-Content $runIdFile -Raw).Trim() --history $History --out $Out }
        else { Write-Host 'the suite recorded no history run' -ForegroundColor Red }
    }

    # ------------------------------------------------------------ summary
    # The table and the exit code are the harness's (`harness summary`, the same for `harness run`): not redone here.
    Write-Host ''
    Write-Step 'summary (browser × scenario × mode)'
    $summaryArgs = @('summary', $Out)
    if ($Nightly) { $summaryArgs += '--nightly' }
    & $harness @summaryArgs | ForEach-Object {
        $color = switch -Regex ($_) { ' LEAK |^phone |^exit [14]' { 'Red' } ' inconclusive |^exit 2' { 'Yellow' } ' pass |^exit 0' { 'Green' } default { 'Gray' } }
        Write-Host $_ -ForegroundColor $color
    }
    $exit = $LASTEXITCODE
    # The rendered report is run.ps1's own step: without it the job failed as infrastructure, unless it found a leak.
    if (-not $reportOk -and $exit -ne $ExitLeak) {
        $exit = $ExitInfrastructure
        "the Allure report was not rendered: exit $exit (infrastructure)" | Add-Content -LiteralPath (Join-Path $Out 'summary.txt')
        Write-Host "the Allure report was not rendered: exit $exit (infrastructure)" -ForegroundColor Red
    }
    Write-Host "output: $Out"
    if ($Open -and $reportOk) {
        if (Get-Command xdg-open -ErrorAction SilentlyContinue) { Start-Process xdg-open $index }
        else { Start-Process $index }
    }
}
finally {
    if ($null -ne $rackProcess -and -not $rackProcess.HasExited) {
        Write-Step 'stopping the virtual rack'
        # SIGTERM lets the rack `adb disconnect` its phones; Kill() would be SIGKILL.
        if ($IsWindows) { Stop-Process -Id $rackProcess.Id } else { & kill -TERM $rackProcess.Id }
        if (-not $rackProcess.WaitForExit(15000)) { $rackProcess.Kill($true) }
    }
    foreach ($name in 'HARNESS_DEVICES', 'HARNESS_OUT', 'HARNESS_HISTORY', 'HARNESS_ADB', 'HARNESS_RUN_KIND', 'HARNESS_SETTLE', 'HARNESS_PROXY_PORT', 'HARNESS_SCENARIO', 'HARNESS_BROWSER', 'HARNESS_SHARD', 'HARNESS_UPSTREAM', 'HARNESS_UPSTREAM_FILE', 'HARNESS_ACCOUNT_ENV') {
        Remove-Item "Env:$name" -ErrorAction SilentlyContinue
    }
}
exit $exit
