using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.TestSupport;

namespace Harness.Proxy.Tests.Support;

/// <summary>
/// Debian's headless Chromium with a throwaway profile and the DevTools protocol on a free loopback port, driven over
/// one page target's WebSocket. Its remote-debugging HTTP server also serves the DevTools frontend that ships inside
/// the browser (/devtools/...), so a page on that origin can import the frontend's own modules.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly StringBuilder _stderr;
    private int _nextId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket, int port, StringBuilder stderr)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _stderr = stderr;
        DebuggingPort = port;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public int DebuggingPort { get; }

    /// <summary>The origin whose /devtools/ path is the browser's bundled DevTools frontend.</summary>
    public string DebuggingOrigin => $"http://127.0.0.1:{DebuggingPort}";

    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct)
    {
        var chromium = RequiredTool.Locate("chromium", "apt-get install chromium");
        var profile = Directory.CreateTempSubdirectory("harness-devtools-").FullName;
        var info = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info)!;
        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Chromium announces its port on stderr ("DevTools listening on ws://127.0.0.1:PORT/devtools/browser/...").
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("chromium closed stderr before listening:\n" + stderr));
                return;
            }
            lock (stderr) stderr.AppendLine(e.Data);
            const string marker = "DevTools listening on ws://127.0.0.1:";
            var at = e.Data.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && int.TryParse(e.Data.AsSpan(at + marker.Length).TrimEnd().ToString().Split('/')[0], out var port))
                listening.TrySetResult(port);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var port = await listening.Task.WaitAsync(ct);
            using var http = new HttpClient(new HttpClientHandler { UseProxy = false });
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", ct))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page" && (string?)t["url"] == "about:blank")!;
            var socket = new ClientWebSocket();
            socket.Options.Proxy = null;
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
            return new HeadlessChromium(process, profile, socket, port, stderr);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            TryDeleteProfile(profile);
            throw;
        }
    }

    /// <summary>Sends one DevTools protocol command and returns its result, or throws with the protocol's error.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, ct);
        var answer = await reply.Task.WaitAsync(ct);
        if (answer["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]!.AsObject();
    }

    /// <summary>Evaluates an expression (awaiting a promise) and returns its value as JSON; a thrown exception fails.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }, ct);
        if (result["exceptionDetails"] is { } exception)
            throw new InvalidOperationException("page threw: " + exception.ToJsonString());
        return result["result"]!["value"]?.DeepClone();
    }

    /// <summary>Navigates and returns once the page's load event fired.</summary>
    public async Task NavigateAsync(string url, CancellationToken ct)
    {
        await SendAsync("Page.enable", null, ct);
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, ct);
        if (navigation["errorText"] is { } errorText) throw new InvalidOperationException($"navigating to {url}: {errorText}");
        // Page.navigate answers once the response is committed; readyState says when the document is usable.
        await EvaluateAsync("new Promise(r => document.readyState === 'complete' ? r(true) : addEventListener('load', () => r(true)))", ct);
    }

    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                if (node["id"] is { } id && _pending.TryRemove((int)id, out var waiter)) waiter.TrySetResult(node);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            foreach (var waiter in _pending.Values) waiter.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _receiveLoop; }
        catch (OperationCanceledException) { }
        _socket.Dispose();
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _stop.Dispose();
        TryDeleteProfile(_profile);
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    private static void TryDeleteProfile(string profile)
    {
        try { Directory.Delete(profile, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
