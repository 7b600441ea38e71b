namespace Harness.Proxy.Http2;

/// <summary>Something an <see cref="Http2Connection"/> recognised in the bytes it was fed. Stream 0 is the connection.</summary>
public abstract record Http2Event(int StreamId);
