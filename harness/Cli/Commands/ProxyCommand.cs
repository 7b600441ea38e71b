using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Harness.Core;
using Harness.Flows;
using Harness.Proxy;
using Harness.Proxy.Capture;
using Harness.Proxy.Certificates;

namespace Harness.Cli.Commands;

/// <summary>`harness proxy`: run the intercepting proxy until SIGINT/SIGTERM, then write DIR/capture.har.</summary>
public sealed class ProxyCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var listen = new Option<string>("--listen") { Description = "Address:port to listen on (port 0 picks a free one).", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var store = new Option<string>("--store") { Description = "Directory for flows.jsonl and capture.har.", Required = true };
        var upstream = new Option<string>("--upstream") { Description = "forward (real origins) or sinkhole (answer locally, nothing leaves).", DefaultValueFactory = _ => "sinkhole" };
        var caDir = new Option<string?>("--ca-dir") { Description = "CA directory (created on first use); default ~/.harness/ca." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow listening on a non-loopback address (an open proxy on a lab network is a hole)." };
        var canary = new Option<string[]>("--canary-host") { Description = "Host answered by the proxy itself with a canary page (repeatable).", AllowMultipleArgumentsPerToken = true };
        var upstreamCa = new Option<string?>("--upstream-ca") { Description = "PEM file with an extra CA trusted for upstream TLS in forward mode." };
        var connectTo = new Option<string[]>("--connect-to") { Description = "Upstream name resolution override, like curl --connect-to: " + ConnectToRule.Syntax + " (repeatable; the first match wins; TLS still verifies the original name).", AllowMultipleArgumentsPerToken = true };
        var maxBody = new Option<long>("--max-body") { Description = "Bytes of each body kept in the store (the true size is always recorded).", DefaultValueFactory = _ => FlowStore.DefaultMaxBodyBytes };

        var command = new Command("proxy", "Run the intercepting proxy; flows go to STORE/flows.jsonl, and STORE/capture.har is written on exit.");
        foreach (var o in new Option[] { listen, store, upstream, caDir, allowRemote, canary, upstreamCa, connectTo, maxBody }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var endPoint = ParseListen(parse.GetValue(listen)!);
            var mode = parse.GetValue(upstream)?.ToLowerInvariant() switch
            {
                "forward" => UpstreamMode.Forward,
                "sinkhole" => UpstreamMode.Sinkhole,
                var other => throw new BadInputException($"'{other}' is not an upstream mode: use forward or sinkhole", field: "--upstream"),
            };
            var remote = parse.GetValue(allowRemote);
            if (!IPAddress.IsLoopback(endPoint.Address))
            {
                if (!remote) throw new BadInputException($"{endPoint.Address} is not loopback; pass --allow-remote if you really want an open proxy there", field: "--listen");
                await context.Error.WriteLineAsync($"warning: listening on {endPoint}: anyone who can reach this address can use the proxy");
            }
            var storeDir = parse.GetValue(store)!;
            using var ca = CertificateAuthority.LoadOrCreate(parse.GetValue(caDir));
            await using var flowStore = new FlowStore(storeDir, parse.GetValue(maxBody));
            var options = new InterceptingProxyOptions
            {
                ListenEndPoint = endPoint,
                AllowRemote = remote,
                UpstreamMode = mode,
                CertificateAuthority = ca,
                Store = flowStore,
                CanaryHosts = parse.GetValue(canary) ?? [],
            };
            if (parse.GetValue(upstreamCa) is { } extraCaPath)
            {
                try { options.UpstreamCertificateValidation = UpstreamTrust.SystemStorePlus(UpstreamTrust.LoadRoots(extraCaPath)); }
                catch (FileNotFoundException) { throw new BadInputException("file not found", extraCaPath, field: "--upstream-ca"); }
                catch (System.Security.Cryptography.CryptographicException e) { throw new BadInputException($"not a PEM or DER certificate: {e.Message}", extraCaPath, field: "--upstream-ca"); }
            }
            options.ConnectTo = (parse.GetValue(connectTo) ?? []).Select(text => ConnectToRule.TryParse(text, out var rule, out var error)
                ? rule! : throw new BadInputException(error, field: "--connect-to")).ToList();
            await using var proxy = new InterceptingProxy(options);
            await proxy.StartAsync(ct);
            await context.Out.WriteLineAsync($"proxy listening on {proxy.LocalEndPoint} (upstream {mode.ToString().ToLowerInvariant()}, CA {ca.Directory})");
            await context.Out.FlushAsync(ct);
            // SIGINT/SIGTERM is the normal way to stop: the HAR is written before exit. The handler stays registered
            // while it is written, so a second Ctrl-C quits without it (every flow is already in flows.jsonl) and a
            // supervisor's SIGTERM does not cut it short.
            using var stop = new StopSignal(ct);
            await stop.WaitAsync();
            await context.Error.WriteLineAsync("stopping: writing the HAR (Ctrl-C again to quit without it; the flows are stored)");
            await proxy.StopAsync();
            var harPath = Path.Combine(storeDir, "capture.har");
            HarWriter.WriteFile(flowStore.ReadAll(), harPath);
            await context.Out.WriteLineAsync($"{flowStore.Count} flows; HAR written to {harPath}");
            return (int)ExitCode.AllPass;
        });
        return command;
    }

    private static IPEndPoint ParseListen(string text)
    {
        if (IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':') && endPoint.Port is >= 0 and <= 65535) return endPoint;
        throw new BadInputException($"'{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:8080)", field: "--listen");
    }
}
