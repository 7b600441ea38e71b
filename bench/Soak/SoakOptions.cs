namespace Harness.Bench.Soak;

/// <summary>What one soak run does; every field has a command-line option of the same name.</summary>
public sealed record SoakOptions
{
    /// <summary>How long flows are pushed (--seconds). The issue asks for 10 minutes.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests per second (--rate), spread evenly: a steady stream, not a burst.</summary>
    public int RequestsPerSecond { get; init; } = 100;

    /// <summary>Request body size (--body-bytes), about what a batched telemetry POST carries.</summary>
    public int BodyBytes { get; init; } = 2048;

    /// <summary>The built harness.dll (--harness); found next to the repository's harness/Cli/bin when not given.</summary>
    public string? HarnessDll { get; init; }

    /// <summary>RSS may grow this much from the first to the last window before the run counts as leaking (--max-growth-mib).</summary>
    public double MaxGrowthMiB { get; init; } = 48;

    /// <summary>Memory is compared between the first and the last window of this length (a minute, shorter for short runs).</summary>
    public TimeSpan Window => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, Duration.Ticks / 4));
}
