using Harness.Flows;

namespace Harness.Proxy.Capture;

/// <summary>A flow waiting in the <see cref="FlowStore"/> queue, and the promise its producer awaits.</summary>
/// <param name="Cost">Bytes it holds in memory while queued (bodies), counted against the queue's byte cap.</param>
internal sealed record PendingFlow(Flow Flow, long Cost, TaskCompletionSource Stored);
