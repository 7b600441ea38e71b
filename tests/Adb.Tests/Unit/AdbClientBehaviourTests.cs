using System.Net;
using System.Net.Sockets;
using Harness.Adb;
using Harness.Adb.Protocol;
using Harness.Adb.Tests.Fakes;

namespace Harness.Adb.Tests.Unit;

/// <summary>Client behaviour (error mapping, retries, timeouts, two-OKAY services) against a scripted loopback server.</summary>
public sealed class AdbClientBehaviourTests
{
    private static AdbClient ClientFor(int port, int retries = 0, TimeSpan? timeout = null) => new(new AdbClientOptions
    {
        Port = port,
        MaxRetryAttempts = retries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        CommandTimeout = timeout ?? TimeSpan.FromSeconds(10),
    });

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public void No_server_gives_the_start_it_message()
    {
        var port = UnusedPort();
        var exception = Assert.ThrowsAsync<AdbServerUnavailableException>(() => ClientFor(port).GetAdbVersionAsync());
        Assert.That(exception!.Message, Does.StartWith($"no adb server at 127.0.0.1:{port}: start it with `adb start-server`"));
    }

    [Test]
    public void Default_port_message_is_exactly_the_documented_one()
    {
        var exception = new AdbServerUnavailableException("127.0.0.1", 5037, null);
        Assert.That(exception.Message, Is.EqualTo("no adb server at 127.0.0.1:5037: start it with `adb start-server`"));
    }

