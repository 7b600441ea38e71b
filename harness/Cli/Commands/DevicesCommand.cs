using System.CommandLine;
using System.Text.Json;
using Harness.Adb;
using Harness.Core;

namespace Harness.Cli.Commands;

/// <summary>`harness devices`: the phones the adb server knows, with model and Android version.</summary>
public sealed class DevicesCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var adbOption = new Option<string?>("--adb") { Description = "adb server as HOST:PORT (default 127.0.0.1:5037)." };
        var jsonOption = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("devices", "List the phones the adb server sees: serial, state, model, Android version.");
        command.Options.Add(adbOption);
        command.Options.Add(jsonOption);
        command.SetAction(async (parseResult, ct) =>
        {
            AdbClientOptions options;
            try
            {
                options = AdbClientOptions.ForEndpoint(parseResult.GetValue(adbOption));
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"--adb: {e.Message}");
                return (int)ExitCode.BadInput;
            }
            var client = new AdbClient(new AdbClientOptions { Host = options.Host, Port = options.Port, MaxRetryAttempts = 1 });
            IReadOnlyList<DeviceData> devices;
            try
            {
                devices = await client.GetDevicesAsync(ct);
            }
            catch (Exception e) when (e is AdbException or TimeoutException)
            {
                await context.Error.WriteLineAsync(e.Message);
                return (int)ExitCode.Infrastructure;
            }

            var rows = new List<DeviceRow>();
            foreach (var device in devices)
            {
                string? release = null;
                if (device.State == DeviceState.Device)
                {
                    try
                    {
                        release = await client.GetPropertyAsync(device.Serial, "ro.build.version.release", ct);
                    }
                    catch (Exception e) when (e is AdbException or TimeoutException)
                    {
                        release = null;
                    }
                }
                rows.Add(new DeviceRow(device.Serial, device.State.ToString().ToLowerInvariant(), device.Model?.Replace('_', ' '), release));
            }

            if (parseResult.GetValue(jsonOption))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions));
                return (int)ExitCode.AllPass;
            }
            if (rows.Count == 0)
            {
                await context.Out.WriteLineAsync($"no devices attached to the adb server at {client.Endpoint}");
                return (int)ExitCode.AllPass;
            }
            var serialWidth = Math.Max(6, rows.Max(r => r.Serial.Length));
            var stateWidth = Math.Max(5, rows.Max(r => r.State.Length));
            var modelWidth = Math.Max(5, rows.Max(r => (r.Model ?? "-").Length));
            await context.Out.WriteLineAsync($"{"SERIAL".PadRight(serialWidth)}  {"STATE".PadRight(stateWidth)}  {"MODEL".PadRight(modelWidth)}  ANDROID");
            foreach (var row in rows)
                await context.Out.WriteLineAsync($"{row.Serial.PadRight(serialWidth)}  {row.State.PadRight(stateWidth)}  {(row.Model ?? "-").PadRight(modelWidth)}  {row.Android ?? "-"}");
            return (int)ExitCode.AllPass;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record DeviceRow(string Serial, string State, string? Model, string? Android);
}
