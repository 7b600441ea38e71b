namespace Harness.Proxy.Tests.Addons;

/// <summary>A clock that stands still at a chosen instant: every time the proxy records must come from it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