    [Test]
    public async Task Version_is_parsed_as_hex()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.OkayWithBodyAsync("0029");
        });
        Assert.That(await ClientFor(server.Port).GetAdbVersionAsync(), Is.EqualTo(41));
        Assert.That(server.Requests, Is.EqualTo(new[] { "host:version" }));
    }

    [Test]
    public async Task Offline_device_is_retried_by_the_pipeline_then_succeeds()
    {
        await using var server = new ScriptedAdbServer(async (index, c) =>
        {
            await c.ReadRequestAsync();
            if (index == 0) { await c.FailAsync("device offline"); return; }
            await c.OkayAsync();
            await c.ReadRequestAsync();
            await c.OkayAsync();
            await c.WriteAsync("hello\r\nworld\r\n");
        });
        var result = await ClientFor(server.Port, retries: 2).ShellV1Async("dev", "echo hello");
        Assert.That(result, Is.EqualTo(new ShellResult("hello\nworld\n", "", null)));
        Assert.That(server.ConnectionCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Offline_device_without_retries_surfaces_as_its_own_type()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.FailAsync("device offline");
        });
        var exception = Assert.ThrowsAsync<DeviceOfflineException>(() => ClientFor(server.Port).ShellV1Async("dev", "true"));
        Assert.That(exception!.Serial, Is.EqualTo("dev"));
        Assert.That(server.ConnectionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_serial_is_not_retried()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.FailAsync("device 'ghost' not found");
        });
        Assert.ThrowsAsync<DeviceNotFoundException>(() => ClientFor(server.Port, retries: 3).ShellV1Async("ghost", "true"));
        Assert.That(server.ConnectionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_silent_server_hits_the_call_timeout()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.StallAsync();
        });
        var exception = Assert.ThrowsAsync<TimeoutException>(() => ClientFor(server.Port, timeout: TimeSpan.FromMilliseconds(300)).GetAdbVersionAsync());
        Assert.That(exception!.Message, Does.Contain("host:version"));
    }

    [Test]
    public async Task Connect_answers_okay_but_the_text_says_it_failed()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.OkayWithBodyAsync("failed to connect to '127.0.0.1:1': Connection refused");
        });
        var exception = Assert.ThrowsAsync<AdbCommandFailedException>(() => ClientFor(server.Port).ConnectAsync("127.0.0.1", 1));
        Assert.That(exception!.Reason, Does.Contain("Connection refused"));
        Assert.That(server.Requests, Is.EqualTo(new[] { "host:connect:127.0.0.1:1" }));
    }

    [Test]
    public async Task Shell_v2_is_chosen_from_features_and_keeps_streams_apart()
    {
        byte[]? stdinPacket = null;
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            var request = await c.ReadRequestAsync();
            if (request.EndsWith(":features", StringComparison.Ordinal)) { await c.OkayWithBodyAsync("cmd,shell_v2,stat_v2"); return; }
            await c.OkayAsync();
            await c.ReadRequestAsync();
            await c.OkayAsync();
            stdinPacket = await c.ReadExactAsync(5);
            await c.WriteAsync(ShellV2Codec.Encode(ShellV2StreamId.Stdout, "out\r\n"u8));
            await c.WriteAsync(ShellV2Codec.Encode(ShellV2StreamId.Stderr, "err"u8));
            await c.WriteAsync(ShellV2Codec.Encode(ShellV2StreamId.Exit, [3]));
        });
        var result = await ClientFor(server.Port).ShellAsync("dev", "thing");
        Assert.That(result, Is.EqualTo(new ShellResult("out\r\n", "err", 3)));
        Assert.That(server.Requests, Is.EqualTo(new[] { "host-serial:dev:features", "host:transport:dev", "shell,v2,raw:thing" }));
        Assert.That(stdinPacket, Is.EqualTo(ShellV2Codec.Encode(ShellV2StreamId.CloseStdin, [])));
        Assert.Throws<AdbCommandFailedException>(() => result.EnsureSuccess("thing"));
    }

    [Test]
    public async Task Reverse_reads_two_okays_and_a_failure_from_the_device_is_reported()
    {
        await using var server = new ScriptedAdbServer(async (index, c) =>
        {
            await c.ReadRequestAsync();
            await c.OkayAsync();
            await c.ReadRequestAsync();
            await c.OkayAsync();
            if (index == 0) await c.WriteAsync("OKAY0004");
            else await c.FailAsync("cannot bind listener: Address already in use");
            if (index == 0) await c.WriteAsync("8888");
        });
        var client = ClientFor(server.Port);
        Assert.That(await client.CreateReverseAsync("dev", "tcp:0", "tcp:9999"), Is.EqualTo(8888));
        var exception = Assert.ThrowsAsync<AdbCommandFailedException>(() => client.CreateReverseAsync("dev", "tcp:8888", "tcp:9999"));
        Assert.That(exception!.Reason, Does.Contain("Address already in use"));
        Assert.That(server.Requests, Does.Contain("reverse:forward:tcp:8888;tcp:9999"));
    }

    [Test]
    public async Task Sync_fail_becomes_an_exception_with_the_device_message()
    {
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.OkayAsync();
            await c.ReadRequestAsync();
            await c.OkayAsync();
            await c.ReadExactAsync(8 + "/nope".Length);
            var message = "open failed: No such file or directory";
            await c.WriteAsync(SyncFrame("FAIL", message));
        });
        var exception = Assert.ThrowsAsync<SyncFailedException>(() => ClientFor(server.Port).PullBytesAsync("dev", "/nope"));
        Assert.That(exception!.DeviceMessage, Is.EqualTo("open failed: No such file or directory"));
    }

    [Test]
    public async Task Track_devices_yields_events_as_lists_arrive()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedAdbServer(async (_, c) =>
        {
            await c.ReadRequestAsync();
            await c.OkayAsync();
            await c.WriteAsync("0009a\tdev");
            await c.WriteAsync("ice\n");
            await c.WriteAsync("0000");
            await release.Task;
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<DeviceChange>();
        await foreach (var change in ClientFor(server.Port).TrackDevicesAsync(cancel.Token))
        {
            events.Add(change);
            if (change.Kind == DeviceChangeKind.Disconnected) break;
        }
        release.SetResult();
        Assert.That(events.Select(e => (e.Kind, e.Device.Serial)), Is.EqualTo(new[]
        {
            (DeviceChangeKind.Connected, "a"),
            (DeviceChangeKind.Disconnected, "a"),
        }));
    }

    private static byte[] SyncFrame(string id, string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        System.Text.Encoding.ASCII.GetBytes(id, frame);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}
