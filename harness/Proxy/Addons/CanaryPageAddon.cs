namespace Harness.Proxy.Addons;

/// <summary>Answers requests to the run's canary hosts with <see cref="CanaryPage"/>, unless an addon before it answered.</summary>
internal sealed class CanaryPageAddon(InterceptingProxy proxy) : ProxyAddon
{
    public const string AnsweredBy = "canary";

    public override ValueTask RequestHeadersAsync(ProxySession session)
    {
        if (session.LocalResponse is null && proxy.IsCanaryHost(session.Flow.Host))
            session.Respond(CanaryPage.For(session.Flow.Host, session.Flow.Url ?? ""), AnsweredBy);
        return ValueTask.CompletedTask;
    }
}
