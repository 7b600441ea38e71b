using System.IO.Compression;
using System.Net;
using System.Text;
using Harness.VirtualDevice.Network;
using Harness.VirtualDevice.Network.Internet;

namespace Harness.VirtualDevice.Tests.Network;

[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class PhoneHttpClientTests
{
    private const string ChromeUserAgent =
        "Mozilla/5.0 (Linux; U; Android 9; en-us; Redmi Note 8 Build/PKQ1.190616.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.128 Mobile Safari/537.36 XiaoMi/Mint Browser/3.4.0";

    private VirtualInternetAuthority _authority = null!;
    private VirtualInternet _internet = null!;
    private FakePhoneNetworkEnvironment _phone = null!;
    private CancellationTokenSource _testBudget = null!;

    private CancellationToken Token => _testBudget.Token;

    [OneTimeSetUp]
    public void CreateAuthority() => _authority = VirtualInternetAuthority.Create();

    [OneTimeTearDown]
    public void DisposeAuthority() => _authority.Dispose();

    [SetUp]
    public void StartInternet()
    {
        _testBudget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _internet = VirtualInternet.Start(_authority);
        _phone = new FakePhoneNetworkEnvironment(_internet);
        _phone.SystemStore.Add(_internet.RootCertificate);
    }

    [TearDown]
    public async Task StopInternet()
    {
        await _internet.DisposeAsync();
        _testBudget.Dispose();
    }

    [Test]
    public async Task Direct_https_get_reaches_the_origin_under_its_host_name_and_registers_the_socket_while_open()
    {
        var client = new PhoneHttpClient(_phone);
        var request = PhoneHttpRequest.Get("https://example.org/canary/abc123?x=1") with
        {
            Headers = [new("User-Agent", ChromeUserAgent)],
            AppUid = 10123,
        };

        var response = await client.SendAsync(request, Token);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Route, Is.EqualTo(PhoneHttpRoute.Direct));
            Assert.That(response.BodyText, Does.Contain("<title>example.org/canary/abc123</title>"));
        });
        var received = _internet.ReceivedRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Tls, Is.True);
            Assert.That(received.ServerName, Is.EqualTo("example.org"));
            Assert.That(received.Host, Is.EqualTo("example.org"));
            Assert.That(received.Target, Is.EqualTo("/canary/abc123?x=1"));
            Assert.That(received.Header("User-Agent"), Is.EqualTo(ChromeUserAgent));
        });

        var socket = _phone.EverRegistered.Single();
        Assert.Multiple(() =>
        {
            Assert.That(socket.RemoteEndPoint, Is.EqualTo(new IPEndPoint(_internet.ResolveHost("example.org").MapToIPv6(), 443)));
            Assert.That(IPAddress.IsLoopback(socket.RemoteEndPoint.Address.MapToIPv4()), Is.False, "a direct connection shows the host's public address");
            Assert.That(socket.Uid, Is.EqualTo(10123));
            Assert.That(socket.State, Is.EqualTo(PhoneTcpState.Established));
            Assert.That(_phone.OpenConnections, Is.Empty, "closed sockets leave /proc/net/tcp");
        });
    }

    [Test]
    public async Task Plain_http_connectivity_check_gets_204()
    {
        var client = new PhoneHttpClient(_phone);

        var response = await client.SendAsync(PhoneHttpRequest.Get("http://connectivitycheck.gstatic.com/generate_204"), Token);

        Assert.That(response.StatusCode, Is.EqualTo(204));
        Assert.That(_internet.ReceivedRequests.Single().Tls, Is.False);
    }

    [Test]
    public void Tls_fails_when_the_issuing_root_is_not_in_the_system_store()
    {
        _phone.SystemStore.Clear();
        var client = new PhoneHttpClient(_phone);

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.UntrustedCertificate));
        Assert.That(error.Message, Does.Contain("Trust anchor for certification path not found"));
        Assert.That(_internet.ReceivedRequests, Is.Empty, "no request may be sent over an untrusted connection");
    }

    [Test]
    public async Task User_installed_root_is_trusted_only_by_apps_that_opt_in()
    {
        _phone.SystemStore.Clear();
        _phone.UserStore.Add(_internet.RootCertificate);
        var client = new PhoneHttpClient(_phone);

        var refused = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token));
        var accepted = await client.SendAsync(PhoneHttpRequest.Get("https://example.org/") with { TrustUserCertificates = true }, Token);

        Assert.That(refused!.Failure, Is.EqualTo(PhoneNetworkFailure.UntrustedCertificate));
        Assert.That(accepted.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void A_root_from_another_rack_is_not_trusted()
    {
        using var otherAuthority = VirtualInternetAuthority.Create("Some Other Root");
        _phone.SystemStore.Clear();
        _phone.SystemStore.Add(otherAuthority.RootCertificate);
        var client = new PhoneHttpClient(_phone);

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.UntrustedCertificate));
    }

    [Test]
    public async Task Https_through_a_proxy_on_the_phones_localhost_uses_connect_and_reaches_the_origin()
    {
        await using var proxy = new TestConnectProxy(_internet.EndPoint);
        _phone.Reverse(8080, proxy.EndPoint);
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        var client = new PhoneHttpClient(_phone);
        var request = PhoneHttpRequest.Post("https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN", Encoding.ASCII.GetBytes("crc=1&gzip=1&data_list=H4sI"))
            with
            {
                Headers = [new("User-Agent", ChromeUserAgent), new("Content-Type", "application/x-www-form-urlencoded")],
            };

        var response = await client.SendAsync(request, Token);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.BodyText, Is.EqualTo("{\"code\":0}"));
            Assert.That(response.Route, Is.EqualTo(PhoneHttpRoute.Proxy));
            Assert.That(proxy.RequestLines, Is.EqualTo(new[] { "CONNECT sa.api.intl.miui.com:443 HTTP/1.1" }));
        });
        var received = _internet.ReceivedRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.ServerName, Is.EqualTo("sa.api.intl.miui.com"));
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.QueryValue("project"), Is.EqualTo("global_browser_mini"));
            Assert.That(received.BodyText, Is.EqualTo("crc=1&gzip=1&data_list=H4sI"));
            Assert.That(received.Header("Content-Length"), Is.EqualTo("27"));
        });
        var socket = _phone.EverRegistered.Single();
        Assert.That(socket.RemoteEndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 8080)), "through the proxy the phone only talks to its own localhost");
    }

    [Test]
    public async Task Plain_http_through_the_proxy_uses_the_absolute_form()
    {
        await using var proxy = new TestConnectProxy(_internet.EndPoint);
        _phone.Reverse(8888, proxy.EndPoint);
        _phone.SetGlobal("http_proxy", "localhost:8888");
        var client = new PhoneHttpClient(_phone);

        var response = await client.SendAsync(PhoneHttpRequest.Get("http://neverssl.com/page?q=1"), Token);

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(proxy.RequestLines, Is.EqualTo(new[] { "GET http://neverssl.com/page?q=1 HTTP/1.1" }));
        Assert.That(_internet.ReceivedRequests.Single().Host, Is.EqualTo("neverssl.com"));
    }

    [Test]
    public void Proxy_on_localhost_without_adb_reverse_fails_with_connection_refused()
    {
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        var client = new PhoneHttpClient(_phone);

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.ConnectionRefused));
            Assert.That(error.Message, Does.Contain("ECONNREFUSED (Connection refused)"));
            Assert.That(error.Message, Does.Contain("port 8080"));
            Assert.That(_phone.LocalConnectAttempts, Is.EqualTo(new[] { 8080 }));
            Assert.That(_internet.ReceivedRequests, Is.Empty, "a phone with a dead proxy must not fall back to direct");
        });
    }

    [Test]
    public void Proxy_on_a_non_loopback_address_is_unreachable()
    {
        _phone.SetGlobal("http_proxy", "192.168.1.10:8080");
        var client = new PhoneHttpClient(_phone);

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.NetworkUnreachable));
        Assert.That(_phone.LocalConnectAttempts, Is.Empty);
        Assert.That(_internet.ReceivedRequests, Is.Empty);
    }

    [Test]
    public async Task Cleared_proxy_setting_means_direct()
    {
        _phone.SetGlobal("http_proxy", ":0");
        var client = new PhoneHttpClient(_phone);

        var response = await client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), Token);

        Assert.That(response.Route, Is.EqualTo(PhoneHttpRoute.Direct));
        Assert.That(_phone.LocalConnectAttempts, Is.Empty);
    }

    [Test]
    public async Task Bypass_proxy_request_goes_directly_to_the_origin_and_the_proxy_sees_nothing()
    {
        await using var proxy = new TestConnectProxy(_internet.EndPoint);
        _phone.Reverse(8080, proxy.EndPoint);
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        var client = new PhoneHttpClient(_phone);

        var response = await client.SendAsync(
            PhoneHttpRequest.Post("https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN", [1, 2, 3]) with { BypassProxy = true },
            Token);

        Assert.Multiple(() =>
        {
            Assert.That(response.Route, Is.EqualTo(PhoneHttpRoute.Direct));
            Assert.That(proxy.RequestLines, Is.Empty);
            Assert.That(_phone.LocalConnectAttempts, Is.Empty);
            Assert.That(_internet.ReceivedRequests.Single().Path, Is.EqualTo("/sa"));
            Assert.That(_phone.EverRegistered.Single().RemoteEndPoint.Address, Is.EqualTo(_internet.ResolveHost("sa.api.intl.miui.com").MapToIPv6()));
        });
    }

    [Test]
    public void Pinned_host_refuses_a_trusted_certificate_whose_key_is_not_pinned()
    {
        var client = new PhoneHttpClient(_phone);
        var pinner = new CertificatePinner().Add("sa.api.intl.miui.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(
            PhoneHttpRequest.Post("https://sa.api.intl.miui.com/sa?project=p", [1]) with { Pinner = pinner },
            Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.CertificatePinningFailure));
        Assert.That(error.Message, Does.Contain("Certificate pinning failure!"));
        Assert.That(_internet.ReceivedRequests, Is.Empty, "the app closes the connection before sending the request");
        Assert.That(_phone.OpenConnections, Is.Empty);
    }

    [Test]
    public async Task Pinned_host_accepts_its_real_key_and_pins_do_not_affect_other_hosts()
    {
        var client = new PhoneHttpClient(_phone);
        var realPin = CertificatePinner.PinOf(_internet.Authority.LeafCertificateFor("sa.api.intl.miui.com"));
        var pinner = new CertificatePinner().Add("sa.api.intl.miui.com", realPin).Add("*.mistat.intl.xiaomi.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        var pinnedOk = await client.SendAsync(PhoneHttpRequest.Post("https://sa.api.intl.miui.com/sa?project=p", [1]) with { Pinner = pinner }, Token);
        var unpinned = await client.SendAsync(PhoneHttpRequest.Get("https://example.org/") with { Pinner = pinner }, Token);
        var wildcard = Assert.ThrowsAsync<PhoneNetworkException>(() =>
            client.SendAsync(PhoneHttpRequest.Get("https://data.mistat.intl.xiaomi.com/") with { Pinner = pinner }, Token));

        Assert.That(pinnedOk.StatusCode, Is.EqualTo(200));
        Assert.That(unpinned.StatusCode, Is.EqualTo(200));
        Assert.That(wildcard!.Failure, Is.EqualTo(PhoneNetworkFailure.CertificatePinningFailure));
    }

    [Test]
    public async Task Pinning_failure_through_the_proxy_closes_the_tunnel_without_a_request()
    {
        await using var proxy = new TestConnectProxy(_internet.EndPoint);
        _phone.Reverse(8080, proxy.EndPoint);
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        var client = new PhoneHttpClient(_phone);
        var pinner = new CertificatePinner().Add("sa.api.intl.miui.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() =>
            client.SendAsync(PhoneHttpRequest.Post("https://sa.api.intl.miui.com/sa?project=p", [1]) with { Pinner = pinner }, Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.CertificatePinningFailure));
        Assert.That(proxy.RequestLines, Is.EqualTo(new[] { "CONNECT sa.api.intl.miui.com:443 HTTP/1.1" }));
        Assert.That(_internet.ReceivedRequests, Is.Empty);
    }

    [Test]
    public async Task Gzip_request_body_is_sent_compressed_with_content_encoding()
    {
        var client = new PhoneHttpClient(_phone);
        var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"event\":\"page_load_event_start\"}", 20)));

        await client.SendAsync(PhoneHttpRequest.Post("https://data.mistat.intl.xiaomi.com/mistats", payload) with { GzipBody = true }, Token);

        var received = _internet.ReceivedRequests.Single();
        Assert.That(received.Header("Content-Encoding"), Is.EqualTo("gzip"));
        Assert.That(received.Header("Content-Length"), Is.EqualTo(received.Body.Length.ToString()));
        using var gunzip = new GZipStream(new MemoryStream(received.Body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gunzip.CopyToAsync(plain, Token);
        Assert.That(plain.ToArray(), Is.EqualTo(payload));
    }

    [Test]
    public async Task Slow_origin_makes_the_request_time_out()
    {
        await using var slowInternet = VirtualInternet.Start(_authority, new VirtualInternetOptions { ResponseDelay = TimeSpan.FromSeconds(20) });
        var phone = new FakePhoneNetworkEnvironment(slowInternet);
        phone.SystemStore.Add(slowInternet.RootCertificate);
        var client = new PhoneHttpClient(phone, new PhoneHttpClientOptions { ResponseTimeout = TimeSpan.FromMilliseconds(300) });

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(PhoneHttpRequest.Get("https://slow.example/"), Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.Timeout));
        Assert.That(phone.OpenConnections, Is.Empty);
    }

    [Test]
    public void Cancellation_by_the_caller_is_not_reported_as_a_network_failure()
    {
        var client = new PhoneHttpClient(_phone);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(
            () => client.SendAsync(PhoneHttpRequest.Get("https://example.org/"), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Search_engine_answers_suggestions_and_results()
    {
        var client = new PhoneHttpClient(_phone);

        var suggestions = await client.SendAsync(PhoneHttpRequest.Get("https://www.google.com/complete/search?client=chrome&q=secret%20term"), Token);
        var results = await client.SendAsync(PhoneHttpRequest.Get("https://duckduckgo.com/?q=secret+term"), Token);

        Assert.That(suggestions.BodyText, Does.StartWith("[\"secret term\",[\"secret term news\""));
        Assert.That(results.BodyText, Does.Contain("<title>secret term at DuckDuckGo</title>"));
    }
    [Test]
    public async Task Proxy_that_refuses_the_tunnel_fails_the_request()
    {
        using var refusingProxy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        refusingProxy.Start();
        var proxyAnswer = Task.Run(async () =>
        {
            using var socket = await refusingProxy.AcceptSocketAsync(Token);
            await using var stream = new System.Net.Sockets.NetworkStream(socket);
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, Token) > 0)
            {
                head.Append((char)one[0]);
            }

            await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), Token);
            return head.ToString();
        });
        _phone.Reverse(8080, (IPEndPoint)refusingProxy.LocalEndpoint);
        _phone.SetGlobal("http_proxy", "127.0.0.1:8080");
        var client = new PhoneHttpClient(_phone);

        var error = Assert.ThrowsAsync<PhoneNetworkException>(() => client.SendAsync(
            PhoneHttpRequest.Get("https://example.org/") with { Headers = [new("User-Agent", ChromeUserAgent)] }, Token));

        Assert.That(error!.Failure, Is.EqualTo(PhoneNetworkFailure.ProxyRejected));
        Assert.That(error.Message, Does.Contain("403"));
        var connect = await proxyAnswer;
        Assert.That(connect, Does.StartWith("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n"));
        Assert.That(connect, Does.Contain("User-Agent: " + ChromeUserAgent));
    }

    [Test]
    public async Task Open_socket_of_a_request_renders_in_proc_net_tcp6_while_the_request_runs()
    {
        string? tcp6DuringRequest = null;
        _internet.Router.MapHost("probe.example", _ =>
        {
            tcp6DuringRequest = ProcNetTcpFormatter.FormatTcp6(_phone.OpenConnections);
            return null;
        });
        var client = new PhoneHttpClient(_phone);

        await client.SendAsync(PhoneHttpRequest.Get("https://probe.example/") with { AppUid = 10155 }, Token);

        var remoteHex = ProcNetTcpFormatter.Ipv6Hex(_internet.ResolveHost("probe.example")) + ":01BB";
        Assert.That(tcp6DuringRequest, Does.Contain(remoteHex + " 01 "));
        Assert.That(tcp6DuringRequest, Does.Contain(" 10155 "));
        Assert.That(ProcNetTcpFormatter.FormatTcp6(_phone.OpenConnections).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "only the header after close");
    }
}
