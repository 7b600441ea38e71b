namespace Harness.Proxy.Tests.Layers;

/// <summary>A clock a test moves by hand, to tell which moment a layer recorded.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
