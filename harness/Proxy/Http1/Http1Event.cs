namespace Harness.Proxy.Http1;

/// <summary>Something the sans-io HTTP/1.1 parser recognised in the bytes it was fed.</summary>
public abstract record Http1Event;
