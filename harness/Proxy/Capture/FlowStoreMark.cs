namespace Harness.Proxy.Capture;

/// <summary>A position in a FlowStore: flows completed after it are read with <see cref="FlowStore.ReadSince(FlowStoreMark)"/>.</summary>
public readonly record struct FlowStoreMark(long Offset, DateTimeOffset Time);
