using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harness.Adb;
using Harness.VirtualDevice;
using Harness.VirtualDevice.Android;

// Shell commands per second through AdbClient versus one `adb -s SERIAL shell CMD` process per command.
// Same phone (a virtual Redmi Note 8 behind a private adb server), same command, one run each.
const string Command = "echo bench";
var clientCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var spawnCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var adbPath = Environment.GetEnvironmentVariable("ADB") ?? "adb";

var port = FreeLoopbackPort();
await RunAdbAsync("start-server");
try
{
    var profile = PhoneProfile.FindBuiltIn("Redmi Note 8") ?? throw new InvalidOperationException("no built-in Redmi Note 8 profile");
    await using var phone = await VirtualPhone.StartAsync(profile, new VirtualPhoneOptions());
    var client = new AdbClient(new AdbClientOptions { Port = port });
    await client.ConnectAsync("127.0.0.1", phone.Port);
    await WaitUntilOnlineAsync(client, phone.Serial);

    // Warm up both paths (JIT, features cache, adb's page cache) so the run measures steady state.
    for (var i = 0; i < 20; i++) Check((await client.ShellAsync(phone.Serial, Command)).Stdout);
    for (var i = 0; i < 3; i++) Check((await RunAdbAsync("-s", phone.Serial, "shell", Command)).Stdout);

    var clock = Stopwatch.StartNew();
    for (var i = 0; i < clientCount; i++) Check((await client.ShellAsync(phone.Serial, Command)).Stdout);
    var clientRate = clientCount / clock.Elapsed.TotalSeconds;

    clock.Restart();
    for (var i = 0; i < spawnCount; i++) Check((await RunAdbAsync("-s", phone.Serial, "shell", Command)).Stdout);
    var spawnRate = spawnCount / clock.Elapsed.TotalSeconds;

    Console.WriteLine($"command: adb shell {Command} on {phone.Serial} ({profile.Model}, virtual) via adb server :{port}");
    Console.WriteLine($"AdbClient.ShellAsync      : {clientCount,5} commands, {clientRate,8:0.0} commands/s");
    Console.WriteLine($"spawn `adb -s S shell CMD`: {spawnCount,5} commands, {spawnRate,8:0.0} commands/s");
    Console.WriteLine($"ratio (client / spawn)    : {clientRate / spawnRate:0.0}x");
    await client.DisconnectAsync("127.0.0.1", phone.Port);
}
finally
{
    await RunAdbAsync("kill-server");
}

static void Check(string stdout)
{
    if (stdout.TrimEnd('\r', '\n') != "bench") throw new InvalidOperationException($"unexpected output \"{stdout}\"");
}

async Task WaitUntilOnlineAsync(AdbClient client, string serial)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await foreach (var change in client.TrackDevicesAsync(timeout.Token))
        if (change.Device.Serial == serial && change.Device.State == DeviceState.Device) return;
}

async Task<(int ExitCode, string Stdout)> RunAdbAsync(params string[] arguments)
{
    var startInfo = new ProcessStartInfo(adbPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    startInfo.ArgumentList.Add("-P");
    startInfo.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
    foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
    using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot run {adbPath}");
    // start-server leaves a daemon holding the pipes: wait for the process, not for EOF.
    var stdout = new System.Text.StringBuilder();
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    await process.WaitForExitAsync();
    process.WaitForExit(); // flushes the async readers
    lock (stdout) return (process.ExitCode, stdout.ToString());
}

static int FreeLoopbackPort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
