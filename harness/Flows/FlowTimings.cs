namespace Harness.Flows;

public sealed class FlowTimings
{
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? TlsDone { get; set; }
    public DateTimeOffset? RequestDone { get; set; }
    public DateTimeOffset? ResponseDone { get; set; }
}
