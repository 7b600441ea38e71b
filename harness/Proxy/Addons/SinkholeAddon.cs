namespace Harness.Proxy.Addons;

/// <summary>In <see cref="UpstreamMode.Sinkhole"/>, answers every request nobody before it answered, so nothing leaves the lab.</summary>
internal sealed class SinkholeAddon(InterceptingProxyOptions options) : ProxyAddon
{
    public const string AnsweredBy = "sinkhole";

    public override ValueTask RequestHeadersAsync(ProxySession session)
    {
        if (session.LocalResponse is null && options.UpstreamMode == UpstreamMode.Sinkhole)
            session.Respond(options.SinkholeResponse, AnsweredBy);
        return ValueTask.CompletedTask;
    }
}
